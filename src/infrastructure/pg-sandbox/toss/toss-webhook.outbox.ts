import { randomUUID } from 'node:crypto';
import axios, { type AxiosInstance } from 'axios';
import type { Database } from 'better-sqlite3';
import type { TossPaymentRecord } from './toss-payment.record';
import { toTossPayment } from './toss-payment.view';
import { toTossWebhookTime } from './toss-time.format';

/**
 * Toss retries a webhook that did not get HTTP 200 up to 7 times, at intervals of 1, 4, 16, 64,
 * 256, 1024 and 4096 minutes, the last one 3 days 19 h after the first send (docs "웹훅 재전송
 * 정책"). So retry n is due at the first send plus the sum of the first n intervals.
 */
export const WEBHOOK_RETRY_INTERVALS_MIN = [1, 4, 16, 64, 256, 1024, 4096] as const;
const RETRY_OFFSETS_MS = WEBHOOK_RETRY_INTERVALS_MIN.map(
  (_, i) => WEBHOOK_RETRY_INTERVALS_MIN.slice(0, i + 1).reduce((a, b) => a + b, 0) * 60_000,
);

export type TossWebhookStatus = 'pending' | 'delivered' | 'failed';

export interface TossWebhookDelivery {
  id: string;
  eventType: string;
  paymentKey: string;
  orderId: string;
  paymentStatus: string;
  status: TossWebhookStatus;
  attempts: number;
  createdAt: number;
  firstSentAt: number | null;
  nextDueAt: number | null;
  lastResult: string | null;
}

interface Row {
  id: string;
  event_type: string;
  payment_key: string;
  order_id: string;
  payment_status: string;
  payload: string;
  status: TossWebhookStatus;
  attempts: number;
  created_at: number;
  first_sent_at: number | null;
  next_due_at: number;
  last_result: string | null;
}

export interface TossWebhookOutboxOptions {
  db: Database;
  webhookUrl: () => string | null;
  /** Toss waits 10 s for the 200. */
  deliveryTimeoutMs?: number;
}

/** PAYMENT_STATUS_CHANGED webhooks, queued in the same transaction as the change. */
export class TossWebhookOutbox {
  private readonly http: AxiosInstance;
  private readonly webhookUrl: () => string | null;
  private readonly inFlight = new Set<string>();
  private readonly insertStmt;
  private readonly dueStmt;
  private readonly nextStmt;
  private readonly updateStmt;
  private readonly listStmt;

  constructor(options: TossWebhookOutboxOptions) {
    const { db } = options;
    this.webhookUrl = options.webhookUrl;
    // A webhook goes to the one registered URL: a redirect is a failed delivery, not a new address.
    this.http = axios.create({
      timeout: options.deliveryTimeoutMs ?? 10_000,
      maxRedirects: 0,
      validateStatus: () => true,
    });
    this.insertStmt = db.prepare(
      `INSERT INTO toss_webhooks (id, event_type, payment_key, order_id, payment_status, payload, status, created_at, next_due_at)
       VALUES (?, 'PAYMENT_STATUS_CHANGED', ?, ?, ?, ?, 'pending', ?, ?)`,
    );
    this.dueStmt = db.prepare<[number], Row>(
      "SELECT * FROM toss_webhooks WHERE status = 'pending' AND next_due_at <= ? ORDER BY next_due_at, seq",
    );
    this.nextStmt = db.prepare<[], { due: number | null }>(
      "SELECT MIN(next_due_at) AS due FROM toss_webhooks WHERE status = 'pending'",
    );
    this.updateStmt = db.prepare(
      'UPDATE toss_webhooks SET status = ?, attempts = ?, first_sent_at = ?, next_due_at = ?, last_result = ? WHERE id = ?',
    );
    this.listStmt = db.prepare<[], Row>('SELECT * FROM toss_webhooks ORDER BY seq');
  }

  /** Queues a webhook for a payment that changed status; the first attempt is due at `now`. */
  enqueue(payment: TossPaymentRecord, now: number): void {
    const data = toTossPayment(payment);
    const payload = { eventType: 'PAYMENT_STATUS_CHANGED', createdAt: toTossWebhookTime(now), data };
    const id = `wh_${randomUUID()}`;
    this.insertStmt.run(
      id,
      payment.paymentKey,
      payment.orderId,
      payment.status,
      JSON.stringify(payload),
      now,
      now,
    );
  }

  async nextDueAt(): Promise<number | null> {
    return this.nextStmt.get()?.due ?? null;
  }

  /** Sends every pending webhook due at or before `now`, one after the other. */
  async runDue(now: number): Promise<void> {
    for (const row of this.dueStmt.all(now)) {
      if (this.inFlight.has(row.id)) continue; // another runDue is already sending it
      this.inFlight.add(row.id);
      try {
        await this.attempt(row, now);
      } finally {
        this.inFlight.delete(row.id);
      }
    }
  }

  list(): TossWebhookDelivery[] {
    return this.listStmt.all().map((r) => ({
      id: r.id,
      eventType: r.event_type,
      paymentKey: r.payment_key,
      orderId: r.order_id,
      paymentStatus: r.payment_status,
      status: r.status,
      attempts: r.attempts,
      createdAt: r.created_at,
      firstSentAt: r.first_sent_at,
      nextDueAt: r.status === 'pending' ? r.next_due_at : null,
      lastResult: r.last_result,
    }));
  }

  private async attempt(row: Row, now: number): Promise<void> {
    const result = await this.send(row, now);
    const attempts = row.attempts + 1;
    const firstSentAt = row.first_sent_at ?? now;
    const retryOffset = RETRY_OFFSETS_MS[attempts - 1];
    if (result.ok) {
      this.updateStmt.run('delivered', attempts, firstSentAt, row.next_due_at, result.text, row.id);
    } else if (retryOffset === undefined) {
      this.updateStmt.run('failed', attempts, firstSentAt, row.next_due_at, result.text, row.id);
    } else {
      this.updateStmt.run('pending', attempts, firstSentAt, firstSentAt + retryOffset, result.text, row.id);
    }
  }

  private async send(row: Row, now: number): Promise<{ ok: boolean; text: string }> {
    // No registered URL counts as a failed attempt, so the schedule still moves on.
    const url = this.webhookUrl();
    if (!url) return { ok: false, text: 'no webhook URL' };
    try {
      const res = await this.http.post(url, JSON.parse(row.payload), {
        headers: {
          'tosspayments-webhook-transmission-time': toTossWebhookTime(now),
          'tosspayments-webhook-transmission-retried-count': String(row.attempts),
          'tosspayments-webhook-transmission-id': row.id,
        },
      });
      return { ok: res.status === 200, text: `HTTP ${res.status}` };
    } catch (err) {
      // No response here by definition: report the network error, never err.response.
      const code = axios.isAxiosError(err) ? err.code : undefined;
      return { ok: false, text: `error ${code ?? (err instanceof Error ? err.message : 'unknown')}` };
    }
  }
}
