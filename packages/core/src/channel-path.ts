/**
 * The longest Grafana Live channel, in characters: Grafana's `live.ParseChannel` (grafana-plugin-sdk-go
 * `live/channel.go`, which Grafana's Live service calls on every channel) refuses a longer
 * `scope/namespace/path`.
 */
export const maxChannelLength = 160;

/**
 * The characters Grafana allows in a channel path: `live/channel.go`'s `^[A-z0-9_\-/=.]*$`. The
 * range `A-z` is kept as Go writes it, so ``[ \ ] ^ ` `` (which sit between `Z` and `a` in ASCII)
 * pass too: a channel Grafana accepts must reach the plugin's handler, not be refused here.
 */
const pathPattern = /^[A-z0-9_\-/=.]*$/;

/**
 * Checks the path of a Live channel (the part after `scope/namespace/`, which is what Grafana puts
 * in a stream request's `path`) by Grafana's rules: not empty, at most {@link maxChannelLength}
 * characters, and only ASCII letters, digits and `_ - / = .` (plus ``[ \ ] ^ ` ``, see above).
 * Grafana applies the length limit to the whole channel; the plugin never sees the scope and
 * namespace, so the path alone is held to it (no valid channel has a longer path).
 * Returns a message naming the broken rule, or `undefined` when the path is valid.
 */
export function validateChannelPath(path: string): string | undefined {
  if (path === "") return "invalid channel path: it is empty";
  if (path.length > maxChannelLength) {
    return `invalid channel path: it has ${path.length} characters, at most ${maxChannelLength} are allowed`;
  }
  if (!pathPattern.test(path)) {
    const bad = [...path].find((ch) => !pathPattern.test(ch)) ?? "";
    return `invalid channel path ${JSON.stringify(path)}: ${JSON.stringify(bad)} is not allowed (only ASCII letters, digits, "_", "-", "/", "=" and ".")`;
  }
  return undefined;
}
