/** Structured logs: one JSON object per line, which CloudWatch Logs Insights can query by field. */

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  debug(msg: string, fields?: Readonly<Record<string, unknown>>): void;
  info(msg: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(msg: string, fields?: Readonly<Record<string, unknown>>): void;
  error(msg: string, fields?: Readonly<Record<string, unknown>>): void;
  /** A logger that adds `fields` to every line (e.g. the request id, the SNS MessageId). */
  child(fields: Readonly<Record<string, unknown>>): Logger;
}

/** Errors do not serialize with JSON.stringify; keep what a reader needs. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { value: String(error) };
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === "string" ? { code } : {}),
    ...(error.cause !== undefined ? { cause: describeError(error.cause) } : {}),
  };
}

export function createLogger(
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  bindings: Readonly<Record<string, unknown>> = {},
  now: () => Date = () => new Date(),
): Logger {
  const log =
    (level: LogLevel) =>
    (msg: string, fields: Readonly<Record<string, unknown>> = {}) => {
      const out: Record<string, unknown> = { level, time: now().toISOString(), msg, ...bindings };
      for (const [k, v] of Object.entries(fields)) out[k] = v instanceof Error ? describeError(v) : v;
      write(JSON.stringify(out));
    };
  return {
    debug: log("debug"),
    info: log("info"),
    warn: log("warn"),
    error: log("error"),
    child: (fields) => createLogger(write, { ...bindings, ...fields }, now),
  };
}

/** Collects entries in memory; for tests and the benchmark. */
export function memoryLogger(): Logger & { readonly entries: Record<string, unknown>[] } {
  const entries: Record<string, unknown>[] = [];
  const logger = createLogger((line) => entries.push(JSON.parse(line) as Record<string, unknown>));
  return Object.assign(logger, { entries });
}
