import { createPluginTester, fieldValues } from "@gfsdk/in-process/testing";
import { expect, it } from "vitest";
import { plugin } from "./plugin.js";

it("answers a ramp", async () => {
  const tester = createPluginTester(plugin, { jsonData: { step: 2 } });
  const { frames } = await tester.query({});
  expect(fieldValues(frames[0]!, "value").slice(0, 3)).toEqual([0, 2, 4]);
  await tester.close();
});
