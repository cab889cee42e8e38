/** One choice of {@link Prompter.select}. */
export interface PromptChoice {
  value: string;
  /** What the list shows. */
  name: string;
}

/** Asks the user; the command line uses Inquirer, tests a scripted stand-in. */
export interface Prompter {
  /** One of `choices`; `defaultValue` is preselected. */
  select(message: string, choices: readonly PromptChoice[], defaultValue?: string): Promise<string>;
  /** A line of text; `validate` returns an error message or undefined, and is asked again until undefined. */
  input(
    message: string,
    defaultValue: string,
    validate?: (value: string) => string | undefined,
  ): Promise<string>;
}
