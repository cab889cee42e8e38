// AutoMTLS refuses, at the TLS layer, every client certificate but one the host's certificate
// (PLUGIN_CLIENT_CERT) verifies and that is valid now: a stranger's, an expired or not yet valid
// one, and none. go-plugin's server does the same (tls.RequireAndVerifyClientCert, ClientCAs =
// the host's certificate).
import { type webcrypto, X509Certificate } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as connectTls } from "node:tls";
import { createLogger } from "@gfsdk/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PluginServer, serve } from "./serve.js";
import { createFixturePlugin } from "./testing/fixture-plugin.js";
import { createOutputSink } from "./testing/output-sink.js";
import { goPluginEnv } from "./testing/plugin-process.js";

const day = 24 * 60 * 60 * 1000;
const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };

interface Issued {
  certificatePem: string;
  privateKeyPem: string;
  keys: webcrypto.CryptoKeyPair;
  certificate: import("@peculiar/x509").X509Certificate;
}

/** A certificate like go-plugin's host certificate, self-signed or issued by `issuer`, valid in [from, to]. */
async function issue(options: {
  cn: string;
  from: number;
  to: number;
  issuer?: Issued;
  ca?: boolean;
}): Promise<Issued> {
  await import("reflect-metadata");
  const x509 = await import("@peculiar/x509");
  const keys = await globalThis.crypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const extensions = [
    new x509.BasicConstraintsExtension(options.ca ?? false, undefined, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.digitalSignature | (options.ca ? x509.KeyUsageFlags.keyCertSign : 0),
      true,
    ),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth, x509.ExtendedKeyUsage.serverAuth]),
    new x509.SubjectAlternativeNameExtension([{ type: "dns", value: "localhost" }]),
  ];
  const common = {
    notBefore: new Date(Date.now() + options.from),
    notAfter: new Date(Date.now() + options.to),
    signingAlgorithm: algorithm,
    extensions,
  };
  const certificate = options.issuer
    ? await x509.X509CertificateGenerator.create(
        {
          ...common,
          subject: `CN=${options.cn}`,
          issuer: options.issuer.certificate.subject,
          publicKey: keys.publicKey,
          signingKey: options.issuer.keys.privateKey,
        },
        globalThis.crypto,
      )
    : await x509.X509CertificateGenerator.createSelfSigned(
        { ...common, name: `CN=${options.cn}`, keys },
        globalThis.crypto,
      );
  const pkcs8 = await globalThis.crypto.subtle.exportKey("pkcs8", keys.privateKey);
  return {
    certificatePem: `${certificate.toString("pem")}\n`,
    privateKeyPem: `${x509.PemConverter.encode(pkcs8, "PRIVATE KEY")}\n`,
    keys,
    certificate,
  };
}

/** Serves the fixture in-process as Grafana would start it with `PLUGIN_CLIENT_CERT`; the plugin's PEM. */
async function serveWithHostCertificate(
  hostPem: string,
): Promise<{ server: PluginServer; serverPem: string }> {
  const server = await serve(createFixturePlugin(), {
    argv: [],
    env: goPluginEnv({ PLUGIN_CLIENT_CERT: hostPem }),
    network: "unix",
    stdout: createOutputSink().stream,
    stderr: createOutputSink().stream,
    logger: createLogger({ write: () => {} }),
    exit: () => {},
    pluginDir: join(tmpdir(), "gfsdk-no-such-plugin-dir"),
  });
  const field6 = server.handshake.split("|")[5] ?? "";
  return { server, serverPem: new X509Certificate(Buffer.from(field6, "base64")).toString() };
}

/**
 * What a raw TLS client presenting `client` (or no certificate) gets: `answered` when the server
 * sends its HTTP/2 SETTINGS after the client preface, else how the connection ended.
 */
function tlsAnswer(socket: string, ca: string, client?: Issued): Promise<string> {
  return new Promise((resolve) => {
    const connection = connectTls({
      path: socket,
      servername: "localhost",
      ALPNProtocols: ["h2"],
      ca,
      ...(client ? { cert: client.certificatePem, key: client.privateKeyPem } : {}),
    });
    connection.on("secureConnect", () => connection.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
    connection.on("data", () => {
      resolve("answered");
      connection.destroy();
    });
    connection.on("error", (error) => resolve(`error: ${error.message}`));
    connection.on("close", () => resolve("closed"));
  });
}

let hostCa: Issued;
let server: PluginServer;
let serverPem: string;
const certificates: Record<string, Issued> = {};
beforeAll(async () => {
  // The host's certificate is a CA, as go-plugin's is, so it verifies what it issued too.
  hostCa = await issue({ cn: "localhost", from: -60_000, to: day, ca: true });
  const stranger = await issue({ cn: "localhost", from: -60_000, to: day, ca: true });
  Object.assign(certificates, {
    host: hostCa,
    issuedByHost: await issue({ cn: "client", from: -60_000, to: day, issuer: hostCa }),
    stranger,
    issuedByStranger: await issue({ cn: "client", from: -60_000, to: day, issuer: stranger }),
    expired: await issue({ cn: "client", from: -2 * day, to: -day, issuer: hostCa }),
    notYetValid: await issue({ cn: "client", from: day, to: 2 * day, issuer: hostCa }),
  });
  ({ server, serverPem } = await serveWithHostCertificate(hostCa.certificatePem));
});
afterAll(() => server?.shutdown());

describe("serve with AutoMTLS: client certificates", () => {
  it.each(["host", "issuedByHost"])("accepts the %s certificate, valid now", async (name) => {
    expect(await tlsAnswer(server.address, serverPem, certificates[name])).toBe("answered");
  });

  it.each(["stranger", "issuedByStranger", "expired", "notYetValid"])(
    "refuses the %s certificate in the TLS handshake",
    async (name) => {
      // TLS 1.3: the server checks the client's certificate after the client's side of the
      // handshake, then hangs up (or resets); the accepted issuedByHost differs only in dates or issuer.
      expect(await tlsAnswer(server.address, serverPem, certificates[name])).not.toBe("answered");
    },
  );

  it("refuses a client with no certificate, which the server tells it needs", async () => {
    expect(await tlsAnswer(server.address, serverPem)).toMatch(/certificate required|closed/);
  });

  it("refuses the host's own certificate once it has expired", async () => {
    const expiredHost = await issue({ cn: "localhost", from: -2 * day, to: -day, ca: true });
    const other = await serveWithHostCertificate(expiredHost.certificatePem);
    try {
      expect(await tlsAnswer(other.server.address, other.serverPem, expiredHost)).not.toBe("answered");
    } finally {
      await other.server.shutdown();
    }
  });
});
