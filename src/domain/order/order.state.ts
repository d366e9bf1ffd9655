import type { Instant } from '../shared/time';
import type { ApprovalRefusalReason, MethodDetail, Provider } from './order.events';

export type AttemptStatus = 'IN_FLIGHT' | 'UNKNOWN' | 'REJECTED' | 'APPROVED' | 'APPROVAL_REFUSED';

export interface Attempt {
  attempt: number;
  provider: Provider;
  pgPaymentId: string;
  idempotencyKey: string;
  startedAt: Instant;
  status: AttemptStatus;
  /** When the outcome became known (rejected or refused); an expiry held by it waits for this. */
  settledAt?: Instant;
  rejection?: { code: string; message: string };
}

export interface OrderSnapshot {
  orderId: string;
  userId: string;
  planId: number;
  planType: 'SUBSCRIPTION' | 'EVENT';
  planName: string;
  planMonths: number | null;
  orderName: string;
  amount: number;
  createdAt: Instant;
  expiresAt: Instant;
}

export interface Payment {
  attempt: number | null;
  provider: Provider;
  pgPaymentId: string;
  amount: number;
  approvedAt: Instant;
  methodDetail: MethodDetail;
}

export interface RefusedApproval {
  pgPaymentId: string;
  provider: Provider;
  pgAmount: number;
  reason: ApprovalRefusalReason;
  cancelled: boolean;
}

/** What every placed order has, whatever became of it. */
interface PlacedOrder {
  order: OrderSnapshot;
  attempts: Attempt[];
  refusedApprovals: RefusedApproval[];
}

/** Awaiting payment: no payment, not expired. */
export interface PendingOrder extends PlacedOrder {
  status: 'PENDING';
  payment: null;
  expiredAt: null;
}

/**
 * Paid: always with the payment that paid it (O4: only one). `expiredAt` is set when the expiry
 * was recorded first and the PG's approval, made before the expiry instant, was learnt later (O3).
 */
export interface PaidOrder extends PlacedOrder {
  status: 'PAID';
  payment: Payment;
  expiredAt: Instant | null;
}

/** Expired unpaid: never payable again (O3). */
export interface ExpiredOrder extends PlacedOrder {
  status: 'EXPIRED';
  payment: null;
  expiredAt: Instant;
}

export type OrderState = { status: 'NONE' } | PendingOrder | PaidOrder | ExpiredOrder;

export type ExistingOrder = Exclude<OrderState, { status: 'NONE' }>;

/** The attempt whose outcome we do not know yet (at most one at a time), if any. */
export function unsettledAttempt(state: ExistingOrder): Attempt | undefined {
  return state.attempts.find((a) => a.status === 'IN_FLIGHT' || a.status === 'UNKNOWN');
}

export function attemptOf(state: ExistingOrder, attempt: number): Attempt | undefined {
  return state.attempts.find((a) => a.attempt === attempt);
}

/** The attempt exists and its outcome is still to be recorded (in flight or unknown). */
export function awaitsOutcome(state: ExistingOrder, attempt: number): boolean {
  const found = attemptOf(state, attempt);
  return found !== undefined && (found.status === 'IN_FLIGHT' || found.status === 'UNKNOWN');
}

/**
 * O3 as a reader sees it: a pending order is expired from its expiry instant on, unless an
 * attempt's outcome is still unknown.
 */
export function effectiveOrderStatus(state: ExistingOrder, now: Instant): 'PENDING' | 'PAID' | 'EXPIRED' {
  if (state.status !== 'PENDING') return state.status;
  return now >= state.order.expiresAt && !unsettledAttempt(state) ? 'EXPIRED' : 'PENDING';
}
