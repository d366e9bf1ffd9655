import { assertNever } from '../shared/decider';
import { DomainError, reject } from '../shared/domain-error';
import { toIso, type Instant } from '../shared/time';
import type { OrderCommand, PlaceOrder, RecordApproval, StartPaymentAttempt } from './order.commands';
import { attemptIdempotencyKey } from './order.commands';
import type { OrderEvent } from './order.events';
import { attemptOf, unsettledAttempt, type ExistingOrder, type OrderState } from './order.state';

function placeOrder(command: PlaceOrder, state: OrderState, now: Instant): OrderEvent[] {
  if (state.status !== 'NONE') return reject('VALIDATION_FAILED', `order ${command.orderId} already exists`);
  const { plan } = command;
  let amount: number;
  if (plan.kind === 'EVENT') {
    if (command.amount === undefined)
      return reject('VALIDATION_FAILED', 'amount is required for an event plan');
    if (command.amount < plan.minAmount || command.amount > plan.maxAmount) {
      return reject(
        'VALIDATION_FAILED',
        `amount must be between ${plan.minAmount} and ${plan.maxAmount} KRW`,
      );
    }
    amount = command.amount;
  } else {
    // O1: the server sets a subscription order's amount from the plan; a client may not.
    if (command.amount !== undefined && command.amount !== plan.price) {
      return reject(
        'VALIDATION_FAILED',
        `plan ${plan.id} costs ${plan.price} KRW; the amount is set by the plan`,
      );
    }
    amount = plan.price;
  }
  return [
    {
      type: 'OrderPlaced',
      data: {
        orderId: command.orderId,
        userId: command.userId,
        planId: plan.id,
        planType: plan.kind,
        planName: plan.name,
        planMonths: plan.kind === 'SUBSCRIPTION' ? plan.months : null,
        orderName: plan.name,
        amount,
        currency: 'KRW',
        createdAt: toIso(now),
        expiresAt: toIso(now + command.ttlMs),
      },
    },
  ];
}

/** C1: every check happens before any PG call; a refusal here means the PG is never asked. */
export function checkPayable(
  state: OrderState,
  userId: string,
  amount: number | null,
  now: Instant,
): ExistingOrder {
  if (state.status === 'NONE') return reject('ORDER_NOT_FOUND', 'no such order');
  if (state.order.userId !== userId) return reject('FORBIDDEN', 'the order belongs to another user');
  if (state.status === 'PAID') return reject('ORDER_ALREADY_PAID', 'the order is already paid');
  if (state.status === 'EXPIRED' || now >= state.order.expiresAt)
    return reject('ORDER_EXPIRED', 'the order has expired');
  if (amount !== null && amount !== state.order.amount) {
    return reject(
      'AMOUNT_MISMATCH',
      `the amount ${amount} does not match the order amount ${state.order.amount}`,
    );
  }
  return state;
}

function startAttempt(command: StartPaymentAttempt, state: OrderState, now: Instant): OrderEvent[] {
  const order = checkPayable(state, command.userId, command.amount, now);
  if (unsettledAttempt(order)) {
    throw new DomainError('CONCURRENCY_CONFLICT', 'a confirmation of this order is already in progress');
  }
  const attempt = order.attempts.length + 1;
  return [
    {
      type: 'PaymentAttemptStarted',
      data: {
        attempt,
        provider: command.provider,
        pgPaymentId: command.pgPaymentId,
        amount: order.order.amount,
        idempotencyKey: attemptIdempotencyKey(order.order.orderId, attempt),
        startedAt: toIso(now),
      },
    },
  ];
}

