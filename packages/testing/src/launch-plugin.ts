import { createClient } from "@connectrpc/connect";
import { goplugin } from "@gfsdk/core/protocol";
import { createGrpcPluginClient, type GrpcPluginClient } from "./grpc-plugin-client.js";
import type { Handshake } from "./handshake.js";
import { createHostCertificate } from "./host-certificate.js";
import {
  type PluginExit,
  type PluginLogLine,
  type PluginProcess,
  type StartPluginProcessOptions,
  startPluginProcess,
} from "./plugin-process.js";
import { createPluginTester, type PluginTester, type PluginTesterOptions } from "./plugin-tester.js";

/** Options of {@link launchPlugin}: how to start the executable, and the tester's default plugin context. */
export interface LaunchPluginOptions<J = Record<string, unknown>, S = Record<string, string>>
  extends Omit<StartPluginProcessOptions, "clientCert">,
    PluginTesterOptions<J, S> {
  /**
   * Start the plugin as a go-plugin host with `AutoMTLS: true` does: a fresh client certificate in
   * `PLUGIN_CLIENT_CERT`, and mutual TLS to the certificate the handshake announces. Default false,
   * as in Grafana.
   */
  autoMtls?: boolean;
  /** How long {@link LaunchedPlugin.shutdown} waits for the exit before SIGKILL, in ms; default 2000, Grafana's. */
  shutdownTimeoutMs?: number;
}

/** A plugin executable running as Grafana runs it, with a {@link PluginTester} over its gRPC connection. */
export interface LaunchedPlugin<J = Record<string, unknown>, S = Record<string, string>>
  extends PluginTester<J, S> {
  /** The plugin's handshake, parsed. */
  readonly handshake: Handshake;
  /** The gRPC client on the plugin's socket, for raw messages (and `transport`, for other services). */
  readonly client: GrpcPluginClient;
  /** The process: `child`, `stdout()`, `stderr()`, `logs()`, `exited`. */
  readonly process: PluginProcess;
  /** Everything the plugin wrote on stderr so far. */
  stderr(): string;
  /** Its complete stderr lines so far, hclog JSON records parsed. */
  logs(): PluginLogLine[];
  /**
   * Stops the plugin as Grafana does: `GRPCController.Shutdown` (its error ignored; at most
   * `shutdownTimeoutMs`), the connection closed, then waits for the exit, SIGKILL after
   * `shutdownTimeoutMs`. Resolves with
   * how it ended; calling it again gives the same answer.
   */
  shutdown(): Promise<PluginExit>;
  /** {@link shutdown}, for `await using plugin = await launchPlugin(...)`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts `executable` exactly as Grafana's plugin manager does (see {@link pluginEnvironment}),
 * reads its go-plugin handshake, connects a gRPC client to the unix socket or TCP address it
 * announces, and returns a {@link PluginTester} over that connection with the process's stderr
 * and `shutdown()`. A `.js`/`.mjs` file runs with this Node. When the plugin exits, fails or
 * prints something else before its handshake, it rejects with an Error that names the cause and
 * quotes the plugin's stderr, and no process is left running.
 *
 * ```ts
 * const plugin = await launchPlugin("dist/gpx_my-datasource_linux_amd64", { jsonData: { url } });
 * expect((await plugin.checkHealth()).status).toBe("OK");
 * expect((await plugin.shutdown()).code).toBe(0);
 * ```
 */
export async function launchPlugin<J = Record<string, unknown>, S = Record<string, string>>(
  executable: string,
  options: LaunchPluginOptions<NoInfer<J>, NoInfer<S>> = {},
): Promise<LaunchedPlugin<J, S>> {
  const {
    autoMtls,
    shutdownTimeoutMs = 2000,
    args,
    cwd,
    base,
    env,
    minPort,
    maxPort,
    unixSocketDir,
    grafanaVersion,
    name,
    handshakeTimeoutMs,
    protocolVersions,
    onStderrLine,
    ...contextDefaults
  } = options;
  const host = autoMtls ? await createHostCertificate() : undefined;
  const plugin = startPluginProcess(executable, {
    args,
    cwd,
    base,
    env,
    minPort,
    maxPort,
    unixSocketDir,
    grafanaVersion,
    name,
    handshakeTimeoutMs,
    protocolVersions,
    onStderrLine,
    ...(host === undefined ? {} : { clientCert: host.certificatePem }),
  });

  let handshake: Handshake;
  try {
    handshake = await plugin.handshake;
    if (host !== undefined && handshake.serverCertificate === undefined) {
      throw new Error(
        `${name ?? executable} was asked for AutoMTLS (PLUGIN_CLIENT_CERT) but its handshake has no certificate: ${JSON.stringify(handshake.line)}`,
      );
    }
  } catch (error) {
    await stop(plugin, 0);
    throw error;
  }
  const client = createGrpcPluginClient(
    handshake.network === "unix" ? `unix:${handshake.address}` : handshake.address,
    host === undefined || handshake.serverCertificate === undefined
      ? {}
      : { tls: { ca: handshake.serverCertificate, cert: host.certificatePem, key: host.privateKeyPem } },
  );

  let stopped: Promise<PluginExit> | undefined;
  const shutdown = (): Promise<PluginExit> => {
    stopped ??= (async () => {
      const { child } = plugin;
      if (child.exitCode === null && child.signalCode === null) {
        const controller = createClient(goplugin.GRPCController, client.transport);
        // Grafana ignores Shutdown's error and waits for it until the process exits; here it also
        // has a deadline, so a plugin that neither answers nor exits cannot hang the test.
        await Promise.race([
          controller.shutdown({}, { timeoutMs: shutdownTimeoutMs }).catch(() => {}),
          plugin.exited,
        ]);
      }
      client.close();
      return stop(plugin, shutdownTimeoutMs);
    })();
    return stopped;
  };

  const tester = createPluginTester<J, S>(client, contextDefaults as LaunchPluginOptions<J, S>);
  return Object.assign(tester, {
    handshake,
    client,
    process: plugin,
    stderr: () => plugin.stderr(),
    logs: () => plugin.logs(),
    shutdown,
    [Symbol.asyncDispose]: async () => {
      await shutdown();
    },
  });
}

/** Waits up to `ms` for the process to exit, then SIGKILLs it; resolves with how it ended. */
async function stop(plugin: PluginProcess, ms: number): Promise<PluginExit> {
  const { child } = plugin;
  if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), ms);
    });
    if ((await Promise.race([plugin.exited, timedOut])) === "timeout") child.kill("SIGKILL");
    clearTimeout(timer);
  }
  return plugin.exited;
}
