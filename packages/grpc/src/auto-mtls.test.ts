import { X509Certificate } from "node:crypto";
import { createHostCertificate, type HostCertificate } from "@gfsdk/testing";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createAutoMtlsCredentials, encodeHandshakeCertificate, parseHostCertificates } from "./auto-mtls.js";

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

/** The content bytes of the serialNumber INTEGER of a DER certificate, as encoded (sign byte included). */
function derSerial(der: Uint8Array): Uint8Array {
  // One TLV header: tag, then a short or long length; returns where the content starts and its length.
  const header = (at: number): { start: number; length: number } => {
    const first = der[at + 1] ?? 0;
    if (first < 0x80) return { start: at + 2, length: first };
    const count = first & 0x7f;
    let length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (der[at + 2 + i] ?? 0);
    return { start: at + 2 + count, length };
  };
  const tbs = header(header(0).start); // Certificate SEQUENCE → TBSCertificate SEQUENCE
  let at = tbs.start;
  if (der[at] === 0xa0) {
    const version = header(at); // [0] EXPLICIT version
    at = version.start + version.length;
  }
  expect(der[at]).toBe(0x02); // INTEGER
  const serial = header(at);
  return der.subarray(serial.start, serial.start + serial.length);
}

/** RFC 5280: a positive serial of at most 20 octets, encoded minimally (DER). */
function expectPositiveMinimalSerial(der: Uint8Array): void {
  const serial = derSerial(der);
  expect(serial.length).toBeGreaterThan(0);
  expect(serial.length).toBeLessThanOrEqual(20);
  expect((serial[0] ?? 0) & 0x80).toBe(0); // the sign bit: positive
  // A leading zero byte only where the next byte would set the sign bit.
  if (serial[0] === 0) expect((serial[1] ?? 0) & 0x80).toBe(0x80);
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
    expectPositiveMinimalSerial(der);

    // go-plugin: valid from 30 s ago (seconds precision on the wire) for 262980 h.
    expect(cert.notBefore.getTime()).toBeGreaterThanOrEqual(before - 31_000);
    expect(cert.notBefore.getTime()).toBeLessThanOrEqual(after - 29_000);
    const lifetime = 262_980 * 3600_000;
    expect(cert.notAfter.getTime()).toBeGreaterThanOrEqual(before + lifetime - 1000);
    expect(cert.notAfter.getTime()).toBeLessThanOrEqual(after + lifetime);
  });

  it.each([
    ["0x00 0xbe: the sign byte is kept", [0x00, 0xbe, 0x11], [0x00, 0xbe, 0x11]],
    ["0x00 0x05: the zero byte is dropped", [0x00, 0x05, 0x11], [0x05, 0x11]],
    ["0xff: the top bit is cleared", [0xff, 0xff, 0x11], [0x7f, 0xff, 0x11]],
    ["0x80 0x00: both zero bytes are dropped", [0x80, 0x00, 0x11], [0x11]],
  ])("encodes a positive, minimal serial whatever the random bytes: %s", async (_, random, encoded) => {
    const real = globalThis.crypto.getRandomValues.bind(globalThis.crypto);
    // The serial's random bytes are the first the certificate asks for.
    const spy = vi
      .spyOn(globalThis.crypto, "getRandomValues")
      .mockImplementationOnce(<T extends ArrayBufferView | null>(array: T): T => {
        const bytes = real(array as unknown as Uint8Array);
        bytes.set(random);
        return array;
      });
    try {
      const { serverCert } = await createAutoMtlsCredentials(host.certificatePem);
      const der = decodeField6(serverCert);
      expect([...derSerial(der).subarray(0, encoded.length)]).toEqual(encoded);
      expectPositiveMinimalSerial(der);
    } finally {
      spy.mockRestore();
    }
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
