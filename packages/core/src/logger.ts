/** hclog levels, in order. Grafana logs `trace` as debug. */
export type LogLevel = "trace" | "debug" | "info" | "warn" | "error";

/** Key/value attributes of a log record. Errors render as their message. */
export type LogAttributes = Record<string, unknown>;

/** A structured logger writing hclog JSON lines, the format Grafana parses from plugin stderr. */
export interface Logger {
  trace(message: string, attributes?: LogAttributes): void;
  debug(message: string, attributes?: LogAttributes): void;
  info(message: string, attributes?: LogAttributes): void;
  warn(message: string, attributes?: LogAttributes): void;
  error(message: string, attributes?: LogAttributes): void;
  /** A logger that adds `attributes` to every record. */
  with(attributes: LogAttributes): Logger;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Where lines go. Default: `process.stderr`, which Grafana reads. */
  write?: (line: string) => void;
  /** Records below this level are dropped. Default `"debug"`, as the Go SDK. */
  level?: LogLevel;
  /** `@module` of every record, for example the plugin id. */
  module?: string;
  /** Attributes added to every record. */
  attributes?: LogAttributes;
  /** Strings masked wherever they appear in a line. Default: the shared {@link secretRedactor}. */
  redactor?: SecretRedactor;
}

const levelRank: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

/**
 * The ways `secret` can be spelled in a log line: as it is, escaped in a JSON string, and escaped
 * in a single-quoted JavaScript string (`util.inspect`, so `console.log(settings)`).
 */
function spellings(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  // util.inspect quotes with ', or with " or ` when the text holds ': escaped as in JSON but for ".
  const inspected = json.replaceAll('\\"', '"');
  return [...new Set([secret, json, inspected, inspected.replaceAll("'", "\\'")])];
}

/**
 * Masks known secret values in text. Core registers every `decryptedSecureJsonData` value it sees,
 * so a secret that reaches a log message by accident is still not written.
 */
export class SecretRedactor {
  readonly #secrets = new Set<string>();
  /**
   * Every spelling of every secret, longest first: masking a secret that is part of another one
   * first would leave the rest of the longer one readable.
   */
  #forms: string[] = [];
  /** Secrets shorter than this are not masked: they would mask ordinary words. Default 4. */
  readonly minLength: number;

  constructor(minLength = 4) {
    this.minLength = minLength;
  }

  /** Remembers values to mask from now on. */
  add(values: Iterable<string>): void {
    let added = false;
    for (const value of values) {
      if (value.length >= this.minLength && !this.#secrets.has(value)) {
        this.#secrets.add(value);
        added = true;
      }
    }
    if (added) {
      const forms = new Set([...this.#secrets].flatMap(spellings));
      this.#forms = [...forms].sort((a, b) => b.length - a.length);
    }
  }

  /** `text` with each known secret, in each of its spellings, replaced by `[redacted]`. */
  redact(text: string): string {
    let out = text;
    for (const form of this.#forms) if (out.includes(form)) out = out.split(form).join("[redacted]");
    return out;
  }
}

/** The redactor shared by loggers and settings parsing in this process. */
export const secretRedactor = new SecretRedactor();

/**
 * An hclog timestamp: Go layout `2006-01-02T15:04:05.000000Z07:00`. go-plugin rejects any other
 * number of fractional digits and then logs the whole line raw.
 */
export function hclogTimestamp(epochMs: number = performance.timeOrigin + performance.now()): string {
  const whole = Math.floor(epochMs);
  const micros = Math.floor((epochMs - whole) * 1000);
  const iso = new Date(whole).toISOString(); // 2026-11-25T18:50:00.123Z
  return `${iso.slice(0, 23)}${String(micros).padStart(3, "0")}Z`;
}

function renderValue(value: unknown): unknown {
  if (value instanceof Error) return value.message;
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return value.toISOString();
  return value;
}

/** Creates a {@link Logger} that writes hclog JSON lines. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const minRank = levelRank[options.level ?? "debug"];
  const redactor = options.redactor ?? secretRedactor;
  const make = (base: LogAttributes): Logger => {
    const log = (level: LogLevel, message: string, attributes?: LogAttributes) => {
      if (levelRank[level] < minRank) return;
      const record: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(base)) record[key] = renderValue(value);
      if (attributes) for (const [key, value] of Object.entries(attributes)) record[key] = renderValue(value);
      // The reserved keys last, so attributes cannot replace them; go-plugin asserts they are strings.
      record["@level"] = level;
      record["@message"] = String(message);
      record["@timestamp"] = hclogTimestamp();
      if (options.module !== undefined) record["@module"] = options.module;
      let line: string;
      try {
        line = JSON.stringify(record, (_key, value: unknown) =>
          typeof value === "bigint" ? value.toString() : value,
        );
      } catch {
        line = JSON.stringify({
          "@level": level,
          "@message": String(message),
          "@timestamp": record["@timestamp"],
          attributes: "unserializable",
        });
      }
      write(`${redactor.redact(line)}\n`);
    };
    return {
      trace: (m, a) => log("trace", m, a),
      debug: (m, a) => log("debug", m, a),
      info: (m, a) => log("info", m, a),
      warn: (m, a) => log("warn", m, a),
      error: (m, a) => log("error", m, a),
      with: (attributes) => make({ ...base, ...attributes }),
    };
  };
  return make(options.attributes ?? {});
}
