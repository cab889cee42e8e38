import { input, select } from "@inquirer/prompts";
import type { Prompter } from "./prompter.js";

/** A {@link Prompter} on the terminal, with Inquirer. Ctrl-C rejects with Inquirer's `ExitPromptError`. */
export function createInquirerPrompter(): Prompter {
  return {
    select: (message, choices, defaultValue) =>
      select({
        message,
        choices: choices.map((c) => ({ value: c.value, name: c.name })),
        default: defaultValue,
      }),
    input: (message, defaultValue, validate) =>
      input({ message, default: defaultValue, validate: (value) => validate?.(value.trim()) ?? true }).then(
        (v) => v.trim(),
      ),
  };
}
