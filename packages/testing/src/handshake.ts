import { X509Certificate } from "node:crypto";

/** The go-plugin handshake line a plugin prints on stdout, parsed as a go-plugin host parses it. */
export interface Handshake {
  /** The line as printed, without its newline. */
  line: string;
  /** Field 1, go-plugin's core protocol version: always 1. */
  coreProtocolVersion: number;
  /** Field 2, the app protocol version: 2 for Grafana. */
  appProtocolVersion: number;
  /** Field 3. */
  network: "unix" | "tcp";
  /** Field 4: the socket path, or `host:port`. */
  address: string;
  /** Field 5: always `grpc` (Grafana refuses net/rpc plugins). */
  protocol: "grpc";
  /** Field 6 when it holds one (AutoMTLS): the plugin's server certificate, PEM. */
  serverCertificate: string | undefined;
  /** Field 7 (`true`): the plugin multiplexes go-plugin broker connections. */
  multiplex: boolean;
}

/** Options of {@link parseHandshake}. */
export interface ParseHandshakeOptions {
  /** The app protocol versions the host accepts (its `PLUGIN_PROTOCOL_VERSIONS`); default `[2]`. */
  protocolVersions?: number[];
}

/**
 * Parses a go-plugin handshake line (`1|2|unix|/tmp/plugin123|grpc|`) with go-plugin's client
 * rules (`client.go`): at least four fields, core version 1, an accepted app version, network
 * `unix` or `tcp`, protocol `grpc`, and field 6 a certificate only when longer than 50 characters.
 * Throws an Error quoting the line and naming the rule it breaks, in go-plugin's words.
 * Written by hand: go-plugin has no JavaScript implementation.
 */
export function parseHandshake(line: string, options: ParseHandshakeOptions = {}): Handshake {
  const accepted = options.protocolVersions ?? [2];
  const trimmed = line.trim();
  const parts = trimmed.split("|");
  const quoted = JSON.stringify(trimmed);
  if (parts.length < 4) {
    throw new Error(
      `Unrecognized remote plugin message: ${quoted}. This usually means the plugin was not compiled for ` +
        "this architecture, that it printed something on stdout before its handshake, or that it is not a plugin",
    );
  }
  const [core = "", app = "", network = "", address = "", protocol = "netrpc", cert = "", mux = ""] = parts;
  if (!/^\d+$/.test(core)) throw new Error(`Error parsing core protocol version in handshake ${quoted}`);
  if (Number(core) !== 1) {
    throw new Error(
      `Incompatible core API version with plugin. Plugin version: ${core}, Core version: 1 (${quoted})`,
    );
  }
  if (!/^\d+$/.test(app)) throw new Error(`Error parsing protocol version in handshake ${quoted}`);
  if (!accepted.includes(Number(app))) {
    throw new Error(
      `Incompatible API version with plugin. Plugin version: ${app}, Client versions: [${accepted.join(" ")}] (${quoted})`,
    );
  }
  if (network !== "unix" && network !== "tcp")
    throw new Error(`Unknown address type: ${network} (${quoted})`);
  if (address === "") throw new Error(`the handshake has an empty address: ${quoted}`);
  if (protocol !== "grpc") {
    throw new Error(`Unsupported plugin protocol "${protocol}". Supported: [grpc] (${quoted})`);
  }
  let serverCertificate: string | undefined;
  if (cert.length > 50) {
    try {
      serverCertificate = new X509Certificate(Buffer.from(cert, "base64")).toString();
    } catch (error) {
      throw new Error(`error parsing server certificate in handshake ${quoted}: ${String(error)}`, {
        cause: error,
      });
    }
  }
  return {
    line: trimmed,
    coreProtocolVersion: 1,
    appProtocolVersion: Number(app),
    network,
    address,
    protocol: "grpc",
    serverCertificate,
    multiplex: mux === "true",
  };
}
