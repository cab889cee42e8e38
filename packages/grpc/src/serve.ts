import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createLogger, type Logger, type Plugin } from "@gfsdk/core";
import { SecretRedactor } from "@gfsdk/core/protocol";
import { type AutoMtlsCredentials, createAutoMtlsCredentials } from "./auto-mtls.js";
import { type EventLoopWatchdog, eventLoopWatchdogMs, watchEventLoop } from "./event-loop-watchdog.js";
import { negotiateProtocolVersion, parseGoPluginEnv } from "./go-plugin-env.js";
import { createGrpcServer, type GrpcServer } from "./grpc-server.js";
import { appProtocolVersion, formatHandshake } from "./handshake.js";
import { executableDir, findPluginDir, pluginDirCandidates, readPluginDir } from "./plugin-dir.js";
import { startProcessLifecycle } from "./process-lifecycle.js";
import { parseTcpAddress, standaloneAddressEnvName } from "./standalone-address.js";
import { readStandaloneServer, type StandaloneServer, writeStandaloneFiles } from "./standalone-files.js";
import { startTracing, type Tracing } from "./start-tracing.js";
import { redirectStdout } from "./stdout-redirect.js";
import { createUnixSocketPath } from "./unix-socket-path.js";

/** Options of {@link serve}. */
export interface ServeOptions {
  /** The plugin id of `plugin.json`: the logs' `@module`, and how standalone mode finds its address and dir. */
  pluginId?: string;
  /** Printed by `--version`. Default `"unknown"`. */
  version?: string;
  /** Default: hclog JSON lines on `stderr`, `@module` = `pluginId`. */
  logger?: Logger;
  /** Largest request accepted, in bytes. Default 16 MiB, as the Go SDK. Responses are unlimited. */
  maxReceiveMessageSize?: number;
  /** Listen on a unix socket or on loopback TCP. Default `"unix"`, `"tcp"` on Windows. */
  network?: "unix" | "tcp";
  /** How long a shutdown lets calls in flight finish, in ms. Default 1500 (Grafana kills after 2 s). */
  shutdownTimeoutMs?: number;
  /** The plugin's directory, where standalone mode writes `standalone.txt`. Default: searched (see README). */
  pluginDir?: string;
  /** How often to check that the host (parent process) is still there, in ms. Default 1000. */
  watchIntervalMs?: number;
  /**
   * Log a warning (on stderr, from a worker thread) when a call keeps the event loop blocked this
   * long, in ms, naming the calls in flight; 0 turns it off. Default 1000.
   * `GFSDK_EVENT_LOOP_WATCHDOG_MS`, when set, wins.
   */
  eventLoopWatchdogMs?: number;
  /** The environment. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Command-line arguments. Default `process.argv.slice(2)`. */
  argv?: readonly string[];
  /** Ends the process. Default `process.exit`. */
  exit?: (code: number) => void;
  /** Where the handshake goes; redirected to `stderr` after it. Default `process.stdout`. */
  stdout?: NodeJS.WritableStream;
  /** Where logs and refusals go. Default `process.stderr`. */
  stderr?: NodeJS.WritableStream;
}

/** A plugin being served; the process exits (status 0) once it is closed. */
export interface PluginServer {
  /** `plugin` when launched by a go-plugin host, `standalone` with `--standalone`, `locator` when pointing the host at a standalone server. */
  mode: "plugin" | "standalone" | "locator";
  network: "unix" | "tcp";
  /** The socket path or `host:port`. */
  address: string;
  /** The handshake line printed on stdout, without newline; empty in standalone mode. */
  handshake: string;
  /** Shuts down gracefully (see {@link createGrpcServer}), then exits with status 0. */
  shutdown(): Promise<void>;
  /** Settles once closed, just before the process exits. */
  closed: Promise<void>;
}

/** What go-plugin plugins print when started by hand; ours says the same in one line. */
const notAPluginMessage =
  "This binary is a plugin. These are not meant to be executed directly. " +
  "Please execute the program that consumes these plugins (Grafana), which will load any plugins " +
  "automatically; to debug it, run it with --standalone.\n";

interface ServeContext {
  options: ServeOptions;
  env: Record<string, string | undefined>;
  exit: (code: number) => void;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  logger: Logger;
  /** Masks the plugin's secrets in its logs, stdout and stderr: its services' own. */
  redactor: SecretRedactor;
  intervalMs: number;
  watchdog?: EventLoopWatchdog;
  /** The plugin's tracing, when Grafana turned it on; flushed before the process exits. */
  tracing?: Tracing;
}

