import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { type PluginLogLine, startPluginProcess, watchPluginProcess } from "./plugin-process.js";

/** Runs `script` with this Node, stdout and stderr piped, watched. */
function run(script: string, onStderrLine?: (line: PluginLogLine) => void) {
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "pipe"] });
  return watchPluginProcess(child, { name: "the script", ...(onStderrLine ? { onStderrLine } : {}) });
}

describe("watchPluginProcess", () => {
  it("parses the first stdout line as the handshake and splits stderr into lines, JSON ones parsed", async () => {
    const seen: string[] = [];
    const plugin = run(
      `process.stderr.write('{"@level":"info","@message":"starting","k":1}\\nplain line\\npart');
       process.stderr.write('ial\\n');
       console.log("1|2|unix|/tmp/x.sock|grpc|");
       setTimeout(() => process.exit(0), 50);`,
      (line) => seen.push(line.text),
    );
    expect((await plugin.handshake).address).toBe("/tmp/x.sock");
    expect(await plugin.handshakeLine).toBe("1|2|unix|/tmp/x.sock|grpc|");
    expect(await plugin.exited).toEqual({ code: 0, signal: null });
    expect(plugin.logs()).toEqual([
      {
        text: '{"@level":"info","@message":"starting","k":1}',
        level: "info",
        message: "starting",
        record: { "@level": "info", "@message": "starting", k: 1 },
      },
      { text: "plain line", level: undefined, message: undefined, record: undefined },
      { text: "partial", level: undefined, message: undefined, record: undefined },
    ]);
    expect(seen).toEqual(['{"@level":"info","@message":"starting","k":1}', "plain line", "partial"]);
  });

  it("rejects the handshake naming the signal when the process is killed first", async () => {
    const plugin = run("setInterval(() => {}, 1000);");
    plugin.child.kill("SIGKILL");
    await expect(plugin.handshake).rejects.toThrow(
      /the script exited on signal SIGKILL before its handshake; it wrote nothing on stderr/,
    );
  });

  it("rejects a handshake go-plugin would refuse, quoting stderr", async () => {
    const plugin = run('process.stderr.write("about to hand-shake\\n"); console.log("1|2|unix|/s|netrpc");');
    await expect(plugin.handshake).rejects.toThrow(
      /Unsupported plugin protocol "netrpc".*its stderr:\nabout to hand-shake/s,
    );
  });
});

describe("startPluginProcess", () => {
  it("runs a .mjs file with this Node in the plugin environment, with the given args", async () => {
    const { writeFile, mkdtemp, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = await mkdtemp(join(tmpdir(), "gfsdk-testing-start-"));
    try {
      const script = join(dir, "env.mjs");
      await writeFile(
        script,
        "const { grafana_plugin_type: cookie, PLUGIN_PROTOCOL_VERSIONS: versions } = process.env;\n" +
          'console.log(["1", "2", "unix", [cookie, versions, process.argv[2]].join("-"), "grpc", ""].join("|"));\n',
      );
      const plugin = startPluginProcess(script, { args: ["arg1"], cwd: dir });
      expect((await plugin.handshake).address).toBe("datasource-2-arg1");
      expect((await plugin.exited).code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
