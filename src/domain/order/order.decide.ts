import { assertNever } from '../shared/decider';
import { DomainError, reject } from '../shared/domain-error';
import { toIso, type Instant } from '../shared/time';
import { recordApproval } from './order.approval';
import type { OrderCommand, PlaceOrder, StartPaymentAttempt } from './order.commands';
import { attemptIdempotencyKey } from './order.commands';
import type { OrderEvent } from './order.events';
import {
  attemptOf,
  awaitsOutcome,
  unsettledAttempt,
  type ExistingOrder,
  type OrderState,
} from './order.state';

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
  // C7: an approval we already refused (and cancel at the PG) can never pay this order.
  const refused = order.refusedApprovals.find((r) => r.pgPaymentId === command.pgPaymentId);
  if (refused) {
    return reject(
      refused.reason,
      `the PG payment ${command.pgPaymentId} was already refused for this order`,
      {
        pgPaymentId: command.pgPaymentId,
      },
    );
  }
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

export function decideOrder(command: OrderCommand, state: OrderState, now: Instant): OrderEvent[] {
  if (command.type === 'PlaceOrder') return placeOrder(command, state, now);
  if (command.type === 'StartPaymentAttempt') return startAttempt(command, state, now);
  if (state.status === 'NONE') return reject('ORDER_NOT_FOUND', 'no such order');
  switch (command.type) {
    case 'RecordAttemptRejected':
      if (!awaitsOutcome(state, command.attempt)) return [];
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
