import { describe, expect, it } from "vitest";
import { validatePluginId } from "./validate-plugin-id.js";

describe("validatePluginId", () => {
  it("accepts Grafana's <org>-<name>-<type> and <org>-<type> ids", () => {
    expect(validatePluginId("myorg-ramp-datasource", "datasource")).toBeUndefined();
    expect(validatePluginId("grafana-github2-datasource", "datasource")).toBeUndefined();
    expect(validatePluginId("myorg-hello-app", "app")).toBeUndefined();
    expect(validatePluginId("myorg-app", "app")).toBeUndefined();
  });

  it("refuses uppercase letters", () => {
    expect(validatePluginId("MyOrg-ramp-datasource", "datasource")).toMatch(/uppercase/);
  });

  it("refuses an id that does not end in the plugin's type", () => {
    expect(validatePluginId("myorg-ramp-app", "datasource")).toBe(
      'the plugin id "myorg-ramp-app" must end in "-datasource" for a datasource plugin, e.g. myorg-ramp-datasource',
    );
    expect(validatePluginId("myorg-ramp-datasource", "app")).toMatch(/must end in "-app"/);
    expect(validatePluginId("myorg-ramp", "datasource")).toMatch(/must end in "-datasource"/);
  });

  it("refuses other shapes, naming the form expected", () => {
    for (const id of [
      "my-org-ramp-datasource",
      "myorg_ramp-datasource",
      "-datasource",
      "myorg--datasource",
    ]) {
      expect(validatePluginId(id, "datasource"), id).toMatch(/is not of the form <org>-<name>-datasource/);
    }
    expect(validatePluginId("", "app")).toMatch(/empty/);
  });
});
