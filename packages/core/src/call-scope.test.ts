import { Code, ConnectError, createHandlerContext } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { createCallScope } from "./call-scope.js";
import { ErrorInfoSchema } from "./gen/google/rpc/error_details_pb.js";
import { Diagnostics } from "./gen/pluginv2/backend_pb.js";
import { createLogger, SecretRedactor } from "./logger.js";
import { PluginContextParser } from "./plugin-context.js";
import { DownstreamError, PluginError } from "./plugin-error.js";

function scope(completed: unknown[] = [], lines: string[] = []) {
  const redactor = new SecretRedactor();
  return createCallScope({
    logger: createLogger({ write: (l) => lines.push(l), redactor }),
    redactor,
    parser: new PluginContextParser({ redactor }),
    validateSettings: async (pluginContext) => ({ pluginContext, jsonData: {}, secureJsonData: {} }),
    instances: undefined,
    shutdownSignal: undefined,
    onRequestCompleted: (r) => completed.push({ ...r, durationMs: 0 }),
  });
}

const hctx = () =>
  createHandlerContext({
    service: Diagnostics,
    method: Diagnostics.method.checkHealth,
    protocolName: "test",
    requestMethod: "POST",
    url: "http://plugin/pluginv2.Diagnostics/CheckHealth",
  });

describe("createCallScope", () => {
  it("turns a thrown error into UNKNOWN with its error source, and counts the call", async () => {
    const completed: unknown[] = [];
    const s = scope(completed);
    const error = await s
      .run("x", undefined, {}, hctx(), async () => {
        throw new DownstreamError("db down");
      })
      .catch((e: unknown) => e as ConnectError);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(Code.Unknown);
    expect((error as ConnectError).findDetails(ErrorInfoSchema)[0]?.metadata).toEqual({
      errorSource: "downstream",
    });
    expect(completed).toEqual([{ endpoint: "x", status: "error", source: "downstream", durationMs: 0 }]);
  });

  it("does not start the handler of a call cancelled while it was prepared", async () => {
    const completed: unknown[] = [];
    const context = hctx();
    let started = false;
    const call = scope(completed).run("x", undefined, {}, context, async () => {
      started = true;
    });
    context.abort();
    await expect(call).rejects.toMatchObject({ code: Code.Canceled });
    expect(started).toBe(false);
    expect(completed).toEqual([{ endpoint: "x", status: "cancelled", source: "", durationMs: 0 }]);
  });

  it("counts an outcome that marks a failed answer, and answers invalid settings when asked to", async () => {
    const completed: unknown[] = [];
    const s = createCallScope({
      ...{ logger: createLogger({ write: () => {} }), redactor: new SecretRedactor() },
      parser: new PluginContextParser(),
      validateSettings: async () => {
        throw new PluginError("invalid jsonData: url: Required", { status: 400 });
      },
      instances: undefined,
      shutdownSignal: undefined,
      onRequestCompleted: (r) => completed.push({ ...r, durationMs: 0 }),
    });
    const answer = await s.run("h", undefined, {}, hctx(), async () => "never", {
      onInvalidSettings: (error) => `answered: ${error.message}`,
    });
    expect(answer).toBe("answered: invalid jsonData: url: Required");
    await expect(s.run("h", undefined, {}, hctx(), async () => "never")).rejects.toThrow("url: Required");
    expect(completed).toEqual([
      { endpoint: "h", status: "error", source: "plugin", durationMs: 0 },
      { endpoint: "h", status: "error", source: "plugin", durationMs: 0 },
    ]);
  });

  it("masks the plugin's secrets in errors, keeping a PluginError's status and source", () => {
    const s = scope();
    s.redactor.set("ds", ["sekrit-value"]);
    const masked = s.maskError(new DownstreamError("no sekrit-value", { status: 401 }));
    expect(masked).toMatchObject({ message: "no [redacted]", status: 401, source: "downstream" });
    expect((s.maskError(new Error("x sekrit-value")) as Error).message).toBe("x [redacted]");
    const plain = new Error("nothing secret");
    expect(s.maskError(plain)).toBe(plain);
  });
});

