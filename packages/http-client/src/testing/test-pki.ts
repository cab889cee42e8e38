import type { webcrypto } from "node:crypto";

/** A certificate and its private key, PEM. */
export interface TestCertificate {
  cert: string;
  key: string;
}

/** A test CA with a server certificate (localhost, 127.0.0.1) and a client certificate it signed. */
export interface TestPki {
  ca: TestCertificate;
  server: TestCertificate;
  client: TestCertificate;
  /** A self-signed server certificate no CA vouches for. */
  selfSigned: TestCertificate;
}

const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };

/**
 * Testing utility: certificates made with `@peculiar/x509` (a CA, a server and a client certificate
 * it signed, and a self-signed server certificate), valid for a day.
 */
export async function createTestPki(): Promise<TestPki> {
  await import("reflect-metadata");
  const x509 = await import("@peculiar/x509");
  const crypto = globalThis.crypto;
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + 24 * 60 * 60 * 1000);
  const pem = async (keys: webcrypto.CryptoKeyPair) =>
    `${x509.PemConverter.encode(await crypto.subtle.exportKey("pkcs8", keys.privateKey), "PRIVATE KEY")}\n`;
  const newKeys = () =>
    crypto.subtle.generateKey(algorithm, true, ["sign", "verify"]) as Promise<webcrypto.CryptoKeyPair>;

  const caKeys = await newKeys();
  const ca = await x509.X509CertificateGenerator.createSelfSigned(
    {
      name: "CN=gfsdk test CA",
      notBefore,
      notAfter,
      signingAlgorithm: algorithm,
      keys: caKeys,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      ],
    },
    crypto,
  );
  const leaf = async (cn: string, usage: string, san: boolean): Promise<TestCertificate> => {
    const keys = await newKeys();
    const cert = await x509.X509CertificateGenerator.create(
      {
        serialNumber: Math.floor(Math.random() * 1e9).toString(16),
        subject: `CN=${cn}`,
        issuer: ca.subject,
        notBefore,
        notAfter,
        signingAlgorithm: algorithm,
        publicKey: keys.publicKey,
        signingKey: caKeys.privateKey,
        extensions: [
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([usage]),
          ...(san
            ? [
                new x509.SubjectAlternativeNameExtension([
                  { type: "dns", value: "localhost" },
                  { type: "ip", value: "127.0.0.1" },
                ]),
              ]
            : []),
        ],
      },
      crypto,
    );
    return { cert: `${cert.toString("pem")}\n`, key: await pem(keys) };
  };
  const selfKeys = await newKeys();
  const self = await x509.X509CertificateGenerator.createSelfSigned(
    {
      name: "CN=localhost",
      notBefore,
      notAfter,
      signingAlgorithm: algorithm,
      keys: selfKeys,
      extensions: [
        new x509.SubjectAlternativeNameExtension([
          { type: "dns", value: "localhost" },
          { type: "ip", value: "127.0.0.1" },
        ]),
      ],
    },
    crypto,
  );
  return {
    ca: { cert: `${ca.toString("pem")}\n`, key: await pem(caKeys) },
    server: await leaf("localhost", x509.ExtendedKeyUsage.serverAuth, true),
    client: await leaf("gfsdk test client", x509.ExtendedKeyUsage.clientAuth, false),
    selfSigned: { cert: `${self.toString("pem")}\n`, key: await pem(selfKeys) },
  };
}