/**
 * Serves a plugin to Grafana with the hashicorp go-plugin process contract: checks the magic
 * cookie and protocol version, listens on a private unix socket (loopback TCP on Windows), prints
 * the handshake line once accepting (serving mutual TLS when the host asks for go-plugin's AutoMTLS
 * with `PLUGIN_CLIENT_CERT`), then keeps stdout clean, answers `GRPCController.Shutdown`,
 * ignores SIGINT, shuts down on SIGTERM or when its host goes away, and exits. Also handles
 * `--version` and the Go SDK's standalone debugging mode (`--standalone`). Call it from your
 * executable's main module, before anything prints to stdout.
 */
export async function serve<J, S, I>(
  plugin: Plugin<J, S, I>,
  options: ServeOptions = {},
): Promise<PluginServer> {
  const stderr = options.stderr ?? process.stderr;
  const redactor = new SecretRedactor();
  const ctx: ServeContext = {
    options,
    env: options.env ?? process.env,
    exit: options.exit ?? ((code) => process.exit(code)),
    stdout: options.stdout ?? process.stdout,
    stderr,
    logger:
      options.logger ??
      createLogger({ module: options.pluginId, write: (line) => stderr.write(line), redactor }),
    redactor,
    intervalMs: options.watchIntervalMs ?? 1000,
  };
  // A host that was killed leaves stderr a broken pipe: its logs are lost, but the plugin must
  // still shut down by itself (see process-lifecycle.ts) instead of dying on an unhandled EPIPE.
  stderr.on("error", () => {});
  const argv = options.argv ?? process.argv.slice(2);
  const flag = (name: string) => argv.includes(`-${name}`) || argv.includes(`--${name}`);

  if (flag("version")) {
    ctx.stdout.write(`${options.version ?? "unknown"}\n`);
    return end(ctx, 0, "printed the version");
  }
  const watchdogMs = eventLoopWatchdogMs(options.eventLoopWatchdogMs, ctx.env);
  const watched: { plugin: Plugin<J, S, I>; watchdog?: EventLoopWatchdog } =
    watchdogMs === undefined
      ? { plugin }
      : watchEventLoop(plugin, { thresholdMs: watchdogMs, module: options.pluginId });
  ctx.watchdog = watched.watchdog;
  if (flag("standalone")) return serveStandalone(watched.plugin, ctx);
  const standalone = await findStandaloneServer(ctx);
  if (standalone) return runLocator(ctx, standalone);
  return servePlugin(watched.plugin, ctx);
}

async function servePlugin<J, S, I>(plugin: Plugin<J, S, I>, ctx: ServeContext): Promise<PluginServer> {
  const { options, logger } = ctx;
  let env: ReturnType<typeof parseGoPluginEnv>;
  try {
    env = parseGoPluginEnv(ctx.env);
  } catch (error) {
    return refuse(ctx, `plugin init error: ${(error as Error).message}`);
  }
  if (!env.cookieMatches) return refuse(ctx, notAPluginMessage.trimEnd());
  if (negotiateProtocolVersion(env.protocolVersions) === undefined) {
    return refuse(
      ctx,
      `This plugin speaks plugin protocol version ${appProtocolVersion}, but its host accepts only ` +
        `${env.protocolVersions?.join(", ")} (PLUGIN_PROTOCOL_VERSIONS); use a Grafana version that supports it.`,
    );
  }
  // AutoMTLS: the host sent its certificate; answer with ours in the handshake and serve TLS.
  let tls: AutoMtlsCredentials | undefined;
  if (env.clientCert !== undefined) {
    try {
      tls = await createAutoMtlsCredentials(env.clientCert);
    } catch (error) {
      return refuse(ctx, `plugin init error: ${(error as Error).message}`);
    }
    logger.debug("serving with AutoMTLS: TLS, client certificate required");
  }

  const network = options.network ?? (process.platform === "win32" ? "tcp" : "unix");
  ctx.tracing = await startServeTracing(ctx);
  let server: GrpcServer;
  try {
    server = await createGrpcServer(plugin, {
      tracer: ctx.tracing?.tracer,
      listen:
        network === "unix"
          ? { network, path: await socketPathIn(env.unixSocketDir), group: env.unixSocketGroup }
          : { network, minPort: env.minPort, maxPort: env.maxPort },
      credentials: tls?.credentials,
      logger,
      redactor: ctx.redactor,
      maxReceiveMessageSize: options.maxReceiveMessageSize,
      shutdownTimeoutMs: options.shutdownTimeoutMs,
    });
  } catch (error) {
    return refuse(ctx, `plugin init error: ${(error as Error).message}`);
  }
  const handshake = formatHandshake({
    network: server.network,
    address: server.address,
    serverCert: tls?.serverCert,
  });
  logger.debug("plugin address", { network: server.network, address: server.address });

  // A standalone server started after us (a debugger): exit, so Grafana's restart makes us its locator.
  const dir = options.pluginDir ?? executableDir();
  const check = async () =>
    (await readStandaloneServer(dir))
      ? "a standalone server of this plugin started; restart as its locator"
      : undefined;
  const socket = server.network === "unix" ? server.address : undefined;
  return supervise(ctx, server, {
    mode: "plugin",
    handshake,
    interrupt: "ignore",
    check,
    // The server is bound and accepting: the host may dial as soon as it reads this line.
    announce: () => announce(ctx, handshake),
    socket,
  });
}

