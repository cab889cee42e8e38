import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Prompter } from "./prompter.js";
import { resolveCreateOptions } from "./resolve-create-options.js";

const cwd = "/work/projects";

/** A prompter that answers from a script, by message, and records what it was asked. */
function scripted(answers: Record<string, string>) {
  const asked: { message: string; defaultValue: string | undefined; rejects?: string | undefined }[] = [];
  const prompter: Prompter = {
    async select(message, choices, defaultValue) {
      asked.push({ message, defaultValue });
      const answer = answers[message] ?? defaultValue ?? "";
      expect(choices.map((c) => c.value)).toContain(answer);
      return answer;
    },
    async input(message, defaultValue, validate) {
      // The validation the prompt would show for a bad answer.
      asked.push({ message, defaultValue, rejects: validate?.("Not-An-Id") });
      const answer = answers[message] ?? defaultValue;
      expect(validate?.(answer)).toBeUndefined();
      return answer;
    },
  };
  return { prompter, asked };
}

const refuse: Prompter = {
  select: () => Promise.reject(new Error("asked")),
  input: () => Promise.reject(new Error("asked")),
};

describe("resolveCreateOptions", () => {
  it("takes every flag as given and asks nothing", async () => {
    const options = await resolveCreateOptions(
      { directory: "ramp", type: "datasource", id: "myorg-ramp-datasource", name: "My Ramp" },
      { cwd, prompter: refuse },
    );
    expect(options).toEqual({
      type: "datasource",
      id: "myorg-ramp-datasource",
      name: "My Ramp",
      directory: join(cwd, "ramp"),
    });
  });

  it("names every missing flag when it cannot ask", async () => {
    await expect(resolveCreateOptions({ directory: "x" }, { cwd })).rejects.toThrow(
      /^missing --type <datasource\|app> and --id <plugin id>: stdin is not a terminal/,
    );
    await expect(resolveCreateOptions({ type: "app" }, { cwd })).rejects.toThrow(
      /^missing --id <plugin id>: /,
    );
    await expect(resolveCreateOptions({ id: "myorg-a-app" }, { cwd })).rejects.toThrow(
      /^missing --type <datasource\|app>: /,
    );
  });

  it("takes defaults with --yes: a datasource named after the directory", async () => {
    expect(
      await resolveCreateOptions({ directory: "My Ramp!", yes: true }, { cwd, prompter: refuse }),
    ).toEqual({
      type: "datasource",
      id: "myorg-myramp-datasource",
      name: "Myramp",
      directory: join(cwd, "My Ramp!"),
    });
    expect(await resolveCreateOptions({ yes: true, type: "app" }, { cwd })).toMatchObject({
      id: "myorg-myplugin-app",
      directory: join(cwd, "myorg-myplugin-app"),
    });
  });

  it("uses the directory's name as the id when it is a valid one", async () => {
    const options = await resolveCreateOptions(
      { directory: "plugins/acme-logs-app", yes: true, type: "app" },
      { cwd },
    );
    expect(options.id).toBe("acme-logs-app");
  });

  it("asks for what is missing, suggesting defaults and refusing invalid ids", async () => {
    const { prompter, asked } = scripted({ "What kind of plugin?": "app", "Plugin id": "acme-hello-app" });
    const options = await resolveCreateOptions({}, { cwd, prompter });
    expect(options).toEqual({
      type: "app",
      id: "acme-hello-app",
      name: "Hello",
      directory: join(cwd, "acme-hello-app"),
    });
    expect(asked).toEqual([
      { message: "What kind of plugin?", defaultValue: "datasource" },
      {
        message: "Plugin id",
        defaultValue: "myorg-myplugin-app",
        rejects: expect.stringMatching(/uppercase/),
      },
      { message: "Name shown in Grafana", defaultValue: "Hello", rejects: undefined },
      { message: "Directory", defaultValue: "acme-hello-app", rejects: undefined },
    ]);
  });

  it("refuses an invalid --id or --type even when it could ask", async () => {
    await expect(
      resolveCreateOptions({ type: "datasource", id: "acme-x-app" }, { cwd, prompter: refuse }),
    ).rejects.toThrow(/must end in "-datasource"/);
    await expect(resolveCreateOptions({ type: "panel", id: "acme-x-panel" }, { cwd })).rejects.toThrow(
      /unknown --type "panel"; choose one of datasource, app/,
    );
  });
});
