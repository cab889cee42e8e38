/** go-plugin's own protocol version, field 1 of the handshake; hosts refuse any other. */
export const coreProtocolVersion = 1;

/** The app protocol version Grafana speaks with backend plugins, field 2 of the handshake. */
export const appProtocolVersion = 2;

/** Options of {@link formatHandshake}. */
export interface HandshakeOptions {
  /** `unix` for a socket path, `tcp` for `host:port`. */
  network: "unix" | "tcp";
  /** The socket path or `host:port` the host dials. */
  address: string;
  /** The server certificate for AutoMTLS: base64 raw std encoding (no padding) of its DER. Default none. */
  serverCert?: string;
}

/**
 * The go-plugin handshake line, without its newline: `1|2|unix|/tmp/plugin123|grpc|`. Like
 * go-plugin, field 6 (the AutoMTLS certificate) is always present, empty without TLS.
 */
export function formatHandshake(options: HandshakeOptions): string {
  for (const value of [options.address, options.serverCert ?? ""]) {
    // The host splits the line on "|" and reads one line only.
    if (/[|\r\n]/.test(value))
      throw new Error(`a handshake field cannot contain "|" or a newline: ${JSON.stringify(value)}`);
  }
  return [
    coreProtocolVersion,
    appProtocolVersion,
    options.network,
    options.address,
    "grpc",
    options.serverCert ?? "",
  ].join("|");
}
