import { Writable } from "node:stream";

/** A writable stream that keeps what is written, standing in for stdout or stderr. */
export interface OutputSink {
  stream: NodeJS.WritableStream;
  text(): string;
}

/** Creates an {@link OutputSink}. */
export function createOutputSink(): OutputSink {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  return { stream, text: () => chunks.join("") };
}