/** A socket path in `dir` (default the OS temp dir); an unusable dir is named with where it came from. */
async function socketPathIn(dir: string | undefined): Promise<string> {
  try {
    return await createUnixSocketPath(dir);
  } catch (error) {
    const where =
      dir === undefined ? `${tmpdir()} (the OS temp dir, TMPDIR)` : `${dir} (PLUGIN_UNIX_SOCKET_DIR)`;
    throw new Error(`cannot create the unix socket in ${where}: ${(error as Error).message}`);
  }
}

/** Prints the handshake line, then sends stdout to stderr; returns the undo of the latter. */
function announce(ctx: ServeContext, handshake: string): () => void {
  // A host that closed our stdout cannot read the handshake: say so and exit 1, never crash on
  // EPIPE. Nothing else goes to stdout afterwards, so later errors on it do not matter.
  ctx.stdout.on("error", () => {});
  ctx.stdout.write(`${handshake}\n`, (error) => {
    if (!error) return;
    ctx.stderr.write(
      `plugin init error: cannot write the handshake to stdout, which the host closed: ${error.message}\n`,
    );
    ctx.exit(1);
  });
  // Every call's context holds web Headers, whose first use loads Node's fetch implementation
  // (~45 ms). Load it now, after the handshake and before Grafana's first call.
  setImmediate(() => new Headers());
  return redirectStdout(ctx.stdout, ctx.stderr, ctx.redactor);
}

async function serveStandalone<J, S, I>(plugin: Plugin<J, S, I>, ctx: ServeContext): Promise<PluginServer> {
  const { options, logger } = ctx;
  const found = options.pluginDir
    ? await readPluginDir(options.pluginDir)
    : await findPluginDir(options.pluginId, pluginDirCandidates());
  if (!found) {
    const where = options.pluginDir ?? pluginDirCandidates().join(", ");
    return refuse(
      ctx,
      `standalone mode needs the plugin's plugin.json${idText(options.pluginId)}; none in ${where}`,
    );
  }
  const pluginId = options.pluginId ?? found.id;
  const envName = standaloneAddressEnvName(pluginId);
  ctx.tracing = await startServeTracing(ctx, pluginId);
  let server: GrpcServer;
  try {
    const { host, port } = ctx.env[envName]
      ? parseTcpAddress(ctx.env[envName])
      : { host: "127.0.0.1", port: 0 };
    server = await createGrpcServer(plugin, {
      tracer: ctx.tracing?.tracer,
      listen: { network: "tcp", host, minPort: port, maxPort: port },
      logger,
      redactor: ctx.redactor,
      maxReceiveMessageSize: options.maxReceiveMessageSize,
      shutdownTimeoutMs: options.shutdownTimeoutMs,
    });
  } catch (error) {
    return refuse(ctx, `standalone server init error: ${(error as Error).message}`);
  }
  const removeFiles = await writeStandaloneFiles(found.dir, server.address);
  logger.info("Standalone plugin server listening; plugin processes Grafana starts now point here", {
    address: server.address,
    pluginDir: found.dir,
  });
  return supervise(ctx, server, {
    mode: "standalone",
    handshake: "",
    interrupt: "stop",
    cleanup: removeFiles,
  });
}

/** The standalone server a normally launched plugin should point Grafana at, if any. */
async function findStandaloneServer(
  ctx: ServeContext,
): Promise<(Pick<StandaloneServer, "address"> & { pid?: number }) | undefined> {
  const { pluginId, pluginDir } = ctx.options;
  const fromEnv = pluginId === undefined ? undefined : ctx.env[standaloneAddressEnvName(pluginId)];
  if (fromEnv) return { address: fromEnv };
  return readStandaloneServer(pluginDir ?? executableDir());
}

