import type Database from 'better-sqlite3';

export type PortoneOperation = 'token' | 'confirm' | 'lookup' | 'cancel';
const OPERATIONS: readonly PortoneOperation[] = ['token', 'confirm', 'lookup', 'cancel'];

export type PortoneCallCounts = Record<PortoneOperation, number>;

/**
 * Counts API calls per operation (and per merchant_uid when known), so service tests can prove
 * how many PG calls a flow made (C8: one confirm call however many clients race).
 * Every call that reaches an endpoint counts, including ones refused for a bad token or faulted.
 */
export class PortoneCallCounter {
  constructor(private readonly db: Database.Database) {}

  record(operation: PortoneOperation, merchantUid: string | null): void {
    this.db
      .prepare(
        `INSERT INTO portone_calls (operation, merchant_uid, count) VALUES (?, ?, 1)
         ON CONFLICT (operation, merchant_uid) DO UPDATE SET count = count + 1`,
      )
      .run(operation, merchantUid ?? '');
  }

  counts(merchantUid?: string): PortoneCallCounts {
    const rows = (
      merchantUid === undefined
        ? this.db.prepare('SELECT operation, SUM(count) AS n FROM portone_calls GROUP BY operation').all()
        : this.db
            .prepare(
              'SELECT operation, SUM(count) AS n FROM portone_calls WHERE merchant_uid = ? GROUP BY operation',
            )
            .all(merchantUid)
    ) as { operation: PortoneOperation; n: number }[];
    const counts = Object.fromEntries(OPERATIONS.map((op) => [op, 0])) as PortoneCallCounts;
    for (const row of rows) if (OPERATIONS.includes(row.operation)) counts[row.operation] = row.n;
    return counts;
  }

  reset(): void {
    this.db.prepare('DELETE FROM portone_calls').run();
  }
}
