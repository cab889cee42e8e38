// The entry of the fixture plugin executable that child-process tests bundle and run.
import { serve } from "../serve.js";
import { createFixturePlugin } from "./fixture-plugin.js";

await serve(createFixturePlugin(), {
  pluginId: "gfsdk-fixture-datasource",
  version: "1.2.3",
  watchIntervalMs: Number(process.env.FIXTURE_WATCH_MS ?? 1000),
});
if (process.env.FIXTURE_CONSOLE_LOG) console.log(process.env.FIXTURE_CONSOLE_LOG);
if (process.env.FIXTURE_UNHANDLED) void Promise.reject(new Error(process.env.FIXTURE_UNHANDLED));
// A warning of Node's own, as a timer past 2^31 - 1 ms gives.
if (process.env.FIXTURE_WARNING) setTimeout(() => {}, 2 ** 31).unref();
if (process.env.FIXTURE_THROW) {
  setImmediate(() => {
    throw new Error(process.env.FIXTURE_THROW);
  });
}
// Whether the Reflect polyfill @peculiar/x509 needs was installed, i.e. whether AutoMTLS code ran.
if (process.env.FIXTURE_REPORT_REFLECT) {
  const { getMetadata } = Reflect as unknown as { getMetadata?: unknown };
  process.stderr.write(`Reflect.getMetadata: ${typeof getMetadata}\n`);
}
// Ends the process right after serving, without closing the server: what cleanup survives that.
if (process.env.FIXTURE_EXIT_CODE) process.exit(Number(process.env.FIXTURE_EXIT_CODE));
