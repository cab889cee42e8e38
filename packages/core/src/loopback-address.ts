// The one rule every adapter applies before it listens: loopback only, unless asked otherwise.
// A plugin has no authentication of its own (go-plugin trusts whoever reaches the socket), so an
// address other machines can reach hands the plugin's data sources and secrets to them.

const ipv4Loopback = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function isIpv4Loopback(text: string): boolean {
  const match = ipv4Loopback.exec(text);
  if (!match) return false;
  return match.slice(1).every((octet) => Number(octet) <= 255);
}

/**
 * Whether `host` names this machine's loopback interface only: `localhost`, an IPv4 address in
 * 127.0.0.0/8, or IPv6 `::1` (also `[::1]`, `0:0:0:0:0:0:0:1` and IPv4-mapped `::ffff:127.x.y.z`).
 * An empty host, `0.0.0.0` and `::` are not: listening on them means every interface. Case and a
 * trailing dot of `localhost` are ignored; nothing is resolved through DNS.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host
    .trim()
    .replace(/^\[(.*)\]$/, "$1")
    .toLowerCase();
  if (bare === "localhost" || bare === "localhost.") return true;
  if (isIpv4Loopback(bare)) return true;
  if (bare === "::1" || bare === "0:0:0:0:0:0:0:1") return true;
  const mapped = /^(?:::|0:0:0:0:0:)ffff:(.+)$/.exec(bare);
  return mapped !== null && isIpv4Loopback(mapped[1] ?? "");
}

/** Options of {@link assertLoopbackHost}. */
export interface LoopbackHostOptions {
  /** Accept any host, for a plugin deliberately served to other machines. Default `false`. */
  allowRemote?: boolean;
  /** How the adapter's users spell `allowRemote`, named in the error. Default `"allowRemote"`. */
  optionName?: string;
}

/**
 * `host` unchanged when it {@link isLoopbackHost} or `allowRemote` is set; otherwise throws an
 * error naming the host and the option that would allow it. Every adapter calls it before it
 * listens, so the rule is the same on each transport. @private Internal code, for adapters.
 */
export function assertLoopbackHost(host: string, options: LoopbackHostOptions = {}): string {
  if (options.allowRemote === true || isLoopbackHost(host)) return host;
  const optionName = options.optionName ?? "allowRemote";
  throw new Error(
    `refusing to listen on non-loopback host "${host}": a plugin has no authentication of its own, ` +
      `so anyone who can reach that address could call it; use a loopback host (127.0.0.1, ::1, ` +
      `localhost), or set ${optionName}: true to listen there anyway`,
  );
}