describe("createCallScope tracing", () => {
  const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
  const traced = () =>
    createHandlerContext({
      service: Diagnostics,
      method: Diagnostics.method.checkHealth,
      protocolName: "test",
      requestMethod: "POST",
      url: "http://plugin/pluginv2.Diagnostics/CheckHealth",
      requestHeader: new Headers({ traceparent: `00-${traceId}-00f067aa0ba902b7-01` }),
    });

  it("puts the incoming trace id in every log line of the call, tracing off, failures included", async () => {
    const lines: string[] = [];
    const s = scope([], lines);
    await s.run("checkHealth", undefined, {}, traced(), async (ctx) => {
      ctx.logger.info("from the handler");
      return 1;
    });
    await s
      .run("checkHealth", undefined, {}, traced(), async () => {
        throw new Error("nope");
      })
      .catch(() => {});
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => r["@message"])).toEqual([
      "from the handler",
      "Plugin Request Completed",
      "Plugin Request Completed",
    ]);
    for (const r of records) expect(r.traceId).toBe(traceId);
  });

  it("has no traceId attribute without a trace context", async () => {
    const lines: string[] = [];
    await scope([], lines).run("checkHealth", undefined, {}, hctx(), async (ctx) => ctx.logger.info("x"));
    expect(lines.every((l) => !("traceId" in JSON.parse(l)))).toBe(true);
  });

  it("gives the tracer the call's method, plugin context and outcome, the error masked", async () => {
    const redactor = new SecretRedactor();
    redactor.add(["hunter22"]);
    const events: unknown[] = [];
    const s = createCallScope({
      logger: createLogger({ write: () => {}, redactor }),
      redactor,
      parser: new PluginContextParser({ redactor }),
      validateSettings: async (pluginContext) => ({ pluginContext, jsonData: {}, secureJsonData: {} }),
      instances: undefined,
      shutdownSignal: undefined,
      onRequestCompleted: undefined,
      tracer: {
        start(call) {
          events.push(["start", call.endpoint, call.service, call.method]);
          return {
            traceId: "t",
            setPluginContext: (pc) => events.push(["pluginContext", pc.pluginId]),
            run: (fn) => fn(),
            startDownstream: () => ({ end() {}, responseSize() {} }),
            end: (outcome) => events.push(["end", outcome]),
          };
        },
      },
    });
    await s
      .run("checkHealth", { pluginId: "p", orgId: 1n } as never, {}, hctx(), async () => {
        throw new DownstreamError("password hunter22 refused");
      })
      .catch(() => {});
    expect(events).toEqual([
      ["start", "checkHealth", "pluginv2.Diagnostics", "CheckHealth"],
      ["pluginContext", "p"],
      [
        "end",
        { status: "error", source: "downstream", code: Code.Unknown, error: "password [redacted] refused" },
      ],
    ]);
  });
});

describe("createCallScope logging", () => {
  it("adds Grafana's loggerParamsCtxMetadata attributes to the call's lines, never over the SDK's own", async () => {
    const lines: string[] = [];
    const requestHeader = new Headers();
    requestHeader.append("loggerparamsctxmetadata", "queryGroupID:::q1");
    requestHeader.append("loggerparamsctxmetadata", "endpoint:::spoofed");
    const context = createHandlerContext({
      service: Diagnostics,
      method: Diagnostics.method.checkHealth,
      protocolName: "test",
      requestMethod: "POST",
      url: "http://plugin/pluginv2.Diagnostics/CheckHealth",
      requestHeader,
    });
    await scope([], lines).run("checkHealth", { pluginId: "p" } as never, {}, context, async (ctx) =>
      ctx.logger.info("x"),
    );
    for (const line of lines) {
      expect(JSON.parse(line)).toMatchObject({ queryGroupID: "q1", endpoint: "checkHealth", pluginId: "p" });
    }
    expect(lines).toHaveLength(2);
  });
});
