import { z } from 'zod';
import type {
  PgMethodDetail,
  PgPayment,
  PgPaymentStatus,
} from '../../../application/ports/payment-gateway.port';
import { tossCardIssuerName } from './toss-card-issuers';

/** The fields of a Toss Payment object we rely on; an answer without them is not a Payment. */
const tossPaymentSchema = z.object({
  paymentKey: z.string().min(1),
  orderId: z.string().min(1),
  status: z.string().min(1),
  totalAmount: z.number(),
  balanceAmount: z.number(),
  /** The latest approve or cancel transaction: after a cancel, that cancel's transactionKey. */
  lastTransactionKey: z.string().nullish(),
  method: z.string().nullish(),
  approvedAt: z.string().nullish(),
  card: z.object({ issuerCode: z.string().nullish(), number: z.string().nullish() }).nullish(),
  easyPay: z.object({ provider: z.string().nullish() }).nullish(),
  cancels: z
    .array(
      z.object({
        transactionKey: z.string(),
        cancelAmount: z.number(),
        cancelReason: z.string(),
        canceledAt: z.string(),
      }),
    )
    .nullish(),
  failure: z.object({ code: z.string(), message: z.string().nullish() }).nullish(),
});

const STATUS: Readonly<Record<string, PgPaymentStatus>> = {
  DONE: 'APPROVED',
  PARTIAL_CANCELED: 'PARTIALLY_CANCELED',
  CANCELED: 'CANCELED',
  // Authenticated or awaiting a deposit, not approved yet: a confirm may still approve it (C6).
  READY: 'AWAITING',
  IN_PROGRESS: 'AWAITING',
  WAITING_FOR_DEPOSIT: 'AWAITING',
};

/** Toss prints KST offsets; we keep instants as UTC ISO like the rest of the service. */
const toUtcIso = (iso: string): string => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString();
};

/**
 * A Toss Payment object as our PgPayment, or null when the body is not one. `requestKey` is the
 * Idempotency-Key of the cancel request this body answers: it goes to the cancel whose
 * transactionKey is the body's lastTransactionKey (the one that request made); other cancels,
 * and every cancel of a lookup, keep null.
 */
export function toPgPayment(body: unknown, requestKey: string | null = null): PgPayment | null {
  const parsed = tossPaymentSchema.safeParse(body);
  if (!parsed.success) return null;
  const p = parsed.data;
  const methodDetail: PgMethodDetail = { method: p.method ?? '' };
  const issuerCode = p.card?.issuerCode;
  if (issuerCode) {
    methodDetail.cardIssuerCode = issuerCode;
    const name = tossCardIssuerName(issuerCode);
    if (name) methodDetail.cardIssuerName = name;
  }
  if (p.card?.number) methodDetail.cardNumber = p.card.number;
  if (p.easyPay?.provider) methodDetail.easyPayProvider = p.easyPay.provider;
  const payment: PgPayment = {
    provider: 'toss',
    pgPaymentId: p.paymentKey,
    orderId: p.orderId,
    totalAmount: p.totalAmount,
    balanceAmount: p.balanceAmount,
    status: STATUS[p.status] ?? 'NOT_APPROVED',
    pgStatus: p.status,
    approvedAt: p.approvedAt ? toUtcIso(p.approvedAt) : null,
    methodDetail,
    cancels: (p.cancels ?? []).map((c) => ({
      transactionId: c.transactionKey,
      amount: c.cancelAmount,
      reason: c.cancelReason,
      canceledAt: toUtcIso(c.canceledAt),
      requestKey:
        requestKey !== null && p.lastTransactionKey && c.transactionKey === p.lastTransactionKey
          ? requestKey
          : null,
    })),
  };
  if (p.failure) payment.failure = { code: p.failure.code, message: p.failure.message ?? '' };
  return payment;
}
