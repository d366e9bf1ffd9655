import { SettingsError, DataDirInUseError } from '../infrastructure/composition';

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

/** A failed start: the settings' or the DATA_DIR lock's own message, or the error; exit code 1. */
export function exitOnFailedStart(what: string): (error: unknown) => void {
  return (error) => {
    if (error instanceof SettingsError || error instanceof DataDirInUseError) console.error(error.message);
    else console.error(`${what} failed to start:`, error);
    process.exit(1);
  };
}
