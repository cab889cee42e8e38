import { type DescMethod, fromBinary } from "@bufbuild/protobuf";
import { pluginv2 } from "@gfsdk/core/protocol";

const isHttpStatus = (status: number) => Number.isInteger(status) && status >= 100 && status <= 599;

/**
 * Why the response messages of a successful call are wrong, or undefined: each must decode as the
 * method's output, and statuses that go on to HTTP must be HTTP statuses (100–599) with an error
 * message whenever they are 4xx/5xx.
 */
export function badResponse(method: DescMethod, messages: readonly Uint8Array[]): string | undefined {
  for (const [i, bytes] of messages.entries()) {
    let message: unknown;
    try {
      message = fromBinary(method.output, bytes);
    } catch (error) {
      return `response ${i} does not decode as ${method.output.typeName}: ${(error as Error).message}`;
    }
    const problem = badStatus(method, message, i);
    if (problem) return problem;
  }
  return undefined;
}

function badStatus(method: DescMethod, message: unknown, i: number): string | undefined {
  const dataResponse = (refId: string, r: { status: number; error: string }) => {
    if (!isHttpStatus(r.status)) return `refId ${JSON.stringify(refId)}: status ${r.status}`;
    if (r.status >= 400 && r.error.trim() === "")
      return `refId ${JSON.stringify(refId)}: status ${r.status} without an error`;
    return undefined;
  };
  switch (method.output.typeName) {
    case pluginv2.QueryDataResponseSchema.typeName: {
      const m = message as pluginv2.QueryDataResponse;
      for (const [refId, r] of Object.entries(m.responses)) {
        const problem = dataResponse(refId, r);
        if (problem) return problem;
      }
      return undefined;
    }
    case pluginv2.QueryChunkedDataResponseSchema.typeName: {
      const m = message as pluginv2.QueryChunkedDataResponse;
      return dataResponse(m.refId, m);
    }
    case pluginv2.CallResourceResponseSchema.typeName: {
      const m = message as pluginv2.CallResourceResponse;
      // Only the first message carries the status; later ones are body chunks.
      if (i === 0 && !isHttpStatus(m.code)) return `CallResource status ${m.code}`;
      return undefined;
    }
    default:
      return undefined;
  }
}
