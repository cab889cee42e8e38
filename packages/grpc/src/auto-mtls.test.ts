import { X509Certificate } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createAutoMtlsCredentials, encodeHandshakeCertificate, parseHostCertificates } from "./auto-mtls.js";
import { createHostCertificate, type HostCertificate } from "./testing/host-certificate.js";

let host: HostCertificate;
// Loaded after the Reflect polyfill it needs.
let x509: typeof import("@peculiar/x509");
beforeAll(async () => {
  await import("reflect-metadata");
  x509 = await import("@peculiar/x509");
  host = await createHostCertificate();
});

/** Handshake field 6 back to DER, strictly: base64 standard alphabet, no padding. */
function decodeField6(field: string): Uint8Array {
  expect(field).toMatch(/^[A-Za-z0-9+/]+$/);
  expect(field.length).toBeGreaterThan(50); // go-plugin ignores a shorter field 6
  return new Uint8Array(Buffer.from(field, "base64"));
}

describe("createAutoMtlsCredentials", () => {
  it("puts a DER certificate like go-plugin's in handshake field 6", async () => {
    const before = Date.now();
    const { serverCert, certificatePem, credentials } = await createAutoMtlsCredentials(host.certificatePem);
    const after = Date.now();
    expect(credentials._isSecure()).toBe(true);
    const der = decodeField6(serverCert);
    const node = new X509Certificate(der);
    expect(node.toString()).toBe(certificatePem);

    expect(node.subject).toBe("CN=localhost");
    expect(node.issuer).toBe("CN=localhost");
    expect(node.subjectAltName).toBe("DNS:localhost");
    expect(node.ca).toBe(true);
    expect(node.checkIssued(node)).toBe(true);
    expect(node.verify(node.publicKey)).toBe(true);
    expect(node.publicKey.asymmetricKeyType).toBe("ec");
    expect(node.publicKey.asymmetricKeyDetails?.namedCurve).toBe("secp521r1");
    expect(node.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]); // serverAuth, clientAuth

    const cert = new x509.X509Certificate(der);
    expect(cert.signatureAlgorithm).toMatchObject({ name: "ECDSA", hash: { name: "SHA-512" } });
    const basic = cert.getExtension(x509.BasicConstraintsExtension);
    expect(basic).toMatchObject({ ca: true, critical: true });
    const usages = cert.getExtension(x509.KeyUsagesExtension);
    const { KeyUsageFlags: flag } = x509;
    expect(usages?.usages).toBe(
      flag.digitalSignature | flag.keyEncipherment | flag.keyAgreement | flag.keyCertSign,
    );
    expect(usages?.critical).toBe(true);
    expect(Number.parseInt(cert.serialNumber.slice(0, 2), 16)).toBeLessThan(0x80); // positive

    // go-plugin: valid from 30 s ago (seconds precision on the wire) for 262980 h.
    expect(cert.notBefore.getTime()).toBeGreaterThanOrEqual(before - 31_000);
    expect(cert.notBefore.getTime()).toBeLessThanOrEqual(after - 29_000);
    const lifetime = 262_980 * 3600_000;
    expect(cert.notAfter.getTime()).toBeGreaterThanOrEqual(before + lifetime - 1000);
    expect(cert.notAfter.getTime()).toBeLessThanOrEqual(after + lifetime);
  });

  it("generates a fresh certificate and key every time", async () => {
    const a = await createAutoMtlsCredentials(host.certificatePem);
    const b = await createAutoMtlsCredentials(host.certificatePem);
    expect(a.serverCert).not.toBe(b.serverCert);
    expect(new X509Certificate(a.certificatePem).serialNumber).not.toBe(
      new X509Certificate(b.certificatePem).serialNumber,
    );
  });

  it.each([
    ["an empty value", () => ""],
    ["text", () => "not a certificate"],
    ["a private key", () => host.privateKeyPem],
    ["an empty PEM block", () => "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"],
    [
      "a PEM block that is no certificate",
      () => "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    ],
  ])("refuses %s as the host certificate", async (_what, pem) => {
    await expect(createAutoMtlsCredentials(pem())).rejects.toThrow(
      /PLUGIN_CLIENT_CERT is not a PEM certificate/,
    );
  });
});

describe("parseHostCertificates", () => {
  it("keeps the certificates that parse, as go-plugin's AppendCertsFromPEM does", async () => {
    const other = await createHostCertificate("P-256");
    const junk = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    const pem = parseHostCertificates(`${junk}${host.certificatePem}text\r\n${other.certificatePem}`);
    expect(pem).toBe(
      new X509Certificate(host.certificatePem).toString() +
        new X509Certificate(other.certificatePem).toString(),
    );
  });

  it("names what is wrong", () => {
    expect(() => parseHostCertificates("nope")).toThrow(/holds no PEM block/);
    expect(() =>
      parseHostCertificates("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"),
    ).toThrow(/does not parse/);
  });
});

describe("encodeHandshakeCertificate", () => {
  it("is base64 standard encoding without padding, as go-plugin's RawStdEncoding", () => {
    expect(encodeHandshakeCertificate(new Uint8Array([0xfb, 0xff]))).toBe("+/8");
    expect(encodeHandshakeCertificate(new Uint8Array([1]))).toBe("AQ");
    expect(encodeHandshakeCertificate(new Uint8Array([1, 2, 3]))).toBe("AQID");
  });
});
