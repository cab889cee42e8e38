import { SecretRedactor } from "@gfsdk/core/protocol";
import { describe, expect, it } from "vitest";
import { redirectStdout } from "./stdout-redirect.js";
import { createOutputSink } from "./testing/output-sink.js";

describe("redirectStdout", () => {
  it("sends later writes to stderr until undone", () => {
    const stdout = createOutputSink();
    const stderr = createOutputSink();
    stdout.stream.write("handshake\n");
    const restore = redirectStdout(stdout.stream, stderr.stream);
    stdout.stream.write("log line\n");
    stdout.stream.write(Buffer.from("bytes\n"));
    restore();
    stdout.stream.write("after\n");
    expect(stdout.text()).toBe("handshake\nafter\n");
    expect(stderr.text()).toBe("log line\nbytes\n");
  });

  it("masks known secrets in what reaches stderr from either stream, and leaves other writes as they are", () => {
    const stdout = createOutputSink();
    const stderr = createOutputSink();
    const redactor = new SecretRedactor();
    redactor.add(["hunter2-secret"]);
    const plain = Buffer.from("no secret here\n");
    const restore = redirectStdout(stdout.stream, stderr.stream, redactor);
    stdout.stream.write("console.log hunter2-secret\n");
    stderr.stream.write(Buffer.from("console.error hunter2-secret\n"));
    stderr.stream.write(plain);
    stderr.stream.write("68756e746572322d736563726574", "hex"); // bytes, not text: passed on
    restore();
    stderr.stream.write("after hunter2-secret\n");
    expect(stderr.text()).toBe(
      "console.log [redacted]\nconsole.error [redacted]\nno secret here\nhunter2-secretafter hunter2-secret\n",
    );
  });
});
