/**
 * A problem with what was asked (an invalid id, a directory in use, a missing flag), as opposed to
 * a bug: the command line prints its message alone, without a stack.
 */
export class CreatePluginError extends Error {
  override name = "CreatePluginError";
}
