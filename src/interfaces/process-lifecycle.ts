import { SettingsError, DataDirInUseError, StartupError } from '../infrastructure/composition';

/** Closes gracefully on SIGINT or SIGTERM, then exits (1 if closing failed). */
export function closeOnSignals(close: () => Promise<void>): void {
  const stop = () => {
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/**
 * A failed start: the settings', the DATA_DIR lock's or a StartupError's own message (a taken
 * port, an unwritable DATA_DIR, an unreachable store), without a stack; else the error; exit 1.
 */
export function exitOnFailedStart(what: string): (error: unknown) => void {
  return (error) => {
    if (error instanceof StartupError) console.error(`${what} failed to start: ${error.message}`);
    else if (error instanceof SettingsError || error instanceof DataDirInUseError)
      console.error(error.message);
    else console.error(`${what} failed to start:`, error);
    process.exit(1);
  };
}
