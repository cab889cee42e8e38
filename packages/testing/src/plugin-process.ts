import { type ChildProcess, spawn } from "node:child_process";
import { type Handshake, parseHandshake } from "./handshake.js";
import { type PluginEnvironmentOptions, pluginEnvironment } from "./plugin-environment.js";

/** How a plugin process ended: its exit status, or the signal that ended it. */
export interface PluginExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One line the plugin wrote on stderr: an hclog JSON record when it is one. */
export interface PluginLogLine {
  /** The line as written. */
  text: string;
  /** `@level` of a JSON record; undefined for other lines. */
  level: string | undefined;
  /** `@message` of a JSON record; undefined for other lines. */
  message: string | undefined;
  /** The JSON record (every key, `@` ones included); undefined for other lines. */
  record: Record<string, unknown> | undefined;
}

/** A plugin executable running as a child process, its output collected. */
export interface PluginProcess {
  readonly child: ChildProcess;
  /** The first stdout line, once complete; rejects when the process exits or fails first. */
  readonly handshakeLine: Promise<string>;
  /** That line parsed (see {@link parseHandshake}); rejects with the reason and the plugin's stderr. */
  readonly handshake: Promise<Handshake>;
  /** How the process ended; resolves once it has exited and its output is read. */
  readonly exited: Promise<PluginExit>;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** The complete stderr lines so far, JSON ones parsed. */
  logs(): PluginLogLine[];
}

/** Options of {@link watchPluginProcess}. */
export interface WatchPluginProcessOptions {
  /** What to call the plugin in errors; default the child's spawn file. */
  name?: string;
  /** How long to wait for the handshake line, in ms; default 60000, go-plugin's start timeout. */
  handshakeTimeoutMs?: number;
  /** The app protocol versions accepted in the handshake; default `[2]`. */
  protocolVersions?: number[];
  /** Called with each complete stderr line as it arrives (e.g. to echo it while debugging). */
  onStderrLine?: (line: PluginLogLine) => void;
}

function logLine(text: string): PluginLogLine {
  if (text.startsWith("{")) {
    try {
      const record = JSON.parse(text) as unknown;
      if (typeof record === "object" && record !== null && !Array.isArray(record)) {
        const r = record as Record<string, unknown>;
        const str = (v: unknown) => (typeof v === "string" ? v : undefined);
        return { text, level: str(r["@level"]), message: str(r["@message"]), record: r };
      }
    } catch {
      // not JSON: a plain line, as the host treats it
    }
  }
  return { text, level: undefined, message: undefined, record: undefined };
}

/** At most this much stderr goes into an error message; the rest is in `stderr()`. */
const stderrInError = 8 * 1024;

function describeStderr(stderr: string): string {
  const text = stderr.trimEnd();
  if (text === "") return "it wrote nothing on stderr";
  const tail = text.length > stderrInError ? `…${text.slice(-stderrInError)}` : text;
  return `its stderr:\n${tail}`;
}

/**
 * Watches a spawned plugin as a go-plugin host does: collects stdout and stderr, reads the first
 * stdout line as the handshake (within `handshakeTimeoutMs`), and reports how the process ended.
 * An exit before the handshake rejects `handshake` with an Error naming the exit status and
 * quoting stderr. The child must have been spawned with piped stdout and stderr.
 */
export function watchPluginProcess(
  child: ChildProcess,
  options: WatchPluginProcessOptions = {},
): PluginProcess {
  const name = options.name ?? child.spawnfile;
  let out = "";
  let err = "";
  let partial = "";
  const lines: PluginLogLine[] = [];
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
    partial += chunk;
    let end = partial.indexOf("\n");
    while (end >= 0) {
      const line = logLine(partial.slice(0, end).replace(/\r$/, ""));
      partial = partial.slice(end + 1);
      lines.push(line);
      options.onStderrLine?.(line);
      end = partial.indexOf("\n");
    }
  });

  let spawnError: Error | undefined;
  const exited = new Promise<PluginExit>((resolve) => {
    let status: PluginExit | undefined;
    let timer: NodeJS.Timeout | undefined;
    // "close" comes once stdout and stderr are read to their end; a grandchild holding them open
    // must not delay the exit status for long, so it resolves shortly after "exit" regardless.
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve(status ?? { code, signal });
    });
    child.once("exit", (code, signal) => {
      status = { code, signal };
      timer = setTimeout(() => resolve({ code, signal }), 500);
      timer.unref();
    });
    child.once("error", (error) => {
      spawnError = error;
      if (child.pid === undefined) resolve({ code: null, signal: null });
    });
  });

  const handshakeLine = new Promise<string>((resolve, reject) => {
    const timeoutMs = options.handshakeTimeoutMs ?? 60_000;
    const timer = setTimeout(
      () =>
        reject(new Error(`${name} printed no handshake line within ${timeoutMs} ms; ${describeStderr(err)}`)),
      timeoutMs,
    );
    timer.unref();
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const end = out.indexOf("\n");
      if (end >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, end));
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      if (spawnError !== undefined) {
        reject(new Error(`cannot start ${name}: ${spawnError.message}`, { cause: spawnError }));
        return;
      }
      const how = signal === null ? `with status ${code}` : `on signal ${signal}`;
      const partialLine = out === "" ? "" : ` (stdout: ${JSON.stringify(out.slice(0, 200))})`;
      reject(new Error(`${name} exited ${how} before its handshake${partialLine}; ${describeStderr(err)}`));
    });
  });
  const handshake = handshakeLine.then((line) => {
    try {
      return parseHandshake(line, { protocolVersions: options.protocolVersions ?? [2] });
    } catch (error) {
      throw new Error(`${name}: ${(error as Error).message}; ${describeStderr(err)}`, { cause: error });
    }
  });
  handshakeLine.catch(() => {});
  handshake.catch(() => {});
  return {
    child,
    handshakeLine,
    handshake,
    exited,
    stdout: () => out,
    stderr: () => err,
    logs: () => [...lines],
  };
}

/** Options of {@link startPluginProcess}. */
export interface StartPluginProcessOptions extends PluginEnvironmentOptions, WatchPluginProcessOptions {
  /** Arguments after the executable; default none (Grafana passes none). */
  args?: string[];
  /** The working directory; default this process's (Grafana sets none, so the plugin inherits its). */
  cwd?: string;
}

/**
 * Starts `executable` as Grafana's plugin manager does: with {@link pluginEnvironment}, stdin
 * ignored, stdout and stderr piped and watched ({@link watchPluginProcess}). A `.js`, `.mjs` or
 * `.cjs` file is run with this Node.
 */
export function startPluginProcess(
  executable: string,
  options: StartPluginProcessOptions = {},
): PluginProcess {
  const script = /\.[cm]?js$/.test(executable);
  const command = script ? process.execPath : executable;
  const args = script ? [executable, ...(options.args ?? [])] : (options.args ?? []);
  const child = spawn(command, args, {
    env: pluginEnvironment(options),
    stdio: ["ignore", "pipe", "pipe"],
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  return watchPluginProcess(child, { ...options, name: options.name ?? executable });
}
