import type { OrderCommand } from '../../../src/domain/order/order.commands';
import { attemptIdempotencyKey } from '../../../src/domain/order/order.commands';
import { orderDecider } from '../../../src/domain/order/order.decider';
import type {
  ApprovalRefusalReason,
  MethodDetail,
  OrderEvent,
  Provider,
} from '../../../src/domain/order/order.events';
import type { EventPlan, SubscriptionPlan } from '../../../src/domain/plan/plan';
import { MINUTE_MS, toIso, type Instant } from '../../../src/domain/shared/time';
import { deciderSpec } from './decider-spec';

/** Shared given/when/then vocabulary for the order decider tests. */
export const { given, history, stateOf } = deciderSpec(orderDecider);

export const ORDER_ID = 'ord_Z3kq9T2mWb7xYp4nLr8s';
import { BASIC, EVENT, PREMIUM } from './plans.fixture';

export { BASIC, EVENT, PREMIUM };
export const USER = 'user-1';
export const OTHER_USER = 'user-2';
export const PG_KEY = 'tgen_20240301_pk1';

export const TTL_MS = 30 * MINUTE_MS;
/** The order is placed at T0 (10:00 in Seoul) and expires 30 minutes later. */
export const T0: Instant = Date.parse('2024-03-01T10:00:00+09:00');
export const EXPIRES_AT: Instant = T0 + TTL_MS;
/** `n` minutes after the order was placed. */
export const min = (n: number): Instant => T0 + n * MINUTE_MS;

export const CARD: MethodDetail = { method: '카드', cardIssuerCode: '61', cardIssuerName: '현대' };

// --- commands -------------------------------------------------------------------------------

export const placeOrder = (
  plan: SubscriptionPlan | EventPlan,
  amount?: number,
  userId = USER,
): OrderCommand => ({
  type: 'PlaceOrder',
  orderId: ORDER_ID,
  userId,
  plan,
  amount,
  ttlMs: TTL_MS,
});

export const startAttempt = (
  p: { amount?: number | null; userId?: string; pgPaymentId?: string; provider?: Provider } = {},
): OrderCommand => ({
  type: 'StartPaymentAttempt',
  userId: p.userId ?? USER,
  provider: p.provider ?? 'toss',
  pgPaymentId: p.pgPaymentId ?? PG_KEY,
  amount: p.amount === undefined ? BASIC.price : p.amount,
});

export const rejectAttempt = (attempt: number, code = 'REJECT_CARD_COMPANY'): OrderCommand => ({
  type: 'RecordAttemptRejected',
  attempt,
  code,
  message: '카드사에서 거절했습니다',
});

export const attemptUnknown = (attempt: number, reason = 'timeout'): OrderCommand => ({
  type: 'RecordAttemptUnknown',
  attempt,
  reason,
});

export const approval = (p: {
  attempt?: number | null;
  pgPaymentId?: string;
  pgAmount?: number;
  approvedAt: Instant;
  provider?: Provider;
}): OrderCommand => ({
  type: 'RecordApproval',
  attempt: p.attempt === undefined ? 1 : p.attempt,
  provider: p.provider ?? 'toss',
  pgPaymentId: p.pgPaymentId ?? PG_KEY,
  pgAmount: p.pgAmount ?? BASIC.price,
  approvedAt: p.approvedAt,
  methodDetail: CARD,
});

export const approvalCancelled = (pgPaymentId = PG_KEY): OrderCommand => ({
  type: 'RecordApprovalCancelled',
  pgPaymentId,
});

export const expireOrder: OrderCommand = { type: 'ExpireOrder' };

// --- events ---------------------------------------------------------------------------------

/** A BASIC order by USER placed at T0, unless told otherwise. */
export const placed = (
  p: { plan?: SubscriptionPlan | EventPlan; amount?: number; userId?: string; createdAt?: Instant } = {},
): OrderEvent => {
  const plan = p.plan ?? BASIC;
  const createdAt = p.createdAt ?? T0;
  return {
    type: 'OrderPlaced',
    data: {
      orderId: ORDER_ID,
      userId: p.userId ?? USER,
      planId: plan.id,
      planType: plan.kind,
      planName: plan.name,
      planMonths: plan.kind === 'SUBSCRIPTION' ? plan.months : null,
      orderName: plan.name,
      amount: p.amount ?? (plan.kind === 'SUBSCRIPTION' ? plan.price : 10_000),
      currency: 'KRW',
      createdAt: toIso(createdAt),
      expiresAt: toIso(createdAt + TTL_MS),
    },
  };
};

export const attemptStarted = (
  attempt: number,
  startedAt: Instant,
  p: { pgPaymentId?: string; amount?: number; provider?: Provider } = {},
): OrderEvent => ({
  type: 'PaymentAttemptStarted',
  data: {
    attempt,
    provider: p.provider ?? 'toss',
    pgPaymentId: p.pgPaymentId ?? PG_KEY,
    amount: p.amount ?? BASIC.price,
    idempotencyKey: attemptIdempotencyKey(ORDER_ID, attempt),
    startedAt: toIso(startedAt),
  },
});

export const attemptRejected = (attempt: number, at: Instant, code = 'REJECT_CARD_COMPANY'): OrderEvent => ({
  type: 'PaymentAttemptRejected',
  data: { attempt, code, message: '카드사에서 거절했습니다', at: toIso(at) },
});

export const outcomeUnknown = (attempt: number, at: Instant, reason = 'timeout'): OrderEvent => ({
  type: 'PaymentAttemptOutcomeUnknown',
  data: { attempt, reason, at: toIso(at) },
});

export const paid = (p: {
  attempt?: number | null;
  pgPaymentId?: string;
  amount?: number;
  approvedAt: Instant;
}): OrderEvent => ({
  type: 'OrderPaid',
  data: {
    attempt: p.attempt === undefined ? 1 : p.attempt,
    provider: 'toss',
    pgPaymentId: p.pgPaymentId ?? PG_KEY,
    amount: p.amount ?? BASIC.price,
    approvedAt: toIso(p.approvedAt),
    methodDetail: CARD,
  },
});

export const approvalRefused = (p: {
  attempt?: number | null;
  pgPaymentId?: string;
  pgAmount?: number;
  approvedAt: Instant;
  reason: ApprovalRefusalReason;
  at: Instant;
  /** Free text for people; left out, any text matches (for expected events). */
  detail?: string;
}): OrderEvent => ({
  type: 'PgApprovalRefused',
  data: {
    attempt: p.attempt === undefined ? 1 : p.attempt,
    provider: 'toss',
    pgPaymentId: p.pgPaymentId ?? PG_KEY,
    pgAmount: p.pgAmount ?? BASIC.price,
    approvedAt: toIso(p.approvedAt),
    reason: p.reason,
    detail: p.detail ?? (expect.any(String) as unknown as string),
    at: toIso(p.at),
  },
});

export const pgApprovalCancelled = (at: Instant, pgPaymentId = PG_KEY): OrderEvent => ({
  type: 'PgApprovalCancelled',
  data: { pgPaymentId, at: toIso(at) },
});

export const orderExpired = (at: Instant): OrderEvent => ({ type: 'OrderExpired', data: { at: toIso(at) } });
