import type Database from 'better-sqlite3';

export type PortoneStatus = 'ready' | 'paid' | 'cancelled' | 'failed';
export const PORTONE_STATUSES: readonly PortoneStatus[] = ['ready', 'paid', 'cancelled', 'failed'];

/** Fields fixed when the buyer's window completes. */
export interface PortonePaymentDetails {
  pay_method: string;
  channel: 'pc' | 'mobile' | 'api';
  pg_provider: string;
  emb_pg_provider: string | null;
  pg_tid: string;
  pg_id: string;
  name: string;
  currency: 'KRW';
  apply_num: string | null;
  card_code: string | null;
  card_name: string | null;
  card_number: string | null;
  card_quota: number;
  card_type: number | null;
  buyer_name: string | null;
  buyer_email: string | null;
  buyer_tel: string | null;
  buyer_addr: string | null;
  buyer_postcode: string | null;
  custom_data: string | null;
  receipt_url: string;
}

export interface PortoneCancelRecord {
  pg_tid: string;
  cancellation_id: string;
  amount: number;
  /** Unix seconds. */
  cancelled_at: number;
  reason: string;
  receipt_url: string;
}

interface PaymentState {
  imp_uid: string;
  merchant_uid: string;
  status: PortoneStatus;
  amount: number;
  cancel_amount: number;
  /** Unix seconds, 0 for none (as PortOne does). */
  started_at: number;
  paid_at: number;
  failed_at: number;
  cancelled_at: number;
  fail_reason: string | null;
  cancel_reason: string | null;
}

/** A payment as `GET /payments/{imp_uid}` returns it (PortOne's PaymentAnnotation). */
export type PortonePaymentAnnotation = PaymentState &
  PortonePaymentDetails & {
    cancel_history: PortoneCancelRecord[];
    cancel_receipt_urls: string[];
    cash_receipt_issued: boolean;
    escrow: boolean;
    customer_uid: string | null;
    customer_uid_usage: string | null;
    user_agent: string;
  };

export type NewPortonePayment = PaymentState & { details: PortonePaymentDetails };

export type PortoneSorting = 'started' | '-started' | 'paid' | '-paid' | 'updated' | '-updated';

const UPDATED = 'MAX(p.started_at, p.paid_at, p.failed_at, p.cancelled_at)';
/** PortOne's `sorting` values; ties go to the order the payments were made (seq). */
const SORTINGS: Record<PortoneSorting, string> = {
  started: 'p.started_at ASC, p.seq ASC',
  '-started': 'p.started_at DESC, p.seq DESC',
  paid: 'p.paid_at ASC, p.seq ASC',
  '-paid': 'p.paid_at DESC, p.seq DESC',
  updated: `${UPDATED} ASC, p.seq ASC`,
  '-updated': `${UPDATED} DESC, p.seq DESC`,
};

export interface PortoneListQuery {
  status: PortoneStatus | 'all';
  /** Unix seconds, both included. */
  from: number;
  to: number;
  sorting: PortoneSorting;
  offset: number;
  limit: number;
}

interface PaymentRow extends PaymentState {
  details: string;
}

/** Payments and their cancels in SQLite; the cancel rules live in `portone-cancel.service.ts`. */
export class PortonePaymentStore {
  constructor(private readonly db: Database.Database) {}

  insert(p: NewPortonePayment): void {
    this.db
      .prepare(
        `INSERT INTO portone_payments (imp_uid, merchant_uid, status, amount, cancel_amount, started_at,
           paid_at, failed_at, cancelled_at, fail_reason, cancel_reason, details)
         VALUES (@imp_uid, @merchant_uid, @status, @amount, @cancel_amount, @started_at,
           @paid_at, @failed_at, @cancelled_at, @fail_reason, @cancel_reason, @details)`,
      )
      .run({ ...p, details: JSON.stringify(p.details) });
  }

  exists(impUid: string): boolean {
    return this.db.prepare('SELECT 1 FROM portone_payments WHERE imp_uid = ?').get(impUid) !== undefined;
  }

  merchantUidOf(impUid: string): string | null {
    const row = this.db.prepare('SELECT merchant_uid FROM portone_payments WHERE imp_uid = ?').get(impUid) as
      { merchant_uid: string } | undefined;
    return row?.merchant_uid ?? null;
  }

