/** A CallResource request in plain values. */
export interface TestResourceRequest {
  /** Default `"GET"`. */
  method?: string;
  /** The path under the plugin's `resources/`, e.g. `"echo"` or `"series?limit=5"` (query string included). */
  path: string;
  /** Request headers; a list sends the header several times. */
  headers?: Record<string, string | string[]>;
  /**
   * The body: a string is sent as UTF-8, bytes as they are, anything else as JSON (with
   * `content-type: application/json` unless `headers` sets one). Default none.
   */
  body?: string | Uint8Array | object;
}

/** The fields of a CallResource request message, besides its plugin context. */
export interface CallResourceFields {
  method: string;
  path: string;
  url: string;
  headers: Record<string, { values: string[] }>;
  body: Uint8Array;
}

/** Where Grafana received the call: the `url` it forwards. */
export interface ResourceTarget {
  /** Set for a data source: its resources live under `/api/datasources/uid/<uid>/resources/`. */
  dataSourceUid?: string;
  /** The plugin id: an app's resources live under `/api/plugins/<id>/resources/`. */
  pluginId: string;
}

const encoder = new TextEncoder();

/** Converts a {@link TestResourceRequest} to the fields of a CallResource request message. */
export function toCallResourceRequest(
  request: TestResourceRequest,
  target: ResourceTarget,
): CallResourceFields {
  const trimmed = request.path.replace(/^\/+/, "");
  const queryAt = trimmed.indexOf("?");
  const path = queryAt >= 0 ? trimmed.slice(0, queryAt) : trimmed;
  const search = queryAt >= 0 ? trimmed.slice(queryAt) : "";
  const base =
    target.dataSourceUid !== undefined
      ? `/api/datasources/uid/${encodeURIComponent(target.dataSourceUid)}/resources/`
      : `/api/plugins/${encodeURIComponent(target.pluginId)}/resources/`;

  const headers: Record<string, { values: string[] }> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    headers[name] = { values: Array.isArray(value) ? value : [value] };
  }
  let body: Uint8Array = new Uint8Array();
  const given = request.body;
  if (typeof given === "string") body = encoder.encode(given);
  else if (given instanceof Uint8Array) body = given;
  else if (given !== undefined) {
    body = encoder.encode(JSON.stringify(given));
    const hasType = Object.keys(headers).some((name) => name.toLowerCase() === "content-type");
    if (!hasType) headers["Content-Type"] = { values: ["application/json"] };
  }
  return {
    method: (request.method ?? "GET").toUpperCase(),
    path,
    url: `${base}${path}${search}`,
    headers,
    body,
  };
}
