import { createLogger, type Logger, type LogLevel } from "@gfsdk/core";

/** One record the plugin logged. */
export interface CapturedLog {
  level: LogLevel;
  message: string;
  /** The record's attributes (endpoint, pluginId, the handler's own, …), without the `@` keys. */
  attributes: Record<string, unknown>;
}

/** A logger that keeps what it logs, and the records kept. */
export interface LogCapture {
  logger: Logger;
  /** Every record, oldest first. */
  records: CapturedLog[];
}

/**
 * Creates a {@link LogCapture}. It keeps records rather than writing them, so test output shows
 * test results while tests can still assert on logs. Secrets are redacted as on stderr.
 */
export function createLogCapture(): LogCapture {
  const records: CapturedLog[] = [];
  const logger = createLogger({
    write(line) {
      const { "@level": level, "@message": message, ...rest } = JSON.parse(line) as Record<string, unknown>;
      const attributes: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(rest)) if (!key.startsWith("@")) attributes[key] = value;
      records.push({ level: level as LogLevel, message: String(message), attributes });
    },
  });
  return { logger, records };
}
