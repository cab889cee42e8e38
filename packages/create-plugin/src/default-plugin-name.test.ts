import { describe, expect, it } from "vitest";
import { defaultPluginName } from "./default-plugin-name.js";

describe("defaultPluginName", () => {
  it("capitalizes the id's name part", () => {
    expect(defaultPluginName("myorg-ramp-datasource")).toBe("Ramp");
  });

  it("uses the org for an id without a name part", () => {
    expect(defaultPluginName("acme-app")).toBe("Acme");
  });
});
