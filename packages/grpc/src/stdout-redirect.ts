import { SecretRedactor } from "@gfsdk/core/protocol";

type Write = NodeJS.WritableStream["write"];
type WriteArgs = Parameters<Write>;

/**
 * `args` of a `write` call with every known secret of `redactor` masked in its chunk. A chunk that
 * holds none is passed on as it came (the same string or buffer, the same encoding).
 */
function maskedArgs(args: WriteArgs, redactor: SecretRedactor): WriteArgs {
  const [chunk, ...rest] = args as unknown as [unknown, ...unknown[]];
  if (typeof chunk === "string") {
    // A string with an encoding other than UTF-8 (hex, base64) is bytes in disguise: leave it.
    const encoding = typeof rest[0] === "string" ? rest[0].toLowerCase() : "utf8";
    if (encoding !== "utf8" && encoding !== "utf-8") return args;
    const masked = redactor.redact(chunk);
    return masked === chunk ? args : ([masked, ...rest] as unknown as WriteArgs);
  }
  if (chunk instanceof Uint8Array) {
    const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString("utf8");
    const masked = redactor.redact(text);
    return masked === text ? args : ([Buffer.from(masked), ...rest] as unknown as WriteArgs);
  }
  return args;
}

/**
 * Sends everything later written to `stdout` (`console.log`, `process.stdout.write`) to `stderr`
 * instead: after the handshake the host reads stdout no more, and anything printed there would be
 * lost (Grafana discards it) or, before it, taken for the handshake. Both streams also mask every
 * secret `redactor` knows (the plugin services' own, fed with each `decryptedSecureJsonData`
 * value of the settings in use; default an empty one): Grafana logs the plugin's stderr, and a `console.log(settings.decryptedSecureJsonData)`
 * or `console.error(error)` is not written by core's logger, which masks its own lines. Returns a
 * function that undoes both.
 */
export function redirectStdout(
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
  redactor: SecretRedactor = new SecretRedactor(),
): () => void {
  const originalStdout = stdout.write;
  const originalStderr = stderr.write;
  const maskedStderr = function (this: unknown, ...args: WriteArgs): boolean {
    return (originalStderr as (...a: WriteArgs) => boolean).apply(stderr, maskedArgs(args, redactor));
  } as Write;
  const redirected = function (this: unknown, ...args: WriteArgs): boolean {
    return (stderr.write as (...a: WriteArgs) => boolean).apply(stderr, args);
  } as Write;
  stderr.write = maskedStderr;
  stdout.write = redirected;
  return () => {
    // Someone else may have patched them since; leave theirs alone.
    if (stdout.write === redirected) stdout.write = originalStdout;
    if (stderr.write === maskedStderr) stderr.write = originalStderr;
  };
}
