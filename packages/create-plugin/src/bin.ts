#!/usr/bin/env node
// npm create @gfsdk/plugin: runs create-plugin in the terminal.
import { runCli } from "./cli.js";
import { createInquirerPrompter } from "./inquirer-prompter.js";

const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
try {
  process.exitCode = await runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    prompter: interactive ? createInquirerPrompter() : undefined,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
} catch (error) {
  // Ctrl-C at a prompt: nothing was written yet.
  if (error instanceof Error && error.name === "ExitPromptError") {
    process.stderr.write("create-plugin: cancelled\n");
    process.exitCode = 130;
  } else {
    throw error;
  }
}
