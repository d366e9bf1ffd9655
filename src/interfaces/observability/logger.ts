import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * LOG_LEVEL, or `info`; `silent` under jest (the process's NODE_ENV=test, whatever settings a
 * test passes), where a test that wants the lines passes its own logger. An unknown level is a
 * start-up error naming the variable.
 */
export function logLevelFrom(env: NodeJS.ProcessEnv): string {
  const level = env.LOG_LEVEL?.trim().toLowerCase();
  if (!level) return process.env.NODE_ENV === 'test' ? 'silent' : 'info';
  if (!(LEVELS as readonly string[]).includes(level)) {
    throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(', ')}`);
  }
  return level;
}

/**
 * An error as a log field: its class, message, code and stack, and nothing else. Errors of
 * HTTP clients carry the request they made (headers with a PG secret key or a token), so
 * pino's standard serializer, which copies every enumerable property, is not used.
 */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    message: error.message,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    stack: error.stack,
  };
}

/**
 * The service's JSON logger (pino, one line per entry on stdout). Nothing logs headers or
 * bodies: request lines carry named fields only, and errors go through `serializeError`. (pino's
 * `redact` with wildcard paths cost a third of the history-read throughput in the bench, so the
 * safety is by construction, and a test checks no Authorization value reaches a line.)
 */
export function createLogger(env: NodeJS.ProcessEnv = process.env, destination?: DestinationStream): Logger {
  const level = logLevelFrom(env);
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'ledgerline' },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: serializeError, error: serializeError },
  };
  if (destination) return pino(options, destination);
  if (level === 'silent') return pino(options);
  // Asynchronous writes, off the request's path; pino flushes what is pending on exit.
  return pino(options, pino.destination({ dest: 1, sync: false }));
}

/**
 * `(message, detail)` logging onto the logger at error level, for the callers that report that
 * way (background failures, unexpected request errors): an error goes under `err`, a context's
 * `error` too, serialized as above.
 */
export function failureLog(logger: Logger): (message: string, detail?: unknown) => void {
  return (message, detail) => {
    if (detail === undefined) logger.error(message);
    else if (detail instanceof Error) logger.error({ err: detail }, message);
    else if (typeof detail === 'object' && detail !== null && 'error' in detail) {
      const { error, ...context } = detail as { error: unknown };
      logger.error({ ...context, err: error }, message);
    } else logger.error({ err: detail }, message);
  };
}
