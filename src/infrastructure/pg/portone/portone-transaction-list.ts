import { z } from 'zod';
import type { PgResult } from '../../../application/ports/payment-gateway.port';
import {
  PgListUnavailableError,
  type PgTransaction,
  type PgTransactionList,
  type TimeWindow,
} from '../../../application/ports/pg-transaction-list.port';
import { classifyPortoneAnswer } from './portone-answer.classifier';
import { PortoneHttpClient } from './portone-http-client';
import { portonePayment, toPgPayment } from './portone-payment.mapper';
import { PortoneTokenCache } from './portone-token-cache';
import { requestPortoneToken } from './portone-token-request';

export interface PortoneTransactionListOptions {
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  timeoutMs: number;
  /** Payments asked for per page (PortOne allows up to 1,000). */
  pageSize?: number;
}

/** PortOne searches at most 90 days per request. */
const MAX_RANGE_S = 90 * 24 * 60 * 60;

const pageSchema = z.object({
  total: z.number(),
  next: z.number(),
  list: z.array(portonePayment),
});
type Page = z.infer<typeof pageSchema>;

/**
 * PortOne v1 has no transaction list, only payments: `GET /payments/status/all` with `from`/`to`
 * (unix seconds, in 90-day pieces), `sorting=started` (oldest first, so payments made while we
 * page are appended after us and shift nothing) and `page` until `next` is 0. Each payment gives
 * its approval (at paid_at, id imp_uid) and each cancel_history entry (the id the payment
 * gateway gives it); those outside the window are dropped here, and one seen twice (a payment
 * listed again on a later page) is kept once.
 */
export class PortoneTransactionList implements PgTransactionList {
  readonly provider = 'portone' as const;
  private readonly client: PortoneHttpClient;
  private readonly tokens: PortoneTokenCache;
  private readonly pageSize: number;

  constructor(private readonly options: PortoneTransactionListOptions) {
    this.client = new PortoneHttpClient(options.baseUrl, options.timeoutMs);
    this.tokens = new PortoneTokenCache(
      () => requestPortoneToken(this.client, options.apiKey, options.apiSecret),
      { now: () => Date.now() },
    );
    this.pageSize = options.pageSize ?? 1_000;
  }

  async transactions(window: TimeWindow): Promise<PgTransaction[]> {
    const found = new Map<string, PgTransaction>();
    const first = Math.ceil(window.from / 1000);
    const last = Math.ceil(window.to / 1000) - 1;
    for (let from = first; from <= last; from += MAX_RANGE_S + 1) {
      const to = Math.min(last, from + MAX_RANGE_S);
      for (let page = 1; page > 0;) {
        const answer = await this.page(from, to, page);
        for (const t of answer.list.flatMap(transactionsOf)) {
          if (t.at >= window.from && t.at < window.to) found.set(`${t.kind}:${t.transactionId}`, t);
        }
        page = answer.next;
      }
    }
    return [...found.values()];
  }

  close(): void {
    this.client.close();
  }

  private async page(from: number, to: number, page: number): Promise<Page> {
    const query = new URLSearchParams({
      from: String(from),
      to: String(to),
      page: String(page),
      limit: String(this.pageSize),
      sorting: 'started',
    });
    const result = await this.authorized(`/payments/status/all?${query.toString()}`);
    if (result.kind === 'ok') return result.value;
    if (result.kind === 'unknown')
      throw new PgListUnavailableError('portone', `PortOne at ${this.options.baseUrl}: ${result.reason}`);
    throw new PgListUnavailableError(
      'portone',
      `PortOne refused GET /payments/status/all (${result.code}${result.message ? `: ${result.message}` : ''})`,
    );
  }

  /** A cached token; a 401 means it died early, so one fresh token and one retry. */
  private async authorized(path: string): Promise<PgResult<Page>> {
    for (let attempt = 1; ; attempt++) {
      const token = await this.tokens.get();
      if (token.kind === 'refused')
        throw new PgListUnavailableError(
          'portone',
          `PortOne refused our REST API key and secret (${token.code}${token.message ? `: ${token.message}` : ''})`,
        );
      if (token.kind !== 'ok') return token;
      const outcome = await this.client.send({ method: 'GET', path, token: token.value });
      if (outcome.kind === 'answer' && outcome.status === 401 && attempt === 1) {
        this.tokens.invalidate(token.value);
        continue;
      }
      return classifyPortoneAnswer<Page>(outcome, {
        onSuccess: (response) => {
          const page = pageSchema.safeParse(response);
          return page.success
            ? { kind: 'ok', value: page.data }
            : {
                kind: 'unknown',
                reason: 'PortOne answered GET /payments/status/all with an unreadable page',
              };
        },
      });
    }
  }
}

function transactionsOf(annotation: z.infer<typeof portonePayment>): PgTransaction[] {
  const p = toPgPayment(annotation);
  const common = { provider: 'portone' as const, pgPaymentId: p.pgPaymentId, orderId: p.orderId };
  const approved = p.status !== 'NOT_APPROVED' && p.status !== 'AWAITING' && p.approvedAt !== null;
  const approval: PgTransaction[] = approved
    ? [
        {
          ...common,
          kind: 'approval',
          transactionId: p.pgPaymentId,
          amount: p.totalAmount,
          at: Date.parse(p.approvedAt ?? ''),
        },
      ]
    : [];
  return [
    ...approval,
    ...p.cancels.map((c): PgTransaction => ({
      ...common,
      kind: 'cancel',
      transactionId: c.transactionId,
      amount: c.amount,
      at: Date.parse(c.canceledAt),
    })),
  ];
}
