import type { pluginv2 } from "@gfsdk/core/protocol";

/** A `StatusResult` (why an admission or conversion was refused) in plain values. */
export interface StatusResultValue {
  status: string;
  message: string;
  reason: string;
  code: number;
}

/** A ValidateAdmission or MutateAdmission answer in plain values. */
export interface AdmissionResult {
  allowed: boolean;
  /** Why it was refused; undefined when the plugin sent no result. */
  result: StatusResultValue | undefined;
  warnings: string[];
  /** MutateAdmission: the mutated object parsed from JSON; undefined when none was sent. */
  object: unknown;
}

/** A ConvertObjects answer in plain values. */
export interface ConversionResult {
  uid: string;
  result: StatusResultValue | undefined;
  /** The converted objects: parsed from JSON when their content type is JSON (or unset), else the raw bytes. */
  objects: unknown[];
}

const decoder = new TextDecoder();

function parse(bytes: Uint8Array, what: string): unknown {
  if (bytes.length === 0) return undefined;
  const text = decoder.decode(bytes);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`${what} is not JSON: ${JSON.stringify(text.slice(0, 200))}`, { cause: error });
  }
}

function status(result: pluginv2.StatusResult | undefined): StatusResultValue | undefined {
  if (result === undefined) return undefined;
  return { status: result.status, message: result.message, reason: result.reason, code: result.code };
}

/** Converts a ValidationResponse or MutationResponse to an {@link AdmissionResult}. */
export function toAdmissionResult(
  response: pluginv2.ValidationResponse | pluginv2.MutationResponse,
): AdmissionResult {
  return {
    allowed: response.allowed,
    result: status(response.result),
    warnings: [...response.warnings],
    object: "objectBytes" in response ? parse(response.objectBytes, "the mutated object") : undefined,
  };
}

/** Converts a ConversionResponse to a {@link ConversionResult}. */
export function toConversionResult(response: pluginv2.ConversionResponse): ConversionResult {
  return {
    uid: response.uid,
    result: status(response.result),
    objects: response.objects.map((o, i) =>
      o.contentType === "" || /json/i.test(o.contentType) ? parse(o.raw, `converted object ${i}`) : o.raw,
    ),
  };
}