  get(impUid: string): PortonePaymentAnnotation | null {
    const row = this.db.prepare('SELECT * FROM portone_payments WHERE imp_uid = ?').get(impUid) as
      PaymentRow | undefined;
    return row ? this.toAnnotation(row) : null;
  }

  /** PortOne's default `sorting=-started`: the latest attempt first; ties go to the later one made. */
  latestByMerchantUid(merchantUid: string, status?: PortoneStatus): PortonePaymentAnnotation | null {
    const row = (
      status
        ? this.db
            .prepare(
              `SELECT * FROM portone_payments WHERE merchant_uid = ? AND status = ?
               ORDER BY started_at DESC, seq DESC LIMIT 1`,
            )
            .get(merchantUid, status)
        : this.db
            .prepare(
              'SELECT * FROM portone_payments WHERE merchant_uid = ? ORDER BY started_at DESC, seq DESC LIMIT 1',
            )
            .get(merchantUid)
    ) as PaymentRow | undefined;
    return row ? this.toAnnotation(row) : null;
  }

  /**
   * `GET /payments/status/{status}`: the payments of that status (or `all`) with something done in
   * [from, to] (unix seconds, both included): started, paid, failed or any of its cancels. One page
   * of them in `sorting` order, and how many there are in all.
   */
  listByActivity(query: PortoneListQuery): { total: number; list: PortonePaymentAnnotation[] } {
    const where = `(@status = 'all' OR p.status = @status) AND (
        p.started_at BETWEEN @from AND @to
        OR (p.paid_at > 0 AND p.paid_at BETWEEN @from AND @to)
        OR (p.failed_at > 0 AND p.failed_at BETWEEN @from AND @to)
        OR EXISTS (SELECT 1 FROM portone_cancels c
                   WHERE c.imp_uid = p.imp_uid AND c.cancelled_at BETWEEN @from AND @to))`;
    const params = { status: query.status, from: query.from, to: query.to };
    const { total } = this.db
      .prepare(`SELECT COUNT(*) AS total FROM portone_payments p WHERE ${where}`)
      .get(params) as { total: number };
    const rows = this.db
      .prepare(
        `SELECT * FROM portone_payments p WHERE ${where}
         ORDER BY ${SORTINGS[query.sorting]} LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit: query.limit, offset: query.offset }) as PaymentRow[];
    return { total, list: rows.map((row) => this.toAnnotation(row)) };
  }

  /** Records one cancel and the payment's new cumulative state; the caller holds a transaction. */
  recordCancel(impUid: string, cancel: PortoneCancelRecord, status: PortoneStatus): void {
    this.db
      .prepare(
        `INSERT INTO portone_cancels (imp_uid, pg_tid, cancellation_id, amount, cancelled_at, reason, receipt_url)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        impUid,
        cancel.pg_tid,
        cancel.cancellation_id,
        cancel.amount,
        cancel.cancelled_at,
        cancel.reason,
        cancel.receipt_url,
      );
    this.db
      .prepare(
        `UPDATE portone_payments SET cancel_amount = cancel_amount + ?, status = ?, cancelled_at = ?,
           cancel_reason = ? WHERE imp_uid = ?`,
      )
      .run(cancel.amount, status, cancel.cancelled_at, cancel.reason, impUid);
  }

  private toAnnotation(row: PaymentRow): PortonePaymentAnnotation {
    const details = JSON.parse(row.details) as PortonePaymentDetails;
    const cancels = this.db
      .prepare(
        `SELECT pg_tid, cancellation_id, amount, cancelled_at, reason, receipt_url
         FROM portone_cancels WHERE imp_uid = ? ORDER BY seq`,
      )
      .all(row.imp_uid) as PortoneCancelRecord[];
    return {
      ...details,
      imp_uid: row.imp_uid,
      merchant_uid: row.merchant_uid,
      status: row.status,
      amount: row.amount,
      cancel_amount: row.cancel_amount,
      started_at: row.started_at,
      paid_at: row.paid_at,
      failed_at: row.failed_at,
      cancelled_at: row.cancelled_at,
      fail_reason: row.fail_reason,
      cancel_reason: row.cancel_reason,
      cancel_history: cancels,
      cancel_receipt_urls: cancels.map((c) => c.receipt_url),
      cash_receipt_issued: false,
      escrow: false,
      customer_uid: null,
      customer_uid_usage: null,
      user_agent: 'ledgerline-sandbox',
    };
  }
}
