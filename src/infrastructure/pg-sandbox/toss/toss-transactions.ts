import { Router } from 'express';
import { z } from 'zod';
import { checkTossAuth } from './toss-auth';
import { tossError, type TossReply } from './toss-error-codes';
import type { TossPaymentRecord } from './toss-payment.record';
import type { TossPaymentRepository } from './toss-payment.repository';
import { toTossIso } from './toss-time.format';

/** Toss caps a page at 5,000 transactions (reference 1.10); without `limit`, 100. */
export const TOSS_TRANSACTIONS_MAX_LIMIT = 5_000;
const DEFAULT_LIMIT = 100;
const KST_OFFSET = '+09:00';

/** `2024-01-01T00:00:00` is Korean time, as Toss reads it; an explicit offset or Z is honoured too. */
const dateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?$/)
  .transform((value) => Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : value + KST_OFFSET))
  .refine((ms) => !Number.isNaN(ms), 'not a date-time');

const querySchema = z
  .object({
    startDate: dateTime,
    endDate: dateTime,
    startingAfter: z.string().min(1).max(64).optional(),
    limit: z
      .string()
      .regex(/^[0-9]{1,5}$/)
      .transform(Number)
      .pipe(z.number().int().min(1).max(TOSS_TRANSACTIONS_MAX_LIMIT))
      .optional(),
  })
  .refine((q) => q.startDate <= q.endDate, 'startDate after endDate');

/** One approval or cancel as `GET /v1/transactions` lists it; `at` orders the list. */
interface Transaction {
  at: number;
  body: Record<string, unknown>;
}

/**
 * `GET /v1/transactions`: every approval and cancel whose time lies in [startDate, endDate]
 * (both included, to the second), oldest first (ties by transactionKey), cursor-paged by the last
 * item's transactionKey. A cancel's `amount` is positive (Toss's sign is unconfirmed, reference
 * 1.10); `status` is the payment's status right after that transaction (DONE after the approval,
 * PARTIAL_CANCELED or CANCELED after a cancel). Built from the payments the sandbox holds.
 */
export function createTossTransactionsRouter(repo: TossPaymentRepository, secretKey: string): Router {
  const router = Router();
  router.get('/v1/transactions', (req, res) => {
    const reply = listTransactions(repo, secretKey, req.get('authorization'), req.query);
    res.status(reply.status).json(reply.body);
  });
  return router;
}

function listTransactions(
  repo: TossPaymentRepository,
  secretKey: string,
  authorization: string | undefined,
  query: unknown,
): TossReply {
  const denied = checkTossAuth(authorization, secretKey);
  if (denied) return denied;
  const parsed = querySchema.safeParse(query);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`);
    return tossError('INVALID_REQUEST', issues.join('; '));
  }
  const { startDate, endDate, startingAfter, limit } = parsed.data;
  // Toss prints whole seconds: an instant's second is what the window is compared with.
  const first = secondOf(startDate);
  const last = secondOf(endDate);
  const inWindow = repo
    .approvedOrCancelledBetween(first, last + 999)
    .flatMap(transactionsOf)
    .filter((t) => secondOf(t.at) >= first && secondOf(t.at) <= last)
    .sort(
      (a, b) => a.at - b.at || String(a.body.transactionKey).localeCompare(String(b.body.transactionKey)),
    );
  let start = 0;
  if (startingAfter !== undefined) {
    const index = inWindow.findIndex((t) => t.body.transactionKey === startingAfter);
    if (index < 0) return tossError('INVALID_REQUEST', 'startingAfter: no such transaction in this window');
    start = index + 1;
  }
  return { status: 200, body: inWindow.slice(start, start + (limit ?? DEFAULT_LIMIT)).map((t) => t.body) };
}

function transactionsOf(p: TossPaymentRecord): Transaction[] {
  if (p.approvedAt === null) return [];
  const approvalKey =
    p.approvalTransactionKey ?? (p.cancels.length === 0 ? p.lastTransactionKey : null) ?? `${p.paymentKey}-A`;
  const common = {
    mId: 'tvivarepublica',
    paymentKey: p.paymentKey,
    orderId: p.orderId,
    method: p.method,
    customerKey: null,
    useEscrow: false,
    currency: 'KRW',
  };
  const approval: Transaction = {
    at: p.approvedAt,
    body: {
      ...common,
      transactionKey: approvalKey,
      receiptUrl: receiptUrl(approvalKey),
      status: 'DONE',
      transactionAt: toTossIso(p.approvedAt),
      amount: p.totalAmount,
    },
  };
  const cancels = p.cancels.map((c): Transaction => ({
    at: c.canceledAt,
    body: {
      ...common,
      transactionKey: c.transactionKey,
      receiptUrl: receiptUrl(c.transactionKey),
      status: c.refundableAmount === 0 ? 'CANCELED' : 'PARTIAL_CANCELED',
      transactionAt: toTossIso(c.canceledAt),
      amount: c.cancelAmount,
    },
  }));
  return [approval, ...cancels];
}

const secondOf = (ms: number): number => Math.floor(ms / 1000) * 1000;

const receiptUrl = (transactionKey: string): string =>
  `https://dashboard.tosspayments.com/receipt/redirection?transactionId=${transactionKey}&ref=PX`;
