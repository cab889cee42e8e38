import { createLogger } from "@gfsdk/core";
import { describe, expect, it } from "vitest";
import { startProcessLifecycle } from "./process-lifecycle.js";
import { waitFor } from "./testing/wait-for.js";

const silent = createLogger({ write: () => {} });

describe("startProcessLifecycle", () => {
  it("stops once when a poll check gives a reason", async () => {
    const reasons: string[] = [];
    const stop = startProcessLifecycle({
      logger: silent,
      interrupt: "ignore",
      intervalMs: 5,
      check: async () => "time to go",
      onStop: (reason) => reasons.push(reason),
    });
    try {
      await waitFor(() => reasons.length > 0, "the check stops the process");
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(reasons).toEqual(["time to go"]);
    } finally {
      stop();
    }
  });

  it("stops on SIGINT only when told to", () => {
    const reasons: string[] = [];
    const ignoring = startProcessLifecycle({
      logger: silent,
      interrupt: "ignore",
      intervalMs: 1000,
      onStop: (r) => reasons.push(r),
    });
    process.emit("SIGINT", "SIGINT");
    ignoring();
    expect(reasons).toEqual([]);
    const stopping = startProcessLifecycle({
      logger: silent,
      interrupt: "stop",
      intervalMs: 1000,
      onStop: (r) => reasons.push(r),
    });
    process.emit("SIGINT", "SIGINT");
    stopping();
    expect(reasons).toEqual(["received SIGINT"]);
  });

  it("removes every process listener it added", () => {
    const events = ["SIGINT", "SIGTERM", "unhandledRejection", "exit"] as const;
    const before = events.map((event) => process.listenerCount(event));
    const stop = startProcessLifecycle({
      logger: silent,
      interrupt: "ignore",
      intervalMs: 1000,
      onStop: () => {},
    });
    expect(events.map((event) => process.listenerCount(event))).toEqual(before.map((count) => count + 1));
    stop();
    expect(events.map((event) => process.listenerCount(event))).toEqual(before);
  });

  it("logs a stray promise rejection instead of letting it end the process", () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (line) => lines.push(line) });
    const before = process.listeners("unhandledRejection");
    const stop = startProcessLifecycle({ logger, interrupt: "ignore", intervalMs: 1000, onStop: () => {} });
    try {
      const ours = process.listeners("unhandledRejection").find((listener) => !before.includes(listener));
      ours?.(new Error("stray"), Promise.resolve());
      expect(
        lines.some((line) => line.includes("Unhandled promise rejection") && line.includes("stray")),
      ).toBe(true);
    } finally {
      stop();
    }
  });

  it("logs process warnings through the logger instead of Node's printer, and restores it when removed", async () => {
    const lines: string[] = [];
    const before = process.listeners("warning");
    const stop = startProcessLifecycle({
      logger: createLogger({ write: (l) => lines.push(l) }),
      interrupt: "ignore",
      intervalMs: 1000,
      onStop: () => {},
    });
    try {
      expect(process.listeners("warning").some((l) => before.includes(l))).toBe(false);
      process.emitWarning("something odd", { code: "GFSDK_TEST" });
      await waitFor(() => lines.length > 0, "the warning is logged");
      expect(JSON.parse(lines[0]!)).toMatchObject({
        "@level": "warn",
        "@message": "something odd",
        warning: "Warning",
        code: "GFSDK_TEST",
      });
    } finally {
      stop();
    }
    expect(process.listeners("warning")).toEqual(before);
  });
});
