import { classifyError, type ErrorSource, errorMessage } from "./plugin-error.js";

/**
 * The error source of each Response {@link errorResponse} made, read back when the response goes on
 * the wire ({@link responseErrorSource}). A WeakMap so that a Response carries it without a field
 * an author could see or forge, and it goes when the Response does.
 */
const errorSources = new WeakMap<Response, ErrorSource>();

/**
 * A JSON error Response (`{ "message": … }`) for anything a resource handler threw: a
 * {@link PluginError} (a `DownstreamError` too) answers with its `status` and carries its `source`
 * to the CallResource response's `errorSource`; anything else is a 500 from the plugin. A thrown
 * status below 400 (not an error status) is answered as 500. With the call's `signal`, an error
 * thrown because the call timed out is a 504, as the Go SDK reports it. The message is masked like
 * every error text the host gets (`errorMessage`: known secrets become `[redacted]`).
 */
export function errorResponse(error: unknown, signal?: AbortSignal): Response {
  const classified = classifyError(error, signal);
  const status = classified.status >= 400 ? classified.status : 500;
  const response = Response.json({ message: errorMessage(error) }, { status });
  errorSources.set(response, classified.source);
  return response;
}

/**
 * The error source {@link errorResponse} gave `response`, or undefined for any other Response.
 * @private Internal code.
 */
export function responseErrorSource(response: Response): ErrorSource | undefined {
  return errorSources.get(response);
}
