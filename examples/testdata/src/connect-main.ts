// Serves testdata over HTTP with Connect, for curl and browsers: node dist/connect-server.mjs [--port N].
import { parseArgs } from "node:util";
import { serveConnect } from "@gfsdk/connect";
import { testdataPlugin } from "./testdata-plugin.js";

const { values } = parseArgs({
  options: { port: { type: "string", default: "8080" }, host: { type: "string" } },
});
const server = await serveConnect(testdataPlugin, { port: Number(values.port), host: values.host });
console.error(`testdata serves Connect, gRPC-web and JSON at ${server.url}/pluginv2.<Service>/<Method>`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void server.close());
