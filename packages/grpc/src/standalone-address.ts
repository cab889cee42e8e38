/**
 * The environment variable that gives a plugin's standalone gRPC address, as the Go SDK reads it:
 * `GF_PLUGIN_GRPC_ADDRESS_` and the plugin id upper-cased with `-` as `_`.
 */
export function standaloneAddressEnvName(pluginId: string): string {
  return `GF_PLUGIN_GRPC_ADDRESS_${pluginId.toUpperCase().replaceAll("-", "_")}`;
}

/** Splits `host:port`; an empty host (Go's `:PORT`) means `127.0.0.1`. Throws when there is no port. */
export function parseTcpAddress(address: string): { host: string; port: number } {
  const match = /^(.*):(\d{1,5})$/.exec(address.trim());
  if (!match || Number(match[2]) > 65535) throw new Error(`not a host:port address: "${address}"`);
  return { host: match[1] || "127.0.0.1", port: Number(match[2]) };
}
