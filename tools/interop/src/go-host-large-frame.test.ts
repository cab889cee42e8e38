import { describe, expect, it } from "vitest";
import { runGoHost } from "./go-host-run.js";

// rows 10,000,000 in Arrow is about 274 MB: past the 256 MiB block limit of Go's Arrow reader, so the
// plugin must write several record batches in one file, which the Go SDK appends into one frame.
describe("the testdata executable's largest rows query through the Go host", () => {
  it("answers rows 10,000,000 in Arrow that the Go SDK decodes into one frame", async () => {
    const { report } = await runGoHost("host", ["--only", "launch,query-rows-10m"]);
    expect(report.scenarios).toEqual([
      expect.objectContaining({ name: "launch", ok: true, error: "" }),
      expect.objectContaining({ name: "query-rows-10m", ok: true, error: "" }),
    ]);
  }, 300_000);
});
