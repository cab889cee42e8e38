import type { ChildProcess } from "node:child_process";

/** A plugin executable running as a child process, with its output collected. */
export interface PluginProcess {
  child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** The first stdout line, once it is complete. */
  handshake: Promise<string>;
  /** The exit status, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Collects a child's stdout and stderr and watches for its handshake and exit. */
export function watchPluginProcess(child: ChildProcess): PluginProcess {
  let out = "";
  let err = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  const handshake = new Promise<string>((resolve, reject) => {
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const end = out.indexOf("\n");
      if (end >= 0) resolve(out.slice(0, end));
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`the plugin exited (${code ?? signal}) before its handshake; stderr: ${err}`)),
    );
  });
  handshake.catch(() => {});
  return { child, stdout: () => out, stderr: () => err, handshake, exited };
}
