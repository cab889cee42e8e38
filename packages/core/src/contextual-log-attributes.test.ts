import { describe, expect, it } from "vitest";
import { contextualLogAttributes } from "./contextual-log-attributes.js";

describe("contextualLogAttributes", () => {
  it("reads each key:::value of repeated loggerParamsCtxMetadata values", () => {
    const headers = new Headers();
    headers.append("loggerParamsCtxMetadata", "queryGroupID:::abc");
    headers.append("loggerParamsCtxMetadata", "panelTitle:::CPU, per core");
    headers.append("loggerParamsCtxMetadata", "dashboardUID:::d1");
    expect(contextualLogAttributes(headers)).toEqual({
      queryGroupID: "abc",
      panelTitle: "CPU, per core",
      dashboardUID: "d1",
    });
  });

  it("skips values without a key, a value or with more than one separator, as the Go SDK does", () => {
    const headers = new Headers();
    for (const v of [":::x", "k:::", "a:::b:::c", "plain", "ok:::1"])
      headers.append("loggerparamsctxmetadata", v);
    expect(contextualLogAttributes(headers)).toEqual({ ok: "1" });
    expect(contextualLogAttributes(new Headers())).toEqual({});
  });
});
