import type { Database } from 'better-sqlite3';

/**
 * Group commit for the simulated PG: the API calls of one event-loop turn share one SQLite
 * transaction, each call a savepoint inside it (pass a `db.transaction()` function: nested, it
 * runs as one, so a call that throws rolls back alone). A call's result is handed over only
 * once the turn's transaction has committed, so nothing is answered that could still be lost.
 */
export class TurnCommit {
  private waiting: Array<(committed: boolean) => void> = [];

  constructor(private readonly db: Database) {}

  /** Runs `work` now, inside the turn's transaction; resolves after it commits. */
  run<T>(work: () => T): Promise<T> {
    if (!this.db.inTransaction) {
      this.db.exec('BEGIN IMMEDIATE');
      setImmediate(() => this.commit());
    }
    const result = work();
    return new Promise<T>((resolve, reject) => {
      this.waiting.push((committed) =>
        committed ? resolve(result) : reject(new Error('the sandbox could not commit')),
      );
    });
  }

  private commit(): void {
    let committed = false;
    try {
      this.db.exec('COMMIT');
      committed = true;
    } catch {
      try {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
      } catch {
        // Closed underneath us (shutdown): nothing left to undo.
      }
    }
    for (const settle of this.waiting.splice(0)) settle(committed);
  }
}
