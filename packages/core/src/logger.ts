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
  /** Strings masked wherever they appear in a line. Default: none; a plugin's services pass their own. */
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
 * Masks known secret values in text. A plugin's services own one: they register the
 * `decryptedSecureJsonData` values of each data source or app under its settings key, replace them
 * when the settings change and drop them when the settings are evicted, so a secret that reaches a
 * log message or an error text by accident is not written, and the set never outgrows the settings
 * in use.
 */
export class SecretRedactor {
  /** The secrets of each owner (a settings key); `add` uses the owner `""`. */
  readonly #owners = new Map<string, ReadonlySet<string>>();
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

  /** Remembers values to mask from now on, for as long as this redactor lives. */
  add(values: Iterable<string>): void {
    const kept = this.#owners.get("") ?? new Set<string>();
    this.set("", [...kept, ...values]);
  }

  /** Replaces the secrets `owner` registered with `values` (empty: forgets them). */
  set(owner: string, values: Iterable<string>): void {
    const next = new Set([...values].filter((value) => value.length >= this.minLength));
    const previous = this.#owners.get(owner);
    if (previous && previous.size === next.size && [...next].every((v) => previous.has(v))) return;
    if (next.size === 0) this.#owners.delete(owner);
    else this.#owners.set(owner, next);
    this.#rebuild();
  }

  /** Forgets the secrets `owner` registered. */
  delete(owner: string): void {
    if (this.#owners.delete(owner)) this.#rebuild();
  }

  /** The number of distinct secrets masked. */
  get size(): number {
    return new Set([...this.#owners.values()].flatMap((values) => [...values])).size;
  }

  #rebuild(): void {
    const secrets = new Set([...this.#owners.values()].flatMap((values) => [...values]));
    const forms = new Set([...secrets].flatMap(spellings));
    this.#forms = [...forms].sort((a, b) => b.length - a.length);
  }

  /** `text` with each known secret, in each of its spellings, replaced by `[redacted]`. */
  redact(text: string): string {
    let out = text;
    for (const form of this.#forms) if (out.includes(form)) out = out.split(form).join("[redacted]");
    return out;
  }
}

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
  const redactor = options.redactor;
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
      write(`${redactor ? redactor.redact(line) : line}\n`);
    };
    const logger: Logger = {
      trace: (m, a) => log("trace", m, a),
      debug: (m, a) => log("debug", m, a),
      info: (m, a) => log("info", m, a),
      warn: (m, a) => log("warn", m, a),
      error: (m, a) => log("error", m, a),
      with: (attributes) => make({ ...base, ...attributes }),
    };
    if (redactor) maskedBy.set(logger, redactor);
    return logger;
  };
  return make(options.attributes ?? {});
}

/** Loggers that mask whole lines already, with the redactor they use. */
const maskedBy = new WeakMap<Logger, SecretRedactor>();

/**
 * `logger` with `redactor`'s secrets masked in every message and attribute (strings, error
 * messages, and strings inside objects), for a logger a plugin author passed in. A logger that
 * {@link createLogger} made with the same redactor masks whole lines already and is returned as is.
 */
export function maskLogger(logger: Logger, redactor: SecretRedactor): Logger {
  if (maskedBy.get(logger) === redactor) return logger;
  const mask = (value: unknown): unknown => {
    if (typeof value === "string") return redactor.redact(value);
    if (value instanceof Error) return redactor.redact(value.message);
    if (value !== null && typeof value === "object") {
      try {
        return JSON.parse(
          redactor.redact(
            JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
          ),
        );
      } catch {
        return "unserializable";
      }
    }
    return value;
  };
  const maskAttributes = (attributes?: LogAttributes) =>
    attributes && Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, mask(v)]));
  const wrap = (inner: Logger): Logger => {
    const wrapped: Logger = {
      trace: (m, a) => inner.trace(redactor.redact(String(m)), maskAttributes(a)),
      debug: (m, a) => inner.debug(redactor.redact(String(m)), maskAttributes(a)),
      info: (m, a) => inner.info(redactor.redact(String(m)), maskAttributes(a)),
      warn: (m, a) => inner.warn(redactor.redact(String(m)), maskAttributes(a)),
      error: (m, a) => inner.error(redactor.redact(String(m)), maskAttributes(a)),
      with: (attributes) => wrap(inner.with(maskAttributes(attributes) ?? {})),
    };
    maskedBy.set(wrapped, redactor);
    return wrapped;
  };
  return wrap(logger);
}
