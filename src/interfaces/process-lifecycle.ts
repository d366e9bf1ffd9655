import { SettingsError, DataDirInUseError, StartupError } from '../infrastructure/composition';
import type { Logger } from './observability/logger';
import { onOrphaned } from './orphan-watch';

/**
 * Closes gracefully on SIGINT or SIGTERM (the server drains its requests in flight first),
 * then exits 0 (1 if closing failed). Both signals are taken once: under `npm start`, Ctrl-C
 * reaches node twice (from the terminal and forwarded by npm), and must not cut the drain.
 */
export function closeOnSignals(close: () => Promise<void>, logger?: Logger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals | 'orphaned') => {
    if (stopping) return;
    stopping = true;
    logger?.info({ signal }, 'shutting down: draining requests in flight, then closing the stores');
    close().then(
      () => {
        logger?.info('shut down');
        process.exit(0);
      },
      (error: unknown) => {
        logger?.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  onOrphaned(() => stop('orphaned'));
}

/**
 * A failed start: the settings', the DATA_DIR lock's or a StartupError's own message (a taken
 * port, an unwritable DATA_DIR, an unreachable store), without a stack, on stderr (one line a
 * person reads) and as a JSON line through the logger; else the error; exit code 1.
 */
export function exitOnFailedStart(what: string, logger?: Logger): (error: unknown) => void {
  return (error) => {
    const known =
      error instanceof SettingsError || error instanceof DataDirInUseError || error instanceof StartupError;
    const line =
      error instanceof StartupError
        ? `${what} failed to start: ${error.message}`
        : known
          ? error.message
          : '';
    logger?.fatal(known ? {} : { err: error }, known ? line : `${what} failed to start`);
    if (known) console.error(line);
    else console.error(`${what} failed to start:`, error);
    logger?.flush();
    process.exit(1);
  };
}
