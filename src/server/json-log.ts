// One JSON object per line on a stream, the shape log collectors expect. Reusable by every server.
// Callers pass identifiers (uid, rule ids, names), never object contents, so that no secret value reaches a log.

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Record<string, string | number | boolean | undefined | readonly string[]>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export interface JsonLoggerOptions {
  level?: LogLevel;
  now?: () => Date;
  /** Fields added to every line (component name, for instance). */
  base?: LogFields;
}

/** Longest string field kept whole: names and identifiers fit; a 3 MB kind from a hostile request does not. */
export const MAX_LOG_FIELD_CHARS = 2048;
const MAX_LOG_LIST_ITEMS = 100;

function boundedText(text: string): string {
  return text.length <= MAX_LOG_FIELD_CHARS
    ? text
    : `${text.slice(0, MAX_LOG_FIELD_CHARS)}…(${text.length} characters)`;
}

/** Field values as logged: strings and lists cut to a bounded size, so one request cannot write megabytes. */
function boundedFields(fields: LogFields): LogFields {
  const bounded: LogFields = {};
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') bounded[name] = boundedText(value);
    else if (Array.isArray(value)) {
      const items = (value as readonly string[]).slice(0, MAX_LOG_LIST_ITEMS).map(boundedText);
      if (value.length > MAX_LOG_LIST_ITEMS) items.push(`…(${value.length} items)`);
      bounded[name] = items;
    } else bounded[name] = value;
  }
  return bounded;
}

export function createJsonLogger(stream: NodeJS.WritableStream, options: JsonLoggerOptions = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? 'info');
  const now = options.now ?? (() => new Date());
  const write = (level: LogLevel, message: string, fields?: LogFields) => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    const line = {
      time: now().toISOString(),
      level,
      msg: message,
      ...options.base,
      ...(fields ? boundedFields(fields) : {}),
    };
    stream.write(`${JSON.stringify(line)}\n`);
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

/** A logger that drops everything (tests, benchmarks). */
export const SILENT_LOGGER: Logger = { debug() {}, info() {}, warn() {}, error() {} };
