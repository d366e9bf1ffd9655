import { z } from 'zod';
import type {
  PgCancel,
  PgMethodDetail,
  PgPayment,
  PgPaymentStatus,
} from '../../../application/ports/payment-gateway.port';

/** `{code, message, response}`: PortOne v1 wraps every answer; code 0 is success. */
export const portoneEnvelope = z.object({
  code: z.number(),
  message: z.string().nullable().optional(),
  response: z.unknown(),
});

const optionalText = z.string().nullable().optional();
const unixSeconds = z.number().nullable().optional();

const cancelHistoryEntry = z.object({
  pg_tid: optionalText,
  amount: z.number(),
  cancelled_at: z.number(),
  reason: optionalText,
  receipt_url: optionalText,
  cancellation_id: optionalText,
});

/** The PaymentAnnotation fields we rely on; the rest is ignored. */
export const portonePayment = z.object({
  imp_uid: z.string(),
  merchant_uid: z.string(),
  amount: z.number(),
  cancel_amount: z.number().nullable().optional(),
  status: z.string(),
  pay_method: optionalText,
  pg_provider: optionalText,
  emb_pg_provider: optionalText,
  card_code: optionalText,
  card_name: optionalText,
  card_number: optionalText,
  paid_at: unixSeconds,
  fail_reason: optionalText,
  cancel_history: z.array(cancelHistoryEntry).nullable().optional(),
});
export type PortonePayment = z.infer<typeof portonePayment>;

/** pay_method values that name an easy-pay wallet rather than a card or bank method. */
const EASY_PAY_METHODS = new Set([
  'kakaopay',
  'naverpay',
  'payco',
  'tosspay',
  'samsung',
  'lpay',
  'ssgpay',
  'applepay',
]);

const isoFromUnix = (seconds: number): string => new Date(seconds * 1000).toISOString();
const present = (value: string | null | undefined): string | undefined => (value ? value : undefined);

function statusOf(p: PortonePayment, cancelAmount: number): PgPaymentStatus {
  switch (p.status) {
    case 'paid':
      if (cancelAmount <= 0) return 'APPROVED';
      return cancelAmount < p.amount ? 'PARTIALLY_CANCELED' : 'CANCELED';
    case 'cancelled':
      return 'CANCELED';
    case 'failed':
      return 'NOT_APPROVED';
    default:
      // `ready`, or a status PortOne adds later: not final, so keep asking rather than give up on it.
      return 'AWAITING';
  }
}

function methodDetailOf(p: PortonePayment): PgMethodDetail {
  const method = p.pay_method ?? 'unknown';
  const easyPay = present(p.emb_pg_provider) ?? (EASY_PAY_METHODS.has(method) ? method : undefined);
  const detail: PgMethodDetail = { method };
  if (present(p.card_code)) detail.cardIssuerCode = p.card_code ?? undefined;
  if (present(p.card_name)) detail.cardIssuerName = p.card_name ?? undefined;
  if (present(p.card_number)) detail.cardNumber = p.card_number ?? undefined;
  if (easyPay) detail.easyPayProvider = easyPay;
  return detail;
}

/**
 * PortOne v1 has no idempotency keys, so the gateway carries ours in the cancel's free-text
 * `reason` as a trailing ` [ll-...]` (all our keys start `ll-`; see `reasonWithKey`). PortOne
 * stores the reason as sent, so each `cancel_history` entry tells whose cancel it was: ours
 * carry the key, a console cancel (or one made by any other client) carries none.
 */
// The text is optional: an empty reason leaves ' [key]', which a PG may store trimmed.
const KEY_IN_REASON = /^(?:([\s\S]*) )?\[(ll-[^[\]]+)\]$/;

/** Longest reason we send: the key is never cut, the human text is cut to make room. */
export const MAX_CANCEL_REASON_LENGTH = 200;

/** The reason PortOne is sent for a cancel made with `idempotencyKey`. */
export function reasonWithKey(reason: string, idempotencyKey: string): string {
  const suffix = ` [${idempotencyKey}]`;
  return `${reason.slice(0, Math.max(0, MAX_CANCEL_REASON_LENGTH - suffix.length))}${suffix}`;
}

/** A stored reason split into the human text and the key of our request, if it carries one. */
export function splitReason(stored: string): { reason: string; requestKey: string | null } {
  const match = KEY_IN_REASON.exec(stored);
  return match
    ? { reason: match[1] ?? '', requestKey: match[2] ?? null }
    : { reason: stored, requestKey: null };
}

/**
 * Real PortOne history entries often repeat the payment's pg_tid, so without a cancellation_id
 * the id is pg_tid + time + position (the history is append-only, so the position is stable).
 */
function cancelsOf(p: PortonePayment): PgCancel[] {
  return (p.cancel_history ?? []).map((c, index) => ({
    transactionId: present(c.cancellation_id) ?? `${c.pg_tid ?? 'cancel'}:${c.cancelled_at}:${index}`,
    amount: c.amount,
    ...splitReason(c.reason ?? ''),
    canceledAt: isoFromUnix(c.cancelled_at),
  }));
}

const approved = (status: PgPaymentStatus): boolean => status !== 'NOT_APPROVED' && status !== 'AWAITING';

export function toPgPayment(p: PortonePayment): PgPayment {
  const cancelAmount = p.cancel_amount ?? 0;
  const status = statusOf(p, cancelAmount);
  const payment: PgPayment = {
    provider: 'portone',
    pgPaymentId: p.imp_uid,
    orderId: p.merchant_uid,
    totalAmount: p.amount,
    // Nothing is cancellable before approval.
    balanceAmount: approved(status) ? Math.max(0, p.amount - cancelAmount) : 0,
    status,
    pgStatus: p.status,
    approvedAt: p.paid_at ? isoFromUnix(p.paid_at) : null,
    methodDetail: methodDetailOf(p),
    cancels: cancelsOf(p),
  };
  if (p.status === 'failed') payment.failure = { code: 'PAYMENT_FAILED', message: p.fail_reason ?? '' };
  return payment;
}
