import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { errorResponse } from "./error-response.js";
import { CallResourceRequestSchema } from "./gen/pluginv2/backend_pb.js";
import { PluginError } from "./plugin-error.js";
import { fromWebResponse, resourceOrigin, toWebRequest } from "./web-resource.js";

const signal = new AbortController().signal;

function request(path: string, url = "", headers: Record<string, string[]> = {}) {
  return create(CallResourceRequestSchema, {
    path,
    url,
    method: "GET",
    headers: Object.fromEntries(Object.entries(headers).map(([k, values]) => [k, { values }])),
  });
}

/** What a resource handler sees of `path` and `url`. */
function seen(path: string, url = ""): string {
  return toWebRequest(request(path, url), signal).url.slice(resourceOrigin.length);
}

describe("toWebRequest", () => {
  it.each([
    // [path, url, what the handler's request.url holds after the origin]
    ["resource", "", "/resource"],
    ["/a/b", "/api/plugins/x/resources/a/b?q=1&r=%2F", "/a/b?q=1&r=%2F"],
    ["/a", "/r/a?", "/a"],
    ["/a", "/r/a?q=1#frag", "/a?q=1"],
    ["/a", "/r/a#frag?not=query", "/a"],
    // Dot segments are resolved, in any spelling, and never climb above the root.
    ["/a/../b", "", "/b"],
    ["../../etc/passwd", "", "/etc/passwd"],
    ["/%2e%2e/%2E%2E/etc/passwd", "", "/etc/passwd"],
    ["/a/.%2e/b", "", "/b"],
    // A backslash is a slash, as WHATWG URLs say for http.
    ["/a\\..\\..\\b", "", "/b"],
    ["\\..\\secret", "", "/secret"],
    // Other percent-encodings stay encoded: the handler decides what %2F and %00 mean.
    ["/a%2Fb", "", "/a%2Fb"],
    ["/a%2f..%2fb", "", "/a%2f..%2fb"],
    ["/a%00b", "", "/a%00b"],
    ["/a%252e%252e/b", "", "/a%252e%252e/b"],
    ["/ünï code", "", "/%C3%BCn%C3%AF%20code"],
    // A path that looks like another host stays a path on the resource origin.
    ["//evil.example/x", "", "//evil.example/x"],
    ["/\\evil.example/x", "", "//evil.example/x"],
    ["/@evil.example", "", "/@evil.example"],
  ])("gives the handler path %j (url %j) as %j on the resource origin", (path, url, expected) => {
    expect(seen(path, url)).toBe(expected);
    expect(new URL(toWebRequest(request(path, url), signal).url).origin).toBe(resourceOrigin);
  });

  it.each([
    ["/a\u0000b", "", /invalid resource path: it holds the control character U\+0000/],
    ["/a\nb", "", /invalid resource path: it holds the control character U\+000A/],
    ["/a", "/r/a?x=\u0000", /invalid resource url: it holds the control character U\+0000/],
    ["/a%zz", "", /invalid resource path: "%zz" is not a percent-encoding/],
    ["/a%2", "", /invalid resource path: "%2" is not a percent-encoding/],
    ["/a", "/r/%g0?x", /invalid resource url: "%g0" is not a percent-encoding/],
  ])("refuses path %j (url %j), as Go's url.Parse does, with a 400", (path, url, message) => {
    let thrown: unknown;
    try {
      toWebRequest(request(path, url), signal);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PluginError);
    expect((thrown as PluginError).status).toBe(400);
    expect((thrown as PluginError).message).toMatch(message);
  });

  it("takes a bad percent-encoding in the query as it is, as Go does", () => {
    expect(seen("/a", "/r/a?q=%zz")).toBe("/a?q=%zz");
  });

  it("drops hop-by-hop headers, those Connection names, and Content-Length", () => {
    const headers = toWebRequest(
      request("/a", "", {
        Connection: ["keep-alive, X-Hop"],
        "Keep-Alive": ["timeout=5"],
        "Proxy-Connection": ["keep-alive"],
        "Proxy-Authorization": ["Basic c2VjcmV0"],
        TE: ["trailers"],
        Trailer: ["X-Checksum"],
        "Transfer-Encoding": ["chunked"],
        Upgrade: ["websocket"],
        "X-Hop": ["dropped"],
        "Content-Length": ["999"],
        Authorization: ["Bearer kept"],
        Cookie: ["a=1"],
        "X-Grafana-Org-Id": ["1"],
        Accept: ["application/json", "text/plain"],
      }),
      signal,
    ).headers;
    expect([...headers]).toEqual([
      ["accept", "application/json, text/plain"],
      ["authorization", "Bearer kept"],
      ["cookie", "a=1"],
      ["x-grafana-org-id", "1"],
    ]);
  });

  it("gives a body of the message's own length, whatever Content-Length said", async () => {
    const message = create(CallResourceRequestSchema, {
      path: "/a",
      method: "POST",
      headers: { "Content-Length": { values: ["2"] } },
      body: new TextEncoder().encode("0123456789"),
    });
    expect(await toWebRequest(message, signal).text()).toBe("0123456789");
  });
});

