import type { Plan } from '../plan/plan';
import type { Instant } from '../shared/time';
import type { MethodDetail, Provider } from './order.events';

export type PlaceOrder = {
  type: 'PlaceOrder';
  orderId: string;
  userId: string;
  plan: Plan;
  /** Only for EVENT plans: the buyer's chosen amount. */
  amount?: number;
  ttlMs: number;
};

export type StartPaymentAttempt = {
  type: 'StartPaymentAttempt';
  userId: string;
  provider: Provider;
  pgPaymentId: string;
  /** The amount the buyer's window returned (Toss); PortOne returns none. */
  amount: number | null;
};

export type RecordAttemptRejected = {
  type: 'RecordAttemptRejected';
  attempt: number;
  code: string;
  message: string;
};
export type RecordAttemptUnknown = { type: 'RecordAttemptUnknown'; attempt: number; reason: string };

/** What the PG says it approved, already checked to be for this order id (C3). */
export type RecordApproval = {
  type: 'RecordApproval';
  attempt: number | null;
  provider: Provider;
  pgPaymentId: string;
  pgAmount: number;
  approvedAt: Instant;
  methodDetail: MethodDetail;
};

export type RecordApprovalCancelled = { type: 'RecordApprovalCancelled'; pgPaymentId: string };
export type ExpireOrder = { type: 'ExpireOrder' };

export type OrderCommand =
  | PlaceOrder
  | StartPaymentAttempt
  | RecordAttemptRejected
  | RecordAttemptUnknown
  | RecordApproval
  | RecordApprovalCancelled
  | ExpireOrder;

/** C2: the PG idempotency key for an attempt, the same on every retry of that attempt. */
export const attemptIdempotencyKey = (orderId: string, attempt: number): string =>
  `ll-confirm-${orderId}-${attempt}`;
