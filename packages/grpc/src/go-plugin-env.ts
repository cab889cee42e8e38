import { appProtocolVersion } from "./handshake.js";

/** The magic cookie Grafana sets for every backend plugin, apps included; it "should NEVER be changed". */
export const magicCookie = { key: "grafana_plugin_type", value: "datasource" } as const;

/** What go-plugin's host tells the plugin through its environment. */
export interface GoPluginEnv {
  /** Whether `grafana_plugin_type=datasource` is set, i.e. a go-plugin host launched us. */
  cookieMatches: boolean;
  /** `PLUGIN_PROTOCOL_VERSIONS`, parsed; undefined when absent or without any integer entry. */
  protocolVersions?: number[];
  /** `PLUGIN_MIN_PORT`, default 0 (any free port). */
  minPort: number;
  /** `PLUGIN_MAX_PORT`, default 0 (any free port). */
  maxPort: number;
  /** `PLUGIN_UNIX_SOCKET_DIR`: where to create the socket; undefined means the OS temp dir. */
  unixSocketDir?: string;
  /** `PLUGIN_UNIX_SOCKET_GROUP`: group name or gid to own the socket, which then becomes 0660. */
  unixSocketGroup?: string;
  /** `PLUGIN_CLIENT_CERT`: the host's PEM certificate when it asks for AutoMTLS. */
  clientCert?: string;
}

/** Reads the go-plugin variables from `env`. Throws on a malformed port range, as go-plugin does. */
export function parseGoPluginEnv(env: Record<string, string | undefined>): GoPluginEnv {
  const nonEmpty = (key: string) => (env[key] === undefined || env[key] === "" ? undefined : env[key]);
  const port = (key: string): number => {
    const raw = nonEmpty(key);
    if (raw === undefined) return 0;
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || value > 65535) throw new Error(`${key} is not a port number: "${raw}"`);
    return value;
  };
  const minPort = port("PLUGIN_MIN_PORT");
  const maxPort = port("PLUGIN_MAX_PORT");
  if (minPort > maxPort) {
    throw new Error(
      `PLUGIN_MIN_PORT value of ${minPort} is greater than PLUGIN_MAX_PORT value of ${maxPort}`,
    );
  }
  const versions = nonEmpty("PLUGIN_PROTOCOL_VERSIONS")
    ?.split(",")
    .map((v) => v.trim())
    .filter((v) => /^\d+$/.test(v))
    .map(Number);
  return {
    cookieMatches: env[magicCookie.key] === magicCookie.value,
    // go-plugin skips entries it cannot parse; with none left it behaves as if the list were absent.
    protocolVersions: versions && versions.length > 0 ? versions : undefined,
    minPort,
    maxPort,
    unixSocketDir: nonEmpty("PLUGIN_UNIX_SOCKET_DIR"),
    unixSocketGroup: nonEmpty("PLUGIN_UNIX_SOCKET_GROUP"),
    clientCert: nonEmpty("PLUGIN_CLIENT_CERT"),
  };
}

/**
 * The app protocol version to speak: 2 when the host lists it or lists nothing (go-plugin then
 * falls back to the plugin's version), undefined when the host only accepts others.
 */
export function negotiateProtocolVersion(hostVersions: number[] | undefined): number | undefined {
  if (hostVersions === undefined) return appProtocolVersion;
  return hostVersions.includes(appProtocolVersion) ? appProtocolVersion : undefined;
}
