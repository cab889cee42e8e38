type Write = NodeJS.WritableStream["write"];

/**
 * Sends everything later written to `stdout` (`console.log`, `process.stdout.write`) to `stderr`
 * instead: after the handshake the host reads stdout no more, and anything printed there would be
 * lost (Grafana discards it) or, before it, taken for the handshake. Returns a function that undoes it.
 */
export function redirectStdout(stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): () => void {
  const original = stdout.write;
  const redirected = function (this: unknown, ...args: Parameters<Write>): boolean {
    return (stderr.write as (...a: Parameters<Write>) => boolean).apply(stderr, args);
  } as Write;
  stdout.write = redirected;
  return () => {
    // Someone else may have patched it since; leave theirs alone.
    if (stdout.write === redirected) stdout.write = original;
  };
}
