import { describe, expect, it } from "vitest";
import { definePlugin } from "./plugin.js";
import { clientFor, dsContext } from "./testing/service-client.js";

const encoder = new TextEncoder();

describe("createAdmissionService and createConversionService", () => {
  it("answer with the handlers' responses, the context's settings at hand", async () => {
    const { client } = clientFor(
      definePlugin({
        validateAdmission: (request, ctx) => ({
          allowed: request.objectBytes.length > 0 && ctx.jsonData.ok === true,
        }),
        mutateAdmission: (request) => ({ allowed: true, objectBytes: request.objectBytes }),
        convertObjects: (request) => ({ uid: request.uid, objects: request.objects }),
      }),
    );
    const pluginContext = dsContext({ ok: true });
    const object = encoder.encode("{}");
    expect((await client.admission.validateAdmission({ pluginContext, objectBytes: object })).allowed).toBe(
      true,
    );
    expect(
      (await client.admission.mutateAdmission({ pluginContext, objectBytes: object })).objectBytes,
    ).toEqual(object);
    expect((await client.conversion.convertObjects({ pluginContext, uid: "u1" })).uid).toBe("u1");
  });
});
