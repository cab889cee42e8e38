import { pluginv2 } from "@gfsdk/core/protocol";
import { type Frame, frameFromJSON } from "@gfsdk/dataframe";

/** The status of a SubscribeStream or PublishStream answer, by name: `"OK"`, `"NOT_FOUND"`, `"PERMISSION_DENIED"`. */
export type StreamStatusName = keyof typeof pluginv2.SubscribeStreamResponse_Status &
  keyof typeof pluginv2.PublishStreamResponse_Status;

/** What a Live message (a stream packet, or a subscribe/publish answer's data) carried. */
export interface StreamData {
  /** The data parsed as JSON; undefined when there was none. */
  json: unknown;
  /** The data decoded as a frame, when it is frame JSON (data-only packets against the last schema). */
  frame: Frame | undefined;
}

/** A SubscribeStream answer in plain values. */
export interface SubscribeResult extends StreamData {
  status: StreamStatusName;
}

/** A PublishStream answer in plain values. */
export interface PublishResult extends StreamData {
  status: StreamStatusName;
}

const decoder = new TextDecoder();

function statusName(status: number): StreamStatusName {
  const name = pluginv2.SubscribeStreamResponse_Status[status];
  if (name === undefined) throw new RangeError(`unknown stream status ${status}`);
  return name as StreamStatusName;
}

function isFrameJSON(value: unknown, schema: Frame | undefined): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  if (keys.length === 0 || !keys.every((k) => k === "schema" || k === "data")) return false;
  if ("schema" in value) return true;
  const data = (value as { data?: unknown }).data;
  return schema !== undefined && typeof data === "object" && data !== null && "values" in data;
}

/**
 * Creates a reader of one stream's Live messages: each is parsed as JSON, and frame JSON is
 * decoded as a frame; packets with data only decode against the schema of the last packet that
 * had one, as Grafana's Live client does. Data that is not JSON throws a SyntaxError quoting it.
 */
export function createStreamDataReader(): (data: Uint8Array) => StreamData {
  let schema: Frame | undefined;
  return (data) => {
    if (data.length === 0) return { json: undefined, frame: undefined };
    const text = decoder.decode(data);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new SyntaxError(`the stream data is not JSON: ${JSON.stringify(text.slice(0, 200))}`, {
        cause: error,
      });
    }
    if (!isFrameJSON(json, schema)) return { json, frame: undefined };
    const frame = frameFromJSON(json, "schema" in json ? {} : { schema });
    if ("schema" in json) schema = frame;
    return { json, frame };
  };
}

/** Converts a SubscribeStream answer to a {@link SubscribeResult}, its initial data decoded. */
export function toSubscribeResult(response: pluginv2.SubscribeStreamResponse): SubscribeResult {
  return { status: statusName(response.status), ...createStreamDataReader()(response.data) };
}

/** Converts a PublishStream answer to a {@link PublishResult}. */
export function toPublishResult(response: pluginv2.PublishStreamResponse): PublishResult {
  return { status: statusName(response.status), ...createStreamDataReader()(response.data) };
}
