import { describe, expect, it } from "vitest";
import { executableName } from "./executable-name.js";

describe("executableName", () => {
  it("is gpx_ and the id's name part", () => {
    expect(executableName("myorg-ramp-datasource")).toBe("gpx_ramp");
    expect(executableName("gfsdk-testdata-datasource")).toBe("gpx_testdata");
  });

  it("uses the org for an id without a name part", () => {
    expect(executableName("myorg-app")).toBe("gpx_myorg");
  });
});
