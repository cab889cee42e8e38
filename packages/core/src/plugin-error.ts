import { isHttpStatus } from "./http-status.js";
import type { SecretRedactor } from "./logger.js";

/**
 * Who caused an error: the plugin itself, or a system it depends on (a database, an HTTP API).
 * Grafana uses it to tell plugin bugs from downstream outages in its SLOs and metrics.
 */
export type ErrorSource = "plugin" | "downstream";

/** Options of {@link PluginError}. */
export interface PluginErrorOptions {
  /** HTTP status code reported to Grafana. Default 500. */
  status?: number;
  /** Who caused the error. Default `"plugin"`. */
  source?: ErrorSource;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * An error with an HTTP status and an error source. Thrown from a query handler it becomes that
 * query's error; thrown from any other handler it becomes a gRPC error carrying the source.
 */
export class PluginError extends Error {
  override name = "PluginError";
  /** HTTP status code, 500 unless given. */
  readonly status: number;
  /** Who caused the error, `"plugin"` unless given. */
  readonly source: ErrorSource;

  constructor(message: string, options: PluginErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status ?? 500;
    this.source = options.source ?? "plugin";
  }
}

/** Options of {@link DownstreamError}. */
export interface DownstreamErrorOptions {
  /** HTTP status code reported to Grafana. Default 500. */
  status?: number;
  /** The underlying error. Default: `messageOrError` when it is not a string. */
  cause?: unknown;
}

/**
 * A {@link PluginError} blaming a downstream system (a database, an HTTP API): source
 * `"downstream"`, status 500 unless given. `new DownstreamError(error)` takes the message of
 * `error` and keeps it as the cause.
 */
export class DownstreamError extends PluginError {
  override name = "DownstreamError";

  constructor(messageOrError: unknown, options: DownstreamErrorOptions = {}) {
    const cause = options.cause ?? (typeof messageOrError === "string" ? undefined : messageOrError);
    super(rawErrorMessage(messageOrError), {
      source: "downstream",
      ...(options.status === undefined ? {} : { status: options.status }),
      ...(cause === undefined ? {} : { cause }),
    });
  }
}

/**
 * Renders anything thrown as a one-line message, with every secret `redactor` knows (the
 * `decryptedSecureJsonData` values of this plugin's settings) masked as `[redacted]`: this text is
 * what the host gets as the error of a query, a health check or a whole call, and Grafana shows and
 * logs it. @private Internal code.
 */
export function errorMessage(error: unknown, redactor?: SecretRedactor): string {
  const text = rawErrorMessage(error);
  return redactor ? redactor.redact(text) : text;
}

function rawErrorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  try {
    return `non-error thrown: ${JSON.stringify(error)}`;
  } catch {
    return `non-error thrown: ${String(error)}`;
  }
}

/**
 * `status` when it {@link isHttpStatus}; otherwise throws a {@link PluginError} (500, `plugin`)
 * naming `what` and the value, so one query's bad answer fails that query, not the whole call.
 * @private Internal code.
 */
export function checkedHttpStatus(status: unknown, what: string): number {
  if (isHttpStatus(status)) return status;
  throw new PluginError(`${what} is ${String(status)}: an HTTP status must be an integer from 100 to 599`);
}

/** Status and source of a thrown value, as the Go SDK derives them. @private Internal code. */
export function classifyError(error: unknown, signal?: AbortSignal): { status: number; source: ErrorSource } {
  if (error instanceof PluginError) {
    // A status that cannot be written to the response (404.5, 1e6) is the plugin's own bug.
    const status = isHttpStatus(error.status) ? error.status : 500;
    return { status, source: error.source === "downstream" ? "downstream" : "plugin" };
  }
  if (signal?.aborted) {
    // The caller went away or its deadline passed; a timeout is a 504 like the Go SDK reports.
    const timeout = signal.reason instanceof Error && signal.reason.name === "TimeoutError";
    return { status: timeout ? 504 : 500, source: "plugin" };
  }
  return { status: 500, source: "plugin" };
}