/**
 * The Go SDK's "dummy locator": hands Grafana the standalone server's address in the handshake
 * and stays alive, serving nothing, until the host or the standalone server goes away.
 */
function runLocator(ctx: ServeContext, target: { address: string; pid?: number }): PluginServer {
  let handshake: string;
  try {
    handshake = formatHandshake({ network: "tcp", address: target.address });
  } catch (error) {
    return refuse(ctx, `invalid standalone address: ${(error as Error).message}`);
  }
  let restoreStdout = () => {};
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  let stopLifecycle = () => {};
  let finished = false;
  const finish = () => {
    if (finished) return closed;
    finished = true;
    stopLifecycle();
    restoreStdout();
    resolveClosed();
    ctx.exit(0);
    return closed;
  };
  const dir = ctx.options.pluginDir ?? executableDir();
  stopLifecycle = startProcessLifecycle({
    logger: ctx.logger,
    interrupt: "ignore",
    intervalMs: ctx.intervalMs,
    keepAlive: true,
    check: async () =>
      target.pid !== undefined && !(await readStandaloneServer(dir))
        ? "the standalone server exited"
        : undefined,
    onStop: (reason) => {
      ctx.logger.info("Locator stopping", { reason });
      finish();
    },
  });
  // Signals are handled from here on: a host's SIGINT right after the handshake is ignored.
  restoreStdout = announce(ctx, handshake);
  ctx.logger.info("Pointing the host at a standalone plugin server", { address: target.address });
  return {
    mode: "locator",
    network: "tcp",
    address: target.address,
    handshake,
    shutdown: async () => finish(),
    closed,
  };
}

interface SuperviseOptions {
  mode: PluginServer["mode"];
  handshake: string;
  interrupt: "ignore" | "stop";
  check?: () => Promise<string | undefined>;
  /** Tells the host where to connect, once signals are handled; returns what undoes it. */
  announce?: () => () => void;
  /** The unix socket, removed even if the process exits without closing the server. */
  socket?: string;
  /** Synchronous cleanup for both a normal close and an abrupt exit. */
  cleanup?: () => void;
}

function supervise(ctx: ServeContext, server: GrpcServer, options: SuperviseOptions): PluginServer {
  const cleanup = () => {
    options.cleanup?.();
    if (options.socket) rmSync(options.socket, { force: true });
  };
  const stopLifecycle = startProcessLifecycle({
    logger: ctx.logger,
    interrupt: options.interrupt,
    intervalMs: ctx.intervalMs,
    check: options.check,
    onStop: (reason) => {
      ctx.logger.info("Plugin stopping", { reason });
      void server.shutdown();
    },
    onExit: cleanup,
  });
  // Signals are handled from here on: a host's SIGINT right after the handshake is ignored.
  const restoreStdout = options.announce?.();
  const closed = server.closed.then(async () => {
    // The last calls' spans are buffered: export them before exiting (bounded: Grafana kills at 2 s).
    await ctx.tracing?.shutdown();
    ctx.watchdog?.stop();
    stopLifecycle();
    cleanup();
    restoreStdout?.();
    ctx.logger.debug("plugin exiting");
    ctx.exit(0);
  });
  return {
    mode: options.mode,
    network: server.network,
    address: server.address,
    handshake: options.handshake,
    shutdown: () => server.shutdown().then(() => closed),
    closed,
  };
}

/** Tracing as Grafana configured it in the environment (brief 6.2); undefined when off. */
function startServeTracing(ctx: ServeContext, pluginId = ctx.options.pluginId): Promise<Tracing | undefined> {
  return startTracing({ env: ctx.env, logger: ctx.logger, pluginId, version: ctx.options.version });
}

/** Explains on stderr why the plugin cannot run and exits with status 1. */
function refuse(ctx: ServeContext, message: string): never {
  ctx.stderr.write(`${message}\n`);
  return end(ctx, 1, message);
}

/** Exits; with an injected `exit` that returns (tests), `serve` rejects instead of going on. */
function end(ctx: ServeContext, code: number, reason: string): never {
  ctx.exit(code);
  throw new Error(`the plugin exited with status ${code}: ${reason}`);
}

function idText(pluginId: string | undefined): string {
  return pluginId === undefined ? "" : ` with id "${pluginId}"`;
}
