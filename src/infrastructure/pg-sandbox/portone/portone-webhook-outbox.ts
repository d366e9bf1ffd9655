import axios from 'axios';
import type Database from 'better-sqlite3';
import type { DueJobSource } from '../../../application/ports/due-job-source.port';

export const WEBHOOK_RETRY_INTERVAL_MS = 60_000;
/** One delivery plus PortOne's optional "up to 5 retries" (network errors and 5xx only). */
export const WEBHOOK_MAX_ATTEMPTS = 6;
const DELIVERY_TIMEOUT_MS = 10_000;

export interface PortoneWebhookPayload {
  imp_uid: string;
  merchant_uid: string;
  status: string;
  cancellation_id?: string;
}

export type WebhookState = 'pending' | 'delivered' | 'failed' | 'skipped';

export interface PortoneWebhookDelivery extends PortoneWebhookPayload {
  id: number;
  state: WebhookState;
  attempts: number;
  created_at: number;
  next_attempt_at: number | null;
  delivered_at: number | null;
  last_result: string | null;
  url: string | null;
}

type Row = Omit<PortoneWebhookDelivery, 'cancellation_id'> & { cancellation_id: string | null };
type DueRow = Row & { notice_url: string | null };

/**
 * PortOne's notification webhooks as a SQLite outbox on the service's clock: the first attempt is
 * due when the event happens, each failed attempt (network error or 5xx) is retried a minute
 * later. A payment's webhooks go to the notice_url it was made with, if any, else to the console's
 * URL, read at delivery time because the server's port is known only then.
 */
export class PortoneWebhookOutbox implements DueJobSource {
  readonly name = 'portone-sandbox-webhooks';
  /** Guards against two overlapping runDue calls posting the same delivery twice. */
  private readonly inFlight = new Set<number>();

  constructor(
    private readonly db: Database.Database,
    private readonly webhookUrl: () => string | null,
    /** Checked again at delivery: a notice_url stored before the rule (or the list) changed. */
    private readonly noticeUrlAllowed: (url: string) => boolean = () => true,
  ) {}

  /** The `cancelled` notification of a cancel (console, or an API cancel with enable_webhook). */
  enqueueCancelled(
    payment: { imp_uid: string; merchant_uid: string },
    cancel: { cancellation_id: string },
    nowMs: number,
  ): void {
    const { imp_uid, merchant_uid } = payment;
    this.enqueue(
      { imp_uid, merchant_uid, status: 'cancelled', cancellation_id: cancel.cancellation_id },
      nowMs,
    );
  }

  /** Sends this payment's webhooks to `url` rather than the console's (IMP.request_pay's notice_url). */
  setNoticeUrl(impUid: string, url: string): void {
    this.db
      .prepare('INSERT OR REPLACE INTO portone_notice_urls (imp_uid, url) VALUES (?, ?)')
      .run(impUid, url);
  }

  enqueue(payload: PortoneWebhookPayload, nowMs: number): void {
    this.db
      .prepare(
        `INSERT INTO portone_webhooks (imp_uid, merchant_uid, status, cancellation_id, state, created_at, next_attempt_at)
         VALUES (?, ?, ?, ?, 'pending', ?, ?)`,
      )
      .run(
        payload.imp_uid,
        payload.merchant_uid,
        payload.status,
        payload.cancellation_id ?? null,
        nowMs,
        nowMs,
      );
  }

  async nextDueAt(): Promise<number | null> {
    const row = this.db
      .prepare(`SELECT MIN(next_attempt_at) AS due FROM portone_webhooks WHERE state = 'pending'`)
      .get() as { due: number | null };
    return row.due;
  }

  async runDue(now: number): Promise<void> {
    const due = this.db
      .prepare(
        `SELECT w.*, n.url AS notice_url FROM portone_webhooks w
         LEFT JOIN portone_notice_urls n ON n.imp_uid = w.imp_uid
         WHERE w.state = 'pending' AND w.next_attempt_at <= ?
         ORDER BY w.next_attempt_at, w.id`,
      )
      .all(now) as DueRow[];
    for (const row of due) {
      if (this.inFlight.has(row.id)) continue;
      this.inFlight.add(row.id);
      try {
        await this.attempt(row, now);
      } finally {
        this.inFlight.delete(row.id);
      }
    }
  }

  list(): PortoneWebhookDelivery[] {
    const rows = this.db.prepare('SELECT * FROM portone_webhooks ORDER BY id').all() as Row[];
    return rows.map(({ cancellation_id, ...rest }) =>
      cancellation_id ? { ...rest, cancellation_id } : rest,
    );
  }

  private async attempt(row: DueRow, now: number): Promise<void> {
    const url = row.notice_url ?? this.webhookUrl();
    if (url === null) {
      this.update(row.id, 'skipped', row.attempts, null, null, 'no webhook URL configured', null);
      return;
    }
    if (row.notice_url !== null && !this.noticeUrlAllowed(row.notice_url)) {
      const reason = 'notice_url not loopback nor in SANDBOX_NOTICE_URL_ALLOW';
      this.update(row.id, 'skipped', row.attempts, null, null, reason, url);
      return;
    }
    const payload: PortoneWebhookPayload = {
      imp_uid: row.imp_uid,
      merchant_uid: row.merchant_uid,
      status: row.status,
      ...(row.cancellation_id ? { cancellation_id: row.cancellation_id } : {}),
    };
    const attempts = row.attempts + 1;
    const outcome = await post(url, payload);
    if (outcome.delivered) {
      this.update(row.id, 'delivered', attempts, null, now, outcome.result, url);
    } else if (outcome.retryable && attempts < WEBHOOK_MAX_ATTEMPTS) {
      this.update(row.id, 'pending', attempts, now + WEBHOOK_RETRY_INTERVAL_MS, null, outcome.result, url);
    } else {
      this.update(row.id, 'failed', attempts, null, null, outcome.result, url);
    }
  }

  private update(
    id: number,
    state: WebhookState,
    attempts: number,
    nextAttemptAt: number | null,
    deliveredAt: number | null,
    result: string,
    url: string | null,
  ): void {
    this.db
      .prepare(
        `UPDATE portone_webhooks SET state = ?, attempts = ?, next_attempt_at = ?, delivered_at = ?,
           last_result = ?, url = ? WHERE id = ?`,
      )
      .run(state, attempts, nextAttemptAt, deliveredAt, result, url, id);
  }
}

interface PostOutcome {
  delivered: boolean;
  retryable: boolean;
  result: string;
}

async function post(url: string, payload: PortoneWebhookPayload): Promise<PostOutcome> {
  try {
    const res = await axios.post(url, payload, {
      timeout: DELIVERY_TIMEOUT_MS,
      maxRedirects: 0, // the registered URL or nothing: a redirect is not followed
      validateStatus: () => true,
      headers: { 'Content-Type': 'application/json' },
    });
    const ok = res.status >= 200 && res.status < 300;
    return { delivered: ok, retryable: res.status >= 500, result: `HTTP ${res.status}` };
  } catch (err) {
    // No response exists here (validateStatus accepts every status): a network-level failure.
    const reason = axios.isAxiosError(err) ? (err.code ?? err.message) : String(err);
    return { delivered: false, retryable: true, result: `network error: ${reason}` };
  }
}
