import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { z } from 'zod';
import {
  PgListUnavailableError,
  type PgTransaction,
  type PgTransactionList,
  type TimeWindow,
} from '../../../application/ports/pg-transaction-list.port';
import { withDeadline } from '../call-deadline';
import { tossHttpClient, type TossHttpClient } from './toss-http-client';

export interface TossTransactionListOptions {
  baseUrl: string;
  secretKey: string;
  timeoutMs: number;
  /** Transactions asked for per page (Toss allows up to 5,000). */
  pageSize?: number;
}

const KST_OFFSET_MS = 9 * 60 * 60 * 1000;
/** Toss reads startDate/endDate as Korean local date-times to the second. */
const kstDateTime = (ms: number): string => new Date(ms + KST_OFFSET_MS).toISOString().slice(0, 19);

const transactionSchema = z.object({
  transactionKey: z.string().min(1),
  paymentKey: z.string().min(1),
  orderId: z.string(),
  status: z.string(),
  transactionAt: z.string().refine((v) => !Number.isNaN(Date.parse(v))),
  amount: z.number(),
});
const pageSchema = z.array(transactionSchema);

/** The status a transaction leaves the payment in tells what it was (reference 1.10). */
const KIND_BY_STATUS: Readonly<Record<string, PgTransaction['kind']>> = {
  DONE: 'approval',
  CANCELED: 'cancel',
  PARTIAL_CANCELED: 'cancel',
};

/**
 * Toss's `GET /v1/transactions` as a PgTransactionList: the window asked to the second (Toss
 * prints whole seconds), one more second asked at the end and every item re-checked against the
 * window here, so whether Toss includes endDate does not matter; pages followed by the last
 * item's transactionKey until a short page. Amounts are taken as positive (the sign Toss puts
 * on a cancel is unconfirmed). A transaction leaving another status (a virtual account issued,
 * WAITING_FOR_DEPOSIT) is no approval and no cancel, and is skipped.
 */
export class TossTransactionList implements PgTransactionList {
  readonly provider = 'toss' as const;
  private readonly client: TossHttpClient;
  private readonly http: AxiosInstance;
  private readonly pageSize: number;

  constructor(private readonly options: TossTransactionListOptions) {
    this.pageSize = options.pageSize ?? 5_000;
    this.client = tossHttpClient(options);
    this.http = this.client.http;
  }

  async transactions(window: TimeWindow): Promise<PgTransaction[]> {
    const firstSecond = Math.ceil(window.from / 1000) * 1000;
    const lastSecond = Math.ceil(window.to / 1000) * 1000 - 1000;
    if (firstSecond > lastSecond) return [];
    const found = new Map<string, PgTransaction>();
    for (let startingAfter: string | undefined; ;) {
      const params = {
        startDate: kstDateTime(firstSecond),
        endDate: kstDateTime(lastSecond + 1000),
        limit: this.pageSize,
        ...(startingAfter ? { startingAfter } : {}),
      };
      const page = this.read(await this.get(params));
      for (const t of page) {
        const kind = KIND_BY_STATUS[t.status];
        const at = Date.parse(t.transactionAt);
        if (!kind || at < window.from || at >= window.to) continue;
        found.set(t.transactionKey, {
          provider: 'toss',
          kind,
          transactionId: t.transactionKey,
          pgPaymentId: t.paymentKey,
          orderId: t.orderId,
          amount: Math.abs(t.amount),
          at,
        });
      }
      if (page.length < this.pageSize) break;
      startingAfter = page[page.length - 1].transactionKey;
    }
    return [...found.values()];
  }

  close(): void {
    this.client.close();
  }

  private async get(params: Record<string, string | number>): Promise<AxiosResponse<unknown>> {
    try {
      return await withDeadline(this.options.timeoutMs, (signal) =>
        this.http.get('/v1/transactions', { params, signal }),
      );
    } catch (err) {
      // Only the code: the error's config carries the Authorization header.
      const reason = axios.isAxiosError(err) ? (err.code ?? 'network error') : 'error';
      throw new PgListUnavailableError('toss', `Toss at ${this.options.baseUrl} did not answer (${reason})`);
    }
  }

  private read(res: AxiosResponse<unknown>): z.infer<typeof pageSchema> {
    if (res.status >= 200 && res.status < 300) {
      const page = pageSchema.safeParse(res.data);
      if (page.success) return page.data;
      throw new PgListUnavailableError('toss', `Toss answered GET /v1/transactions with an unreadable list`);
    }
    const code = (res.data as { code?: unknown } | null)?.code;
    const what = `HTTP ${res.status}${typeof code === 'string' ? ` ${code}` : ''}`;
    if (res.status === 401 || res.status === 403)
      throw new PgListUnavailableError('toss', `Toss refused our secret key (${what})`);
    throw new PgListUnavailableError('toss', `Toss refused GET /v1/transactions (${what})`);
  }
}
