import type { EncodableFrame } from "./encodable-frame.js";

/** Sends packets to the subscribers of one Live channel from a `runStream` handler. */
export interface StreamSender {
  /**
   * Sends a frame as frame JSON. The first frame, and any frame whose schema (name, refId, fields'
   * names, types, labels and config, meta) differs from the last one sent, goes with schema and
   * data; a frame with the same schema as the last goes with data only, which Grafana Live appends
   * to the frame its subscribers already hold. Resolves once the transport has taken the packet.
   */
  sendFrame(frame: EncodableFrame): Promise<void>;
  /** Sends any JSON value (`JSON.stringify`d). Resolves once the transport has taken the packet. */
  sendJSON(value: unknown): Promise<void>;
  /** Sends bytes as they are. Resolves once the transport has taken the packet. */
  sendBytes(bytes: Uint8Array): Promise<void>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A {@link StreamSender} over `push`, which hands one packet's bytes to the transport and resolves
 * once it has taken them (its backpressure is the sender's). Each send calls `push` at once, in
 * call order, and resolves or rejects with it. @private Internal code, used by the service layer.
 */
export function createStreamSender(push: (bytes: Uint8Array) => Promise<void>): StreamSender {
  // The schema JSON of the last frame sent; undefined when the subscribers' frame is unknown (no
  // frame yet, or a JSON/bytes packet or a failed send came between), so the next frame has one.
  let lastSchema: string | undefined;

  const send = async (bytes: Uint8Array, schema: string | undefined): Promise<void> => {
    lastSchema = schema;
    try {
      await push(bytes);
    } catch (error) {
      // The packet may never have reached Grafana: whatever comes next carries its schema again.
      if (lastSchema === schema) lastSchema = undefined;
      throw error;
    }
  };

  return {
    sendFrame(frame) {
      if (frame === null || typeof frame !== "object" || typeof frame.encode !== "function") {
        return Promise.reject(
          new TypeError(
            "sendFrame: expected a frame with an encode method (send encoded bytes with sendBytes)",
          ),
        );
      }
      try {
        // The frame's own schema JSON is the comparison key: exactly what Grafana would be told.
        const schema = decoder.decode(frame.encode("json", { include: "schema" }));
        const include = schema === lastSchema ? "data" : "all";
        return send(frame.encode("json", { include }), schema);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    sendJSON(value) {
      let text: string | undefined;
      try {
        text = JSON.stringify(value);
      } catch (error) {
        return Promise.reject(
          new TypeError(`sendJSON: the value cannot be written as JSON`, { cause: error }),
        );
      }
      if (text === undefined) {
        return Promise.reject(new TypeError(`sendJSON: ${typeof value} is not a JSON value`));
      }
      return send(encoder.encode(text), undefined);
    },
    sendBytes(bytes) {
      if (!(bytes instanceof Uint8Array))
        return Promise.reject(new TypeError("sendBytes: expected a Uint8Array"));
      return send(bytes, undefined);
    },
  };
}
