import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Clock } from '../../../application/ports/clock.port';
import type { TossReply } from './toss-error-codes';

/** Toss keeps a key for 15 days from its first use (reference 1.2). */
export const IDEMPOTENCY_TTL_MS = 15 * 24 * 60 * 60_000;
export const IDEMPOTENCY_KEY_MAX_LENGTH = 300;

export type IdempotencyBegin =
  { kind: 'new' } | { kind: 'replay'; reply: TossReply } | { kind: 'processing' };

interface Row {
  state: 'processing' | 'done';
  status: number | null;
  body: string | null;
  created_at: number;
}

/**
 * Toss Idempotency-Key semantics: scope (key, secret key, path, method), no body check (a reuse
 * with another body replays the first answer), stored answers include errors.
 */
export class TossIdempotencyStore {
  private readonly getStmt;
  private readonly insertStmt;
  private readonly completeStmt;
  private readonly deleteStmt;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    // No request survives a restart, so a key left "processing" would otherwise block forever.
    db.prepare("DELETE FROM toss_idempotency WHERE state = 'processing'").run();
    this.getStmt = db.prepare<[string], Row>(
      'SELECT state, status, body, created_at FROM toss_idempotency WHERE scope = ?',
    );
    this.insertStmt = db.prepare(
      "INSERT INTO toss_idempotency (scope, state, created_at) VALUES (?, 'processing', ?)",
    );
    this.completeStmt = db.prepare(
      "UPDATE toss_idempotency SET state = 'done', status = ?, body = ? WHERE scope = ?",
    );
    this.deleteStmt = db.prepare('DELETE FROM toss_idempotency WHERE scope = ?');
  }

  /** The secret key is hashed into the scope so it is never stored. */
  static scopeOf(secretKey: string, method: string, path: string, key: string): string {
    return createHash('sha256').update([secretKey, method, path, key].join('\u0000')).digest('hex');
  }

  begin(scope: string): IdempotencyBegin {
    const now = this.clock.now();
    const row = this.getStmt.get(scope);
    if (row && now - row.created_at < IDEMPOTENCY_TTL_MS) {
      if (row.state === 'processing') return { kind: 'processing' };
      return { kind: 'replay', reply: { status: row.status ?? 500, body: JSON.parse(row.body ?? 'null') } };
    }
    if (row) this.deleteStmt.run(scope);
    this.insertStmt.run(scope, now);
    return { kind: 'new' };
  }

  complete(scope: string, reply: TossReply): void {
    this.completeStmt.run(reply.status, JSON.stringify(reply.body), scope);
  }

  /** Forget a key whose request was never applied (dropped or 500 before doing anything). */
  release(scope: string): void {
    this.deleteStmt.run(scope);
  }
}
