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
});
