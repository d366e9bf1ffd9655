import Database from 'better-sqlite3';
import path from 'node:path';
import { ensureWritableDataDir, reasonOf, StartupError } from './startup-error';

export const LOCK_FILE = 'ledgerline.lock';

/** Another process (or another start in this one) holds the DATA_DIR. */
export class DataDirInUseError extends Error {
  constructor(readonly dataDir: string) {
    super(`DATA_DIR ${dataDir} is in use by another Ledgerline process`);
    this.name = 'DataDirInUseError';
  }
}

export interface DataDirLock {
  readonly dataDir: string;
  release(): void;
}

const isBusy = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  'code' in error &&
  (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_LOCKED');

/**
 * One process per DATA_DIR: two services on one directory would each keep their own clock,
 * caches and writer over the same files. The lock is SQLite's own, an exclusive write lock on
 * `DATA_DIR/ledgerline.lock` held by an open transaction: its fcntl lock dies with the process,
 * so a crash never leaves a stale lock, and SQLite also refuses a second connection from this
 * same process (a second start in tests). Never waits: a held lock fails the start at once.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  ensureWritableDataDir(dataDir);
  let db: Database.Database;
  try {
    db = new Database(path.join(dataDir, LOCK_FILE), { timeout: 0 });
  } catch (error) {
    throw new StartupError(`DATA_DIR ${dataDir}: cannot open ${LOCK_FILE} (${reasonOf(error)})`);
  }
  try {
    // EXCLUSIVE mode keeps the lock for the connection's life, not just the transaction's.
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if (isBusy(error)) throw new DataDirInUseError(dataDir);
    throw error;
  }
  let held = true;
  return {
    dataDir,
    release() {
      if (!held) return;
      held = false;
      db.close(); // rolls back the empty transaction and drops the lock
    },
  };
}
