import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  IDEMPOTENCY_CLAIM_LEASE_MS,
  IdempotencyBegin,
  IdempotencyStore,
  StoredResponse,
} from '../../application/ports/idempotency-store.port';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Purging is a write; doing it at most once a minute keeps begin() cheap. */
const PURGE_EVERY_MS = 60 * 1000;

interface KeyRow {
  fingerprint: string;
  created_at: number;
  response: string | null;
}

function prepareStatements(db: Database.Database) {
  return {
    find: db.prepare<[string, string], KeyRow>(
      'SELECT fingerprint, created_at, response FROM idempotency_keys WHERE scope = ? AND key = ?',
    ),
    claim: db.prepare<[string, string, string, number]>(
      `INSERT OR REPLACE INTO idempotency_keys (scope, key, fingerprint, created_at, response)
       VALUES (?, ?, ?, ?, NULL)`,
    ),
    complete: db.prepare<[string, string, string]>(
      'UPDATE idempotency_keys SET response = ? WHERE scope = ? AND key = ?',
    ),
    release: db.prepare<[string, string]>(
      'DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND response IS NULL',
    ),
    purge: db.prepare<[number]>('DELETE FROM idempotency_keys WHERE created_at <= ?'),
  };
}

/**
 * REST Idempotency-Key records in SQLite. synchronous=NORMAL (durable across a crash of the
 * process, not a power cut) is enough here: a key lost to a power cut lets the command run
 * again, and its event ids, derived from the same key, make the second append a no-op.
 */
export class SqliteIdempotencyStore implements IdempotencyStore {
  private readonly db: Database.Database;
  private readonly beginTx: (
    scope: string,
    key: string,
    fingerprint: string,
    now: number,
  ) => IdempotencyBegin;
  private readonly statements: ReturnType<typeof prepareStatements>;
  private lastPurge = Number.NEGATIVE_INFINITY;

  constructor(
    filePath: string,
    private readonly ttlMs = DAY_MS,
  ) {
    fs.mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
    this.db = new Database(filePath);
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS idempotency_keys (
        scope       TEXT    NOT NULL,
        key         TEXT    NOT NULL,
        fingerprint TEXT    NOT NULL,
        created_at  INTEGER NOT NULL,
        response    TEXT,
        PRIMARY KEY (scope, key)
      );
      CREATE INDEX IF NOT EXISTS idempotency_keys_created_at ON idempotency_keys (created_at);
    `);
    this.statements = prepareStatements(this.db);
    const tx = this.db.transaction((scope: string, key: string, fingerprint: string, now: number) =>
      this.decide(scope, key, fingerprint, now),
    );
    // IMMEDIATE: the read and the claim happen under the write lock, even across processes.
    this.beginTx = (...args) => tx.immediate(...args);
  }

  async begin(scope: string, key: string, fingerprint: string, now: number): Promise<IdempotencyBegin> {
    return this.beginTx(scope, key, fingerprint, now);
  }

  async complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    this.statements.complete.run(
      JSON.stringify({ status: response.status, body: response.body }),
      scope,
      key,
    );
  }

  async release(scope: string, key: string): Promise<void> {
    this.statements.release.run(scope, key);
  }

  close(): void {
    this.db.close();
  }

  private decide(scope: string, key: string, fingerprint: string, now: number): IdempotencyBegin {
    const expiredBefore = now - this.ttlMs;
    if (now - this.lastPurge >= PURGE_EVERY_MS) {
      this.statements.purge.run(expiredBefore);
      this.lastPurge = now;
    }
    const row = this.statements.find.get(scope, key);
    if (!row || row.created_at <= expiredBefore) {
      this.statements.claim.run(scope, key, fingerprint, now);
      return { kind: 'started' };
    }
    if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (row.response === null) {
      if (now - row.created_at < IDEMPOTENCY_CLAIM_LEASE_MS) return { kind: 'in_progress' };
      this.statements.claim.run(scope, key, fingerprint, now);
      return { kind: 'started' };
    }
    return { kind: 'replay', response: JSON.parse(row.response) as StoredResponse };
  }
}