/** C7/O3/O4: honour the approval, or refuse it so it is cancelled at the PG. */
function recordApproval(command: RecordApproval, state: ExistingOrder, now: Instant): OrderEvent[] {
  const { pgPaymentId } = command;
  if (state.payment?.pgPaymentId === pgPaymentId) return [];
  if (state.refusedApprovals.some((r) => r.pgPaymentId === pgPaymentId)) return [];
  const refuse = (
    reason: 'ORDER_EXPIRED' | 'AMOUNT_MISMATCH' | 'ORDER_ALREADY_PAID',
    detail: string,
  ): OrderEvent[] => {
    const refused: OrderEvent = {
      type: 'PgApprovalRefused',
      data: {
        attempt: command.attempt,
        provider: command.provider,
        pgPaymentId,
        pgAmount: command.pgAmount,
        approvedAt: toIso(command.approvedAt),
        reason,
        detail,
        at: toIso(now),
      },
    };
    const stillBlocked = state.attempts.some(
      (a) => a.attempt !== command.attempt && (a.status === 'IN_FLIGHT' || a.status === 'UNKNOWN'),
    );
    const expireNow = state.status === 'PENDING' && now >= state.order.expiresAt && !stillBlocked;
    // Dated like ExpireOrder: the expiry instant, or when the attempt holding it settled (now).
    const heldUntil = command.attempt !== null && settleAttempt(state, command.attempt) ? now : 0;
    const at = Math.min(
      now,
      Math.max(state.order.expiresAt, heldUntil, ...state.attempts.map((a) => a.settledAt ?? 0)),
    );
    return expireNow ? [refused, { type: 'OrderExpired', data: { at: toIso(at) } }] : [refused];
  };
  if (command.pgAmount !== state.order.amount) {
    return refuse(
      'AMOUNT_MISMATCH',
      `the PG approved ${command.pgAmount} KRW for an order of ${state.order.amount} KRW`,
    );
  }
  if (state.status === 'PAID')
    return refuse('ORDER_ALREADY_PAID', 'the order was paid by another PG payment');
  // O3: judged by when the PG approved, not by when we learnt it or recorded the expiry.
  if (command.approvedAt >= state.order.expiresAt) {
    return refuse(
      'ORDER_EXPIRED',
      `approved at ${toIso(command.approvedAt)}, after the order expired at ${toIso(state.order.expiresAt)}`,
    );
  }
  return [
    {
      type: 'OrderPaid',
      data: {
        attempt: command.attempt,
        provider: command.provider,
        pgPaymentId,
        amount: command.pgAmount,
        approvedAt: toIso(command.approvedAt),
        methodDetail: command.methodDetail,
      },
    },
  ];
}

function settleAttempt(state: ExistingOrder, attempt: number): boolean {
  const found = attemptOf(state, attempt);
  return found !== undefined && (found.status === 'IN_FLIGHT' || found.status === 'UNKNOWN');
}

export function decideOrder(command: OrderCommand, state: OrderState, now: Instant): OrderEvent[] {
  if (command.type === 'PlaceOrder') return placeOrder(command, state, now);
  if (command.type === 'StartPaymentAttempt') return startAttempt(command, state, now);
  if (state.status === 'NONE') return reject('ORDER_NOT_FOUND', 'no such order');
  switch (command.type) {
    case 'RecordAttemptRejected':
      if (!settleAttempt(state, command.attempt)) return [];
      return [
        {
          type: 'PaymentAttemptRejected',
          data: { attempt: command.attempt, code: command.code, message: command.message, at: toIso(now) },
        },
      ];
    case 'RecordAttemptUnknown':
      if (attemptOf(state, command.attempt)?.status !== 'IN_FLIGHT') return [];
      return [
        {
          type: 'PaymentAttemptOutcomeUnknown',
          data: { attempt: command.attempt, reason: command.reason, at: toIso(now) },
        },
      ];
    case 'RecordApproval':
      return recordApproval(command, state, now);
    case 'RecordApprovalCancelled': {
      const refused = state.refusedApprovals.find((r) => r.pgPaymentId === command.pgPaymentId);
      if (!refused || refused.cancelled) return [];
      return [{ type: 'PgApprovalCancelled', data: { pgPaymentId: command.pgPaymentId, at: toIso(now) } }];
    }
    case 'ExpireOrder': {
      if (state.status !== 'PENDING' || now < state.order.expiresAt || unsettledAttempt(state)) return [];
      // Held past its instant by an unknown outcome, it expires when that outcome became known.
      const at = Math.max(state.order.expiresAt, ...state.attempts.map((a) => a.settledAt ?? 0));
      return [{ type: 'OrderExpired', data: { at: toIso(Math.min(now, at)) } }];
    }
    default:
      return assertNever(command);
  }
}
