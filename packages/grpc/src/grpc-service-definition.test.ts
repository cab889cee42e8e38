import { create, type DescService, toBinary } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import { pluginv2 } from "@gfsdk/core/protocol";
import { describe, expect, it } from "vitest";
import { createGrpcServiceDefinition } from "./grpc-service-definition.js";

const noImpl = {} as ServiceImpl<DescService>;

describe("createGrpcServiceDefinition", () => {
  it("names every method by its gRPC path and marks server streams", () => {
    const { definition, implementation } = createGrpcServiceDefinition(pluginv2.Stream, noImpl);
    expect(Object.keys(definition).sort()).toEqual(["publishStream", "runStream", "subscribeStream"]);
    expect(definition.runStream).toMatchObject({
      path: "/pluginv2.Stream/RunStream",
      requestStream: false,
      responseStream: true,
    });
    expect(definition.subscribeStream).toMatchObject({
      path: "/pluginv2.Stream/SubscribeStream",
      requestStream: false,
      responseStream: false,
    });
    expect(Object.keys(implementation).sort()).toEqual(["publishStream", "runStream", "subscribeStream"]);
  });

  it("encodes responses from init objects and decodes requests with the generated schemas", () => {
    const { definition } = createGrpcServiceDefinition(pluginv2.Diagnostics, noImpl);
    const method = definition.checkHealth;
    const bytes = method?.responseSerialize({ message: "fine", status: 1 }) ?? Buffer.alloc(0);
    expect(method?.responseDeserialize(bytes)).toMatchObject({ message: "fine", status: 1 });
    const request = create(pluginv2.CheckHealthRequestSchema, { headers: { a: "b" } });
    const decoded = method?.requestDeserialize(
      Buffer.from(toBinary(pluginv2.CheckHealthRequestSchema, request)),
    );
    expect(decoded).toMatchObject({ headers: { a: "b" } });
  });

  it("refuses a service with client or bidi streaming methods", () => {
    const service = {
      typeName: "test.Chat",
      methods: [
        { ...pluginv2.Data.methods[0], name: "Talk", localName: "talk", methodKind: "bidi_streaming" },
      ],
    } as unknown as DescService;
    expect(() => createGrpcServiceDefinition(service, noImpl)).toThrow(/test\.Chat\.Talk: bidi_streaming/);
  });
});
