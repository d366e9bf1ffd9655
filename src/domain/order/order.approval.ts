import { toIso, type Instant } from '../shared/time';
import type { RecordApproval } from './order.commands';
import type { ApprovalRefusalReason, OrderEvent } from './order.events';
import { awaitsOutcome, type ExistingOrder, type RefusedApproval } from './order.state';

/** C7/O3/O4: honour the approval, or refuse it so it is cancelled at the PG. */
export function recordApproval(command: RecordApproval, state: ExistingOrder, now: Instant): OrderEvent[] {
  const { pgPaymentId } = command;
  if (state.payment?.pgPaymentId === pgPaymentId) return approvedAgain(command, state, now);
  const alreadyRefused = state.refusedApprovals.find((r) => r.pgPaymentId === pgPaymentId);
  if (alreadyRefused) return refusedAgain(command, alreadyRefused, state, now);
  const refuse = (reason: ApprovalRefusalReason, detail: string): OrderEvent[] => [
    {
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
    },
    ...expiryOnSettling(state, command.attempt, now),
  ];
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

/**
 * The approval that paid the order, reported again. O4: it pays nothing twice, but an attempt
 * still waiting on it (the webhook recorded the payment first) learns it was approved.
 */
function approvedAgain(command: RecordApproval, state: ExistingOrder, now: Instant): OrderEvent[] {
  if (command.attempt === null || !awaitsOutcome(state, command.attempt)) return [];
  return [
    {
      type: 'PaymentAttemptApproved',
      data: { attempt: command.attempt, pgPaymentId: command.pgPaymentId, at: toIso(now) },
    },
  ];
}

/**
 * An approval already refused (C7), reported again. It is refused and cancelled once, but an
 * attempt still waiting on it (the webhook refused it first) is settled with the refusal's
 * reason, so it does not hold the order (O3) for ever.
 */
function refusedAgain(
  command: RecordApproval,
  refused: RefusedApproval,
  state: ExistingOrder,
  now: Instant,
): OrderEvent[] {
  if (command.attempt === null || !awaitsOutcome(state, command.attempt)) return [];
  return [
    {
      type: 'PaymentAttemptRejected',
      data: {
        attempt: command.attempt,
        code: refused.reason,
        message: `the PG approval ${refused.pgPaymentId} was already refused (${refused.reason}) and is cancelled at the PG`,
        at: toIso(now),
      },
    },
    ...expiryOnSettling(state, command.attempt, now),
  ];
}

/**
 * O3: a pending order past its expiry expires as soon as the approval or attempt that held it
 * settles, unless another attempt's outcome is still unknown.
 */
function expiryOnSettling(state: ExistingOrder, attempt: number | null, now: Instant): OrderEvent[] {
  const stillBlocked = state.attempts.some(
    (a) => a.attempt !== attempt && (a.status === 'IN_FLIGHT' || a.status === 'UNKNOWN'),
  );
  if (state.status !== 'PENDING' || now < state.order.expiresAt || stillBlocked) return [];
  // Dated like ExpireOrder: the expiry instant, or when the attempt holding it settled (now).
  const heldUntil = attempt !== null && awaitsOutcome(state, attempt) ? now : 0;
  const at = Math.min(
    now,
    Math.max(state.order.expiresAt, heldUntil, ...state.attempts.map((a) => a.settledAt ?? 0)),
  );
  return [{ type: 'OrderExpired', data: { at: toIso(at) } }];
}
