import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { testdataPlugin } from "@gfsdk/example-testdata";
import { createGrpcServer } from "@gfsdk/grpc";
import { createGrpcPluginClient, launchPlugin } from "@gfsdk/testing";
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
  "gRPC (the built executable, launched as Grafana launches it)",
  async () => {
    if (!existsSync(executable))
      throw new Error(`${executable} is missing: run \`npm run build\` first (npm test does)`);
    const plugin = await launchPlugin(executable);
    return {
      client: plugin.client,
      close: async () => {
        const exit = await plugin.shutdown();
        if (exit.code !== 0) {
          throw new Error(
            `the plugin exited with ${exit.code ?? exit.signal} after Shutdown; stderr:\n${plugin.stderr()}`,
          );
        }
      },
    };
  },
  { defaultMetrics: true },
);
