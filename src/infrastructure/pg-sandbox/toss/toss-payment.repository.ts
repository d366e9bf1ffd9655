import type { Database } from 'better-sqlite3';
import { APPROVED_STATUSES, OPEN_STATUSES, type TossPaymentRecord } from './toss-payment.record';

interface Row {
  data: string;
}

const inList = (statuses: readonly string[]): string => statuses.map((s) => `'${s}'`).join(', ');

/** toss_payments: the record as JSON, plus the columns we look it up by. */
export class TossPaymentRepository {
  private readonly insertStmt;
  private readonly updateStmt;
  private readonly byKeyStmt;
  private readonly byOrderStmt;
  private readonly approvedForOrderStmt;
  private readonly openSinceStmt;
  private readonly oldestOpenStmt;
  private readonly approvedStmt;

  constructor(db: Database) {
    this.insertStmt = db.prepare(
      'INSERT INTO toss_payments (payment_key, order_id, status, requested_at, data) VALUES (?, ?, ?, ?, ?)',
    );
    this.updateStmt = db.prepare('UPDATE toss_payments SET status = ?, data = ? WHERE payment_key = ?');
    this.byKeyStmt = db.prepare<[string], Row>('SELECT data FROM toss_payments WHERE payment_key = ?');
    // An approved payment is the order's payment; otherwise the latest session for it.
    this.byOrderStmt = db.prepare<[string], Row>(
      `SELECT data FROM toss_payments WHERE order_id = ?
       ORDER BY CASE WHEN status IN (${inList(APPROVED_STATUSES)}) THEN 0 ELSE 1 END, requested_at DESC, rowid DESC
       LIMIT 1`,
    );
    this.approvedForOrderStmt = db.prepare<[string], Row>(
      `SELECT data FROM toss_payments WHERE order_id = ? AND status IN (${inList(APPROVED_STATUSES)}) LIMIT 1`,
    );
    this.openSinceStmt = db.prepare<[number], Row>(
      `SELECT data FROM toss_payments WHERE status IN (${inList(OPEN_STATUSES)}) AND requested_at < ?
       ORDER BY requested_at`,
    );
    this.oldestOpenStmt = db.prepare<[], { oldest: number | null }>(
      `SELECT MIN(requested_at) AS oldest FROM toss_payments WHERE status IN (${inList(OPEN_STATUSES)})`,
    );
    this.approvedStmt = db.prepare<{ from: number; to: number }, Row>(
      `SELECT data FROM toss_payments WHERE status IN (${inList(APPROVED_STATUSES)})
         AND (json_extract(data, '$.approvedAt') BETWEEN @from AND @to
           OR EXISTS (SELECT 1 FROM json_each(data, '$.cancels') c
                      WHERE json_extract(c.value, '$.canceledAt') BETWEEN @from AND @to))
       ORDER BY rowid`,
    );
  }

  insert(p: TossPaymentRecord): void {
    this.insertStmt.run(p.paymentKey, p.orderId, p.status, p.requestedAt, JSON.stringify(p));
  }

  save(p: TossPaymentRecord): void {
    this.updateStmt.run(p.status, JSON.stringify(p), p.paymentKey);
  }

  byKey(paymentKey: string): TossPaymentRecord | null {
    return parse(this.byKeyStmt.get(paymentKey));
  }

  byOrderId(orderId: string): TossPaymentRecord | null {
    return parse(this.byOrderStmt.get(orderId));
  }

  approvedForOrder(orderId: string): TossPaymentRecord | null {
    return parse(this.approvedForOrderStmt.get(orderId));
  }

  /** Unconfirmed sessions created before `instant`, oldest first. */
  openRequestedBefore(instant: number): TossPaymentRecord[] {
    return this.openSinceStmt.all(instant).map((row) => JSON.parse(row.data) as TossPaymentRecord);
  }

  /** Payments approved or cancelled in [from, to] (epoch ms, both included): the transaction list's source. */
  approvedOrCancelledBetween(from: number, to: number): TossPaymentRecord[] {
    return this.approvedStmt.all({ from, to }).map((row) => JSON.parse(row.data) as TossPaymentRecord);
  }

  oldestOpenRequestedAt(): number | null {
    return this.oldestOpenStmt.get()?.oldest ?? null;
  }
}

function parse(row: Row | undefined): TossPaymentRecord | null {
  return row ? (JSON.parse(row.data) as TossPaymentRecord) : null;
}
