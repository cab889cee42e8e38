import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { PluginContextSchema } from "./gen/pluginv2/backend_pb.js";
import { PluginContextParser } from "./plugin-context.js";
import type { Schema } from "./schema.js";
import { createSettingsValidator } from "./settings-validator.js";

const encoder = new TextEncoder();
const parser = new PluginContextParser();

const ds = (jsonData: object, secrets: Record<string, string> = {}, lastUpdatedMS = 1n) =>
  parser.parse(
    create(PluginContextSchema, {
      orgId: 1n,
      dataSourceInstanceSettings: {
        uid: "u",
        jsonData: encoder.encode(JSON.stringify(jsonData)),
        decryptedSecureJsonData: secrets,
        lastUpdatedMS,
      },
    }),
  );

describe("createSettingsValidator", () => {
  it("returns the validated settings and a plugin context holding them, secrets kept hidden", async () => {
    const validate = createSettingsValidator(
      z.object({ port: z.coerce.number() }),
      z.object({ apiKey: z.string(), extra: z.string().default("d") }),
    );
    const settings = await validate(ds({ port: "80" }, { apiKey: "k" }));
    expect(settings.jsonData).toEqual({ port: 80 });
    expect(settings.secureJsonData).toEqual({ apiKey: "k", extra: "d" });
    const validated = settings.pluginContext.dataSourceInstanceSettings!;
    expect(validated.jsonData).toEqual({ port: 80 });
    expect(validated.decryptedSecureJsonData).toEqual({ apiKey: "k", extra: "d" });
    expect(Object.keys(validated)).not.toContain("decryptedSecureJsonData");
    expect(validated.uid).toBe("u");
  });

  it("validates each settings once while it does not change, and again after a failure", async () => {
    let runs = 0;
    let fail = true;
    const counting: Schema<object> = {
      "~standard": {
        version: 1,
        vendor: "test",
        validate: (value) => {
          runs++;
          return fail ? { issues: [{ message: "nope" }] } : { value: value as object };
        },
      },
    };
    const validate = createSettingsValidator(counting, undefined);
    const context = ds({ a: 1 }, {}, 7n);
    await expect(validate(context)).rejects.toThrow("invalid jsonData: nope");
    fail = false;
    await validate(context);
    await validate(ds({ a: 1 }, {}, 7n)); // the parser hands out the same settings object
    expect(runs).toBe(2);
  });

  it("answers {} for a call without settings, and passes settings through without schemas", async () => {
    const validate = createSettingsValidator(undefined, undefined);
    const none = parser.parse(create(PluginContextSchema, { pluginId: "p" }));
    expect(await validate(none)).toMatchObject({ jsonData: {}, secureJsonData: {} });
    const context = ds({ x: 1 }, { s: "v" });
    const settings = await validate(context);
    expect(settings.pluginContext).toBe(context);
    expect(settings).toMatchObject({ jsonData: { x: 1 }, secureJsonData: { s: "v" } });
  });
});
