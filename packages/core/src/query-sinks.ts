import type { MessageInitShape } from "@bufbuild/protobuf";
import { type EncodableFrame, encodeFrame, type FrameFormat, type FrameLike } from "./encodable-frame.js";
import type {
  DataFrameFormat,
  DataResponseSchema,
  QueryChunkedDataResponseSchema,
} from "./gen/pluginv2/backend_pb.js";
import type { SecretRedactor } from "./logger.js";
import { type ErrorSource, errorMessage, PluginError } from "./plugin-error.js";
import type { QuerySink } from "./query-runner.js";

type DataResponseInit = MessageInitShape<typeof DataResponseSchema>;
type ChunkInit = MessageInitShape<typeof QueryChunkedDataResponseSchema>;

interface Answer {
  /** Whether a frame or an error was written. */
  touched: boolean;
  frames: { frameId: string; frame: FrameLike }[];
  status?: number;
  error?: string;
  source?: ErrorSource;
}

/** A {@link QuerySink} that collects a QueryData response; `responses()` encodes it. @private */
export interface CollectingSink extends QuerySink {
  /** The response of each refId answered, frames encoded in `format`. */
  responses(): Record<string, DataResponseInit>;
}

/**
 * Collects the answers of a QueryData request. With `joinChunks` (answers written through a
 * chunked writer), frames of one refId and frameId are joined row by row into one frame with
 * the frame's `concatRows`; without it each frame stays a frame of its own.
 * @private Internal code.
 */
export function createCollectingSink(
  refIds: readonly string[],
  format: DataFrameFormat,
  frameFormat: FrameFormat,
  redactor: SecretRedactor,
  joinChunks: boolean,
): CollectingSink {
  // Every query of the request gets a response (empty when nothing answered it), in request order.
  const answers = new Map<string, Answer>(refIds.map((refId) => [refId, { touched: false, frames: [] }]));
  const answer = (refId: string): Answer => {
    let a = answers.get(refId);
    if (!a) {
      a = { touched: false, frames: [] };
      answers.set(refId, a);
    }
    a.touched = true;
    return a;
  };
  return {
    async frame(refId, frameId, frame) {
      answer(refId).frames.push({ frameId, frame });
    },
    async done() {},
    async error(refId, status, message, source) {
      const a = answer(refId);
      const text = errorMessage(message, redactor);
      // The first error of a refId is its answer, as the Go SDK's response holds one.
      if (a.error) return;
      a.status = status;
      if (text !== "") {
        a.error = text;
        a.source = source;
      }
    },
    answered: (refId) => answers.get(refId)?.touched === true,
    responses() {
      const out: Record<string, DataResponseInit> = {};
      for (const [refId, a] of answers) {
        let frames: Uint8Array[];
        let error = a.error;
        let status = a.status;
        let source = a.source;
        try {
          const joined = joinChunks ? joinFrames(a.frames) : a.frames.map((f) => f.frame);
          frames = joined.map((f) => encodeFrame(f, frameFormat, { refId }));
        } catch (e) {
          frames = [];
          error = errorMessage(e, redactor);
          status = e instanceof PluginError ? e.status : 500;
          source = e instanceof PluginError ? e.source : "plugin";
        }
        out[refId] = {
          frames,
          error: error ?? "",
          status: status ?? (error ? 500 : 200),
          errorSource: error ? (source ?? "plugin") : "",
          format,
        };
      }
      return out;
    },
  };
}

/** The frames of one refId with the chunks of each frameId joined, in order of first chunk. */
function joinFrames(chunks: { frameId: string; frame: FrameLike }[]): FrameLike[] {
  const groups = new Map<string, FrameLike[]>();
  for (const { frameId, frame } of chunks) {
    const group = groups.get(frameId);
    if (group) group.push(frame);
    else groups.set(frameId, [frame]);
  }
  return [...groups].map(([frameId, [first, ...rest]]) => {
    if (rest.length === 0) return first as FrameLike;
    if (first instanceof Uint8Array || typeof first?.concatRows !== "function") {
      throw new PluginError(
        `cannot answer QueryData with the ${rest.length + 1} chunks of frameId "${frameId}": the frame has no concatRows method to join them (pre-encoded bytes cannot be joined)`,
      );
    }
    const others = rest.map((f) => {
      if (f instanceof Uint8Array) {
        throw new PluginError(`cannot join a pre-encoded chunk of frameId "${frameId}" to its frame`);
      }
      return f as EncodableFrame;
    });
    return first.concatRows(others);
  });
}

/**
 * A {@link QuerySink} that sends each answer as a QueryChunkedData chunk through `push`, which
 * resolves once the transport has taken it. The first chunk of a frameId carries frame JSON's
 * schema and data, later ones data only; Arrow chunks are whole Arrow IPC files.
 * @private Internal code.
 */
export function createChunkSink(
  push: (chunk: ChunkInit) => Promise<void>,
  format: DataFrameFormat,
  frameFormat: FrameFormat,
  redactor: SecretRedactor,
): QuerySink {
  const seen = new Map<string, Set<string>>();
  return {
    frame(refId, frameId, frame) {
      let ids = seen.get(refId);
      if (!ids) {
        ids = new Set();
        seen.set(refId, ids);
      }
      const first = !ids.has(frameId);
      ids.add(frameId);
      const bytes = encodeFrame(frame, frameFormat, { refId, include: first ? "all" : "data" });
      return push({ refId, frameId, frame: bytes, status: 200, format });
    },
    error(refId, status, message, source) {
      if (!seen.has(refId)) seen.set(refId, new Set());
      const text = errorMessage(message, redactor);
      if (text === "" && status < 400)
        return status === 200 ? Promise.resolve() : push({ refId, status, format });
      return push({ refId, error: text || "query failed", status, errorSource: source, format });
    },
    answered: (refId) => seen.has(refId),
    // A query answered with no frames gets one chunk with its status, so the host sees an answer.
    done(refId) {
      if (seen.has(refId)) return Promise.resolve();
      seen.set(refId, new Set());
      return push({ refId, status: 200, format });
    },
  };
}
