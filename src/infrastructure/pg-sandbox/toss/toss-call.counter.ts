import type { Database } from 'better-sqlite3';
import type { Clock } from '../../../application/ports/clock.port';

export type TossOperation = 'confirm' | 'lookup' | 'cancel';
export type TossCallCounts = Record<TossOperation, number>;

/**
 * Every request that reaches a Toss API endpoint, counted before auth or idempotency, so API
 * tests can prove "no PG call was made" or "exactly one confirm call".
 */
export class TossCallCounter {
  private readonly insertStmt;
  private readonly allStmt;
  private readonly byOrderStmt;
  private readonly resetStmt;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.insertStmt = db.prepare('INSERT INTO toss_calls (operation, order_id, at) VALUES (?, ?, ?)');
    this.allStmt = db.prepare<[], { operation: TossOperation; n: number }>(
      'SELECT operation, COUNT(*) AS n FROM toss_calls GROUP BY operation',
    );
    this.byOrderStmt = db.prepare<[string], { operation: TossOperation; n: number }>(
      'SELECT operation, COUNT(*) AS n FROM toss_calls WHERE order_id = ? GROUP BY operation',
    );
    this.resetStmt = db.prepare('DELETE FROM toss_calls');
  }

  record(operation: TossOperation, orderId: string | null): void {
    this.insertStmt.run(operation, orderId, this.clock.now());
  }

  counts(orderId?: string): TossCallCounts {
    const counts: TossCallCounts = { confirm: 0, lookup: 0, cancel: 0 };
    const rows = orderId === undefined ? this.allStmt.all() : this.byOrderStmt.all(orderId);
    for (const row of rows) counts[row.operation] = row.n;
    return counts;
  }

  reset(): void {
    this.resetStmt.run();
  }
}
