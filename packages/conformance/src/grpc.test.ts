import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { testdataPlugin } from "@gfsdk/example-testdata";
import { createGrpcServer } from "@gfsdk/grpc";
import { createGrpcPluginClient } from "@gfsdk/grpc/testing";
import { describePluginConformance, quietLogger } from "./plugin-conformance.js";

const executable = resolve(import.meta.dirname, "../../../examples/testdata/dist/gpx_testdata_linux_amd64");

describePluginConformance(
  "gRPC (grpc-js server in this process, unix socket)",
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "gfsdk-conformance-"));
    const server = await createGrpcServer(testdataPlugin, {
      listen: { network: "unix", path: join(dir, "plugin.sock") },
      logger: quietLogger,
    });
    const client = createGrpcPluginClient(server.address);
    return {
      client,
      close: async () => {
        client.close();
        await server.shutdown();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  { defaultMetrics: true },
);

describePluginConformance(
  "gRPC (the built executable, launched with the go-plugin handshake)",
  async () => {
    if (!existsSync(executable))
      throw new Error(`${executable} is missing: run \`npm run build\` first (npm test does)`);
    const child = spawn(executable, [], {
      env: {
        ...process.env,
        grafana_plugin_type: "datasource",
        PLUGIN_PROTOCOL_VERSIONS: "2",
        PLUGIN_MIN_PORT: "10000",
        PLUGIN_MAX_PORT: "25000",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stderr.resume();
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    const line = await new Promise<string>((resolveLine, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.once("line", resolveLine);
      child.once("exit", (code) => reject(new Error(`the plugin exited with ${code} before its handshake`)));
    });
    const [core, app, network, address, protocol] = line.split("|");
    if (core !== "1" || app !== "2" || network !== "unix" || protocol !== "grpc" || !address) {
      throw new Error(`unexpected handshake line ${JSON.stringify(line)}`);
    }
    const client = createGrpcPluginClient(address);
    return {
      client,
      close: async () => {
        client.close();
        child.kill("SIGTERM");
        const code = await exited;
        if (code !== 0) throw new Error(`the plugin exited with ${code} after SIGTERM`);
      },
    };
  },
  { defaultMetrics: true },
);
