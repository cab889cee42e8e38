import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createLogger, hclogTimestamp, maskLogger, SecretRedactor } from "./logger.js";

function capture() {
  const lines: string[] = [];
  return { lines, write: (line: string) => lines.push(line) };
}

describe("hclogTimestamp", () => {
  it("writes exactly six fractional digits and Z, as go-plugin parses", () => {
    expect(hclogTimestamp(Date.UTC(2026, 10, 25, 18, 50, 0, 123) + 0.456)).toBe(
      "2026-11-25T18:50:00.123456Z",
    );
    expect(hclogTimestamp()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });
});

describe("createLogger", () => {
  it("writes one hclog JSON object per line with string @level, @message and @timestamp", () => {
    const out = capture();
    createLogger({ write: out.write, module: "plugin.x" }).info("hello", {
      n: 1,
      big: 2n,
      err: new Error("boom"),
    });
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]!.endsWith("\n")).toBe(true);
    const record = JSON.parse(out.lines[0]!) as Record<string, unknown>;
    expect(record).toMatchObject({
      "@level": "info",
      "@message": "hello",
      "@module": "plugin.x",
      n: 1,
      big: "2",
      err: "boom",
    });
    expect(typeof record["@timestamp"]).toBe("string");
  });

  it("does not let attributes replace the reserved keys", () => {
    const out = capture();
    createLogger({ write: out.write }).warn("real", { "@message": 42, "@level": "nope" });
    expect(JSON.parse(out.lines[0]!)).toMatchObject({ "@message": "real", "@level": "warn" });
  });

  it("drops records below the level and keeps attributes added with `with`", () => {
    const out = capture();
    const logger = createLogger({ write: out.write, level: "info" }).with({ endpoint: "queryData" });
    logger.debug("hidden");
    logger.error("shown");
    expect(out.lines).toHaveLength(1);
    expect(JSON.parse(out.lines[0]!)).toMatchObject({ "@level": "error", endpoint: "queryData" });
  });

  it("masks registered secrets wherever they appear", () => {
    const out = capture();
    const redactor = new SecretRedactor();
    redactor.add(["hunter2-secret", 'a"quoted"secret', "ab"]);
    createLogger({ write: out.write, redactor }).info("token hunter2-secret leaked", {
      s: 'a"quoted"secret',
      short: "ab",
    });
    expect(out.lines[0]).not.toContain("hunter2-secret");
    expect(out.lines[0]).not.toContain("quoted");
    expect(out.lines[0]).toContain("[redacted]");
    // Too short to mask safely.
    expect(JSON.parse(out.lines[0]!).short).toBe("ab");
  });
});

describe("SecretRedactor", () => {
  it("masks a secret as console.log prints it too (util.inspect escapes backslashes)", () => {
    const redactor = new SecretRedactor();
    const secrets = ['back\\slash"quote', "it's\\mine", `both'"\\`];
    redactor.add(secrets);
    for (const secret of secrets) {
      const printed = inspect({ secret });
      // Whichever quotes inspect chose, nothing of the secret is left between them.
      expect(redactor.redact(printed)).toMatch(/^\{ secret: (['"`])\[redacted\]\1 \}$/);
      expect(redactor.redact(JSON.stringify({ secret }))).toBe('{"secret":"[redacted]"}');
    }
  });

  it("masks the whole of a secret that holds a shorter one", () => {
    const redactor = new SecretRedactor();
    redactor.add(["abcd", "xxabcdyy"]);
    expect(redactor.redact("key xxabcdyy and abcd")).toBe("key [redacted] and [redacted]");
  });
});

describe("SecretRedactor owners", () => {
  it("replaces an owner's secrets and forgets them on delete", () => {
    const redactor = new SecretRedactor();
    redactor.set("ds#1", ["old-secret"]);
    redactor.set("ds#1", ["new-secret"]);
    redactor.set("ds#2", ["new-secret", "ab"]);
    expect(redactor.redact("old-secret new-secret")).toBe("old-secret [redacted]");
    expect(redactor.size).toBe(1);
    redactor.delete("ds#1");
    expect(redactor.redact("new-secret")).toBe("[redacted]");
    redactor.delete("ds#2");
    expect(redactor.redact("new-secret")).toBe("new-secret");
    expect(redactor.size).toBe(0);
  });
});

describe("maskLogger", () => {
  it("masks messages, string and error attributes and strings inside objects of a logger it wraps", () => {
    const lines: string[] = [];
    const redactor = new SecretRedactor();
    redactor.set("ds", ["wrapped-secret"]);
    const logger = maskLogger(createLogger({ write: (l) => lines.push(l) }), redactor).with({
      k: "wrapped-secret",
    });
    logger.info("using wrapped-secret", {
      error: new Error("bad wrapped-secret"),
      nested: { deep: ["wrapped-secret"] },
      n: 1,
    });
    const record = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(record).toMatchObject({
      "@message": "using [redacted]",
      k: "[redacted]",
      error: "bad [redacted]",
      nested: { deep: ["[redacted]"] },
      n: 1,
    });
  });

  it("returns a logger that masks with the same redactor already as it is", () => {
    const redactor = new SecretRedactor();
    const logger = createLogger({ write: () => {}, redactor });
    expect(maskLogger(logger, redactor)).toBe(logger);
    expect(maskLogger(logger, new SecretRedactor())).not.toBe(logger);
  });
});
