import type { ErrorCode } from '../../../domain/shared/domain-error';

/**
 * Every code a problem response can carry: the domain's codes plus those only the HTTP layer
 * produces (an unreadable body encoding, an unexpected failure, HTTP the parser refused).
 */
export type ProblemCode =
  | ErrorCode
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'INTERNAL'
  // Protocol-level refusals, written by the server's clientError handler (client-error.ts).
  | 'MALFORMED_REQUEST'
  | 'REQUEST_TIMEOUT'
  | 'HEADERS_TOO_LARGE';

interface ProblemKind {
  status: number;
  title: string;
}

/**
 * The rule of thumb: 409 when the target's current state forbids the request (retrying the
 * same request later may succeed or is pointless because the state moved on), 422 when the
 * request is well-formed but its content is refused. A Record so a new ErrorCode cannot be
 * added without choosing its status here.
 */
const KINDS: Record<ProblemCode, ProblemKind> = {
  VALIDATION_FAILED: { status: 400, title: 'Request validation failed' },
  UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  FORBIDDEN: { status: 403, title: 'Forbidden' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  PLAN_NOT_FOUND: { status: 404, title: 'Plan not found' },
  ORDER_NOT_FOUND: { status: 404, title: 'Order not found' },
  PAYMENT_NOT_FOUND: { status: 404, title: 'Payment not found' },
  SUBSCRIPTION_NOT_FOUND: { status: 404, title: 'Subscription not found' },
  // State conflicts: the order, payment or key is not in a state that allows this.
  ORDER_EXPIRED: { status: 409, title: 'Order expired' },
  ORDER_ALREADY_PAID: { status: 409, title: 'Order already paid' },
  PG_PAYMENT_ALREADY_USED: { status: 409, title: 'PG payment already used by another order' },
  PAYMENT_NOT_REFUNDABLE: { status: 409, title: 'Payment not refundable' },
  // Not 403: the caller may refund this payment in principle (an admin still can); its age is
  // the payment's state, and clients treat 403 as "you lack a permission".
  REFUND_WINDOW_CLOSED: { status: 409, title: 'Refund window closed' },
  IDEMPOTENCY_KEY_IN_USE: { status: 409, title: 'Idempotency key in use' },
  CONCURRENCY_CONFLICT: { status: 409, title: 'Concurrent modification' },
  // Content refusals: well-formed input that the rules reject.
  AMOUNT_MISMATCH: { status: 422, title: 'Amount does not match the order' },
  REFUND_EXCEEDS_BALANCE: { status: 422, title: 'Refund exceeds the refundable balance' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'Idempotency key reused with another body' },
  // Not 402: RFC 9110 reserves it without semantics; the PG refused the payment the buyer
  // brought, which is a refusal of the submitted content (the PG's code rides in the body).
  PAYMENT_REJECTED: { status: 422, title: 'Payment rejected by the PG' },
  // A well-formed provider this deployment is not configured for (live mode, a Toss-only merchant).
  UNSUPPORTED_PROVIDER: { status: 422, title: 'Payment provider not configured' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  MALFORMED_REQUEST: { status: 400, title: 'Malformed HTTP request' },
  REQUEST_TIMEOUT: { status: 408, title: 'Request timeout' },
  HEADERS_TOO_LARGE: { status: 431, title: 'Request header fields too large' },
  INTERNAL: { status: 500, title: 'Internal error' },
};

export function statusOf(code: ProblemCode): number {
  return KINDS[code].status;
}

export function titleOf(code: ProblemCode): string {
  return KINDS[code].title;
}
