import { createLogger, type Logger, type Plugin } from "@gfsdk/core";
import { testdataPlugin } from "@gfsdk/example-testdata";
import { createProbePlugin } from "./probe-plugin.js";

/** A plugin under fuzzing, and what it saw that it should not have. */
export interface FuzzPlugin {
  name: string;
  plugin: Plugin;
  /** Broken promises seen by the plugin's handlers (the probe's checks; testdata has none). */
  violations: string[];
  /** The message of a valid CheckHealth's answer, proof that the plugin still serves. */
  healthyMessage: string;
}

/** The plugins every transport is fuzzed against: testdata by its contract, and the probe with every handler. */
export function createFuzzPlugins(): FuzzPlugin[] {
  const probe = createProbePlugin();
  return [
    {
      name: "testdata",
      plugin: testdataPlugin as unknown as Plugin,
      violations: [],
      healthyMessage: "Data source is working",
    },
    { name: "probe", plugin: probe.plugin, violations: probe.violations, healthyMessage: "probe ok" },
  ];
}

/** A logger that keeps the error records: while fuzzing, each one is a bug (an exception core did not map). */
export function createErrorLog(): { logger: Logger; errors: string[] } {
  const errors: string[] = [];
  const logger = createLogger({
    level: "error",
    write: (line) => {
      errors.push(line.trimEnd());
    },
  });
  return { logger, errors };
}
