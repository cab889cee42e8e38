/** What a call received: its `headers` map (`http_<Name>` keys, as Grafana sends them) or a web `Headers`. */
export type IncomingHeaders = Record<string, string> | Headers;

/**
 * A header of the user's request to Grafana, as Grafana forwards it to the plugin: `http_<Name>`
 * (the Go SDK's `SetHTTPHeader`), or the legacy unprefixed key; names are case-insensitive.
 */
function incoming(headers: IncomingHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = [name.toLowerCase(), `http_${name}`.toLowerCase()];
  let legacy: string | undefined;
  for (const [key, value] of Object.entries(headers)) {
    const k = key.toLowerCase();
    if (k === wanted[1]) return value;
    if (k === wanted[0]) legacy = value;
  }
  return legacy;
}

/** Keeps the cookies named in `keep` from a `Cookie` header, in their order; `""` when none is kept. */
function keptCookies(cookie: string, keep: readonly string[]): string {
  const names = new Set(keep);
  return cookie
    .split(";")
    .map((c) => c.trim())
    .filter((c) => {
      const eq = c.indexOf("=");
      return eq > 0 && names.has(c.slice(0, eq).trim());
    })
    .join("; ");
}

/** Which of the user's headers a data source forwards. */
export interface ForwardingRules {
  /** `jsonData.oauthPassThru`: forward `Authorization` and `X-Id-Token`. */
  forwardOAuth: boolean;
  /** `jsonData.keepCookies`: the cookie names forwarded. */
  keepCookies: readonly string[];
}

/**
 * The headers of the user's request that go on to the downstream API, as Grafana and the Go SDK
 * forward them: with `oauthPassThru`, the user's `Authorization` and `X-Id-Token`; with
 * `keepCookies`, those cookies only; and `X-Grafana-Id` (the signed user identity, sent by Grafana
 * only when its `idForwarded` toggle is on) whenever Grafana sent it.
 */
export function forwardedHeaders(headers: IncomingHeaders, rules: ForwardingRules): [string, string][] {
  const out: [string, string][] = [];
  if (rules.forwardOAuth) {
    for (const name of ["Authorization", "X-Id-Token"]) {
      const value = incoming(headers, name);
      if (value) out.push([name, value]);
    }
  }
  if (rules.keepCookies.length > 0) {
    const cookie = incoming(headers, "Cookie");
    const kept = cookie ? keptCookies(cookie, rules.keepCookies) : "";
    if (kept !== "") out.push(["Cookie", kept]);
  }
  const id = incoming(headers, "X-Grafana-Id");
  if (id) out.push(["X-Grafana-Id", id]);
  return out;
}
