import { delimiter } from "node:path";

/** What {@link createChildEnv} adds to the inherited environment. */
export interface ChildEnvOptions {
  /** Directories put first on `PATH`, in this order. */
  pathPrepend?: readonly string[];
  /** Variables set after the inherited ones were filtered. */
  set?: Readonly<Record<string, string>>;
}

/**
 * Variables that describe the run this test is part of, not the machine: npm's `npm_*` config and
 * lifecycle variables (an `npm_config_userconfig` from `npm test` would override the child's
 * `NPM_CONFIG_USERCONFIG`), vitest's worker variables (a vitest run by a child would take itself for
 * a worker of this one), and Nx's task variables.
 */
const runSpecific = [/^npm_/i, /^VITEST/, /^NX_/, /^TEST$/, /^NODE_ENV$/, /^NODE$/, /^INIT_CWD$/];

/** npm's cache location is the machine's (a CI may point it at a cached directory): it stays. */
const kept = /^npm_config_cache$/i;

/**
 * Returns the environment for a child command: this process's, minus {@link runSpecific} variables
 * (but {@link kept}),
 * with `options.pathPrepend` first on `PATH` and `options.set` applied.
 */
export function createChildEnv(options: ChildEnvOptions = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (kept.test(name) || !runSpecific.some((pattern) => pattern.test(name))) env[name] = value;
  }
  const path = [...(options.pathPrepend ?? []), ...(env.PATH ?? "").split(delimiter)].filter((p) => p !== "");
  env.PATH = path.join(delimiter);
  return { ...env, ...options.set };
}
