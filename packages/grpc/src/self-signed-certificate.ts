/** A certificate and its private key, as TLS wants them. */
export interface SelfSignedCertificate {
  /** The certificate, PEM (`CERTIFICATE`). */
  certificatePem: string;
  /** Its private key, PKCS#8 PEM (`PRIVATE KEY`). */
  privateKeyPem: string;
  /** The certificate, DER. */
  der: Uint8Array;
}

/** go-plugin's validity: from 30 s ago (clock skew) to 262980 h (~30 years) from now. */
const notBeforeSkewMs = 30_000;
const lifetimeMs = 262_980 * 60 * 60 * 1000;

/**
 * Generates a one-time certificate like go-plugin's `generateCert` (its `mtls.go`): ECDSA P-521
 * signed with SHA-512, self-signed, CN and SAN DNS `localhost`, key usages digitalSignature,
 * keyEncipherment, keyAgreement and certSign, extended key usages serverAuth and clientAuth, a CA
 * (basicConstraints), a random 127-bit serial, valid from 30 s ago for ~30 years.
 *
 * Loads `@peculiar/x509` on first use (over Node's WebCrypto), so plugins that never use AutoMTLS
 * never load it.
 */
export async function generateSelfSignedCertificate(): Promise<SelfSignedCertificate> {
  // tsyringe, under @peculiar/x509, needs the Reflect metadata API installed before it loads.
  await import("reflect-metadata");
  const loaded = await import("@peculiar/x509");
  // Its CommonJS build, reached through a bundler's interop, can hide the named exports under `default`.
  const x509 =
    "cryptoProvider" in loaded ? loaded : (loaded as unknown as { default: typeof loaded }).default;
  const { crypto } = globalThis;
  x509.cryptoProvider.set(crypto);

  const algorithm = { name: "ECDSA", namedCurve: "P-521", hash: "SHA-512" };
  const keys = await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const serial = crypto.getRandomValues(new Uint8Array(16));
  serial[0] = (serial[0] ?? 0) & 0x7f; // a positive INTEGER in DER
  const now = Date.now();
  const { KeyUsageFlags: usage } = x509;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(serial).toString("hex"),
    name: "CN=localhost",
    notBefore: new Date(now - notBeforeSkewMs),
    notAfter: new Date(now + lifetimeMs),
    signingAlgorithm: algorithm,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        usage.digitalSignature | usage.keyEncipherment | usage.keyAgreement | usage.keyCertSign,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([
        x509.ExtendedKeyUsage.serverAuth,
        x509.ExtendedKeyUsage.clientAuth,
      ]),
      new x509.SubjectAlternativeNameExtension([{ type: "dns", value: "localhost" }]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", keys.privateKey);
  return {
    certificatePem: `${certificate.toString("pem")}\n`,
    privateKeyPem: `${x509.PemConverter.encode(pkcs8, "PRIVATE KEY")}\n`,
    der: new Uint8Array(certificate.rawData),
  };
}
