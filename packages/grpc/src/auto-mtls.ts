import { X509Certificate } from "node:crypto";
import { ServerCredentials } from "@grpc/grpc-js";
import { generateSelfSignedCertificate } from "./self-signed-certificate.js";

/** The server side of go-plugin's AutoMTLS: what to listen with and what to tell the host. */
export interface AutoMtlsCredentials {
  /**
   * TLS (1.2 or newer) with a fresh certificate of ours, requiring every client to present a
   * certificate that the host's certificate verifies: in practice the host's own.
   */
  credentials: ServerCredentials;
  /** Handshake field 6: our certificate's DER, base64 standard encoding without padding. */
  serverCert: string;
  /** Our certificate, PEM: for clients other than the host (tests). */
  certificatePem: string;
}

/**
 * Answers a go-plugin host that asked for AutoMTLS by setting `PLUGIN_CLIENT_CERT`, as go-plugin's
 * `server.go` does: trusts the host's PEM certificate (and only it) for client certificates,
 * generates a one-time ECDSA P-521 certificate (`generateSelfSignedCertificate`), serves it, and
 * returns it DER-encoded in base64 without padding for handshake field 6, which the host then
 * trusts. Throws when `hostCertificatePem` holds no valid PEM certificate (go-plugin only logs it,
 * and then no client can connect).
 */
export async function createAutoMtlsCredentials(hostCertificatePem: string): Promise<AutoMtlsCredentials> {
  const trusted = parseHostCertificates(hostCertificatePem);
  const own = await generateSelfSignedCertificate();
  return {
    credentials: ServerCredentials.createSsl(
      Buffer.from(trusted),
      [{ private_key: Buffer.from(own.privateKeyPem), cert_chain: Buffer.from(own.certificatePem) }],
      true,
    ),
    serverCert: encodeHandshakeCertificate(own.der),
    certificatePem: own.certificatePem,
  };
}

/** A DER certificate as handshake field 6 carries it: base64 standard encoding without padding. */
export function encodeHandshakeCertificate(der: Uint8Array): string {
  return Buffer.from(der).toString("base64").replace(/=+$/, "");
}

const pemBlock = /-----BEGIN CERTIFICATE-----\r?\n[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * The certificates of `PLUGIN_CLIENT_CERT` as PEM, one after the other. Like go-plugin's
 * `AppendCertsFromPEM`, blocks that do not parse are skipped; unlike it, having none is an error.
 */
export function parseHostCertificates(pem: string): string {
  const valid: string[] = [];
  let firstError: unknown;
  for (const [block] of pem.matchAll(pemBlock)) {
    try {
      valid.push(new X509Certificate(block).toString());
    } catch (error) {
      firstError ??= error;
    }
  }
  if (valid.length === 0) {
    const why =
      firstError === undefined
        ? "it holds no PEM block -----BEGIN CERTIFICATE-----"
        : `its certificate does not parse (${(firstError as Error).message})`;
    throw new Error(
      `the host asked for AutoMTLS, but PLUGIN_CLIENT_CERT is not a PEM certificate: ${why}; ` +
        `it starts with ${JSON.stringify(pem.slice(0, 40))}`,
    );
  }
  return valid.join("");
}