describe("fromWebResponse", () => {
  it("sends no hop-by-hop header, keeps each Set-Cookie apart and Content-Length as set", async () => {
    const response = new Response("body", {
      status: 201,
      headers: [
        ["Connection", "keep-alive, X-Hop"],
        ["Keep-Alive", "timeout=5"],
        ["Transfer-Encoding", "chunked"],
        ["Upgrade", "h2c"],
        ["Trailer", "X-Checksum"],
        ["Proxy-Authenticate", "Basic"],
        ["X-Hop", "dropped"],
        ["Content-Length", "4"],
        ["Content-Type", "text/plain"],
        ["Set-Cookie", "a=1; Path=/"],
        ["Set-Cookie", "b=2, c=3"],
      ],
    });
    const messages = [];
    for await (const m of fromWebResponse(response, signal)) messages.push(m);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.code).toBe(201);
    expect(messages[0]?.headers).toEqual({
      "content-length": { values: ["4"] },
      "content-type": { values: ["text/plain"] },
      "set-cookie": { values: ["a=1; Path=/", "b=2, c=3"] },
    });
  });

  /** The messages of a response, collected. */
  async function messagesOf(response: Response) {
    const messages = [];
    for await (const m of fromWebResponse(response, signal)) messages.push(m);
    return messages;
  }

  it("sets no errorSource below 400", async () => {
    for (const status of [200, 204, 302, 399]) {
      const [head] = await messagesOf(new Response(null, { status }));
      expect(head?.errorSource, String(status)).toBeUndefined();
    }
  });

  it("sets the errorSource of a status >= 400 by errorSourceFromHttpStatus, on the first message only", async () => {
    const chunks = ["a", "b"];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    const messages = await messagesOf(new Response(body, { status: 502 }));
    expect(messages.map((m) => m.errorSource)).toEqual(["downstream", undefined]);
    const [notAllowed] = await messagesOf(new Response(null, { status: 405 }));
    expect(notAllowed?.errorSource).toBe("plugin");
    const [notFound] = await messagesOf(new Response("", { status: 404 }));
    expect(notFound?.errorSource).toBe("downstream");
  });

  it("takes the errorSource of the error that made the response over the status's", async () => {
    const [fromPlugin] = await messagesOf(errorResponse(new PluginError("bad input", { status: 502 })));
    expect(fromPlugin?.code).toBe(502);
    expect(fromPlugin?.errorSource).toBe("plugin");
    const [fromDownstream] = await messagesOf(
      errorResponse(new PluginError("no such table", { status: 405, source: "downstream" })),
    );
    expect(fromDownstream?.errorSource).toBe("downstream");
    const [fromBug] = await messagesOf(errorResponse(new Error("boom")));
    expect(fromBug?.code).toBe(500);
    expect(fromBug?.errorSource).toBe("plugin");
  });
});
