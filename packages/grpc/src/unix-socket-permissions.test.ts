import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveGroupId } from "./unix-socket-permissions.js";

let dir: string;
let groupFile: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gfsdk-grpc-group-"));
  groupFile = join(dir, "group");
  await writeFile(groupFile, "root:x:0:\ngrafana:x:472:grafana\nbroken-line\n");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("resolveGroupId", () => {
  it("takes a number as the gid", async () => {
    expect(await resolveGroupId("1234", groupFile)).toBe(1234);
  });

  it("looks a name up in the group database", async () => {
    expect(await resolveGroupId("grafana", groupFile)).toBe(472);
  });

  it("rejects an unknown name", async () => {
    await expect(resolveGroupId("nobody-here", groupFile)).rejects.toThrow(/unknown group "nobody-here"/);
    await expect(resolveGroupId("grafana", join(dir, "missing"))).rejects.toThrow(/unknown group/);
  });
});
