// The public API of @gfsdk/cli: what the gfsdk command does, for scripts and tests.

export type { BuildPluginOptions, BuildResult, BuiltExecutable } from "./build-plugin.js";
export { buildPlugin } from "./build-plugin.js";
export type { BuildTarget } from "./build-target.js";
export { buildTargets, executableFileName, parseBuildTargets } from "./build-target.js";
export type { ExecutableFormat } from "./executable-format.js";
export { readExecutableFormat } from "./executable-format.js";
export { assertSupportedNode, nodeRequirement } from "./node-requirement.js";
export { defaultCacheDir, seaNodeVersion } from "./node-runtime.js";
export type { PluginManifest } from "./plugin-manifest.js";
export { loadPluginManifest, validatePluginManifest } from "./plugin-manifest.js";
export type { DevSession, RunDevOptions } from "./run-dev.js";
export { runDev } from "./run-dev.js";
