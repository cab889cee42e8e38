/** A client certificate such as a go-plugin host sends in `PLUGIN_CLIENT_CERT`, and its key. */
export interface HostCertificate {
  /** The certificate, PEM: the value of `PLUGIN_CLIENT_CERT`. */
  certificatePem: string;
  /** Its private key, PKCS#8 PEM. */
  privateKeyPem: string;
}

/**
 * Testing utility: a self-signed client certificate made with `@peculiar/x509`, independently of
 * the plugin's own generator, like the one go-plugin's `Client` generates with AutoMTLS (CN and
 * SAN `localhost`, clientAuth and serverAuth, a CA). `curve` defaults to go-plugin's P-521.
 */
export async function createHostCertificate(
  curve: "P-256" | "P-384" | "P-521" = "P-521",
): Promise<HostCertificate> {
  await import("reflect-metadata");
  const x509 = await import("@peculiar/x509");
  const hash = { "P-256": "SHA-256", "P-384": "SHA-384", "P-521": "SHA-512" }[curve];
  const algorithm = { name: "ECDSA", namedCurve: curve, hash };
  const keys = await globalThis.crypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      name: "CN=localhost, O=gfsdk test host",
      notBefore: new Date(Date.now() - 30_000),
      notAfter: new Date(Date.now() + 24 * 60 * 60 * 1000),
      signingAlgorithm: algorithm,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign,
          true,
        ),
        new x509.ExtendedKeyUsageExtension([
          x509.ExtendedKeyUsage.clientAuth,
          x509.ExtendedKeyUsage.serverAuth,
        ]),
        new x509.SubjectAlternativeNameExtension([{ type: "dns", value: "localhost" }]),
      ],
    },
    globalThis.crypto,
  );
  const pkcs8 = await globalThis.crypto.subtle.exportKey("pkcs8", keys.privateKey);
  return {
    certificatePem: `${certificate.toString("pem")}\n`,
    privateKeyPem: `${x509.PemConverter.encode(pkcs8, "PRIVATE KEY")}\n`,
  };
}
