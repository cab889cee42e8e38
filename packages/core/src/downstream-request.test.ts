import { describe, expect, it } from "vitest";
import { activeCall, type DownstreamOutcome, observeDownstreamRequest } from "./downstream-request.js";

describe("observeDownstreamRequest", () => {
  const request = () => ({ method: "GET", url: "http://db/x", headers: new Headers() });

  it("does nothing outside a call", () => {
    const observation = observeDownstreamRequest(request());
    expect(() => observation.end(new Error("x"))).not.toThrow();
  });

  it("tells each observer of the current call, once, even across awaits", async () => {
    const seen: string[] = [];
    const observer = (name: string) => (r: { url: string | URL }, call: { endpoint: string }) => {
      seen.push(`${name} start ${call.endpoint} ${r.url}`);
      return {
        end: (o: DownstreamOutcome) => seen.push(`${name} end ${(o as Response).status}`),
        responseSize: (n: number) => seen.push(`${name} size ${n}`),
      };
    };
    await activeCall.run(
      { endpoint: "queryData", pluginContext: undefined, observers: [observer("a"), observer("b")] },
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        const observation = observeDownstreamRequest(request());
        observation.end({ status: 503, headers: new Headers() });
        observation.end({ status: 200, headers: new Headers() });
        observation.responseSize(12);
      },
    );
    expect(seen).toEqual([
      "a start queryData http://db/x",
      "b start queryData http://db/x",
      "a end 503",
      "b end 503",
      "a size 12",
      "b size 12",
    ]);
  });
});
