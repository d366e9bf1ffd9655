/** Stable error codes of the REST contract; the HTTP layer maps each to a status. */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'PLAN_NOT_FOUND'
  | 'ORDER_NOT_FOUND'
  | 'ORDER_EXPIRED'
  | 'ORDER_ALREADY_PAID'
  | 'AMOUNT_MISMATCH'
  | 'PG_PAYMENT_ALREADY_USED'
  | 'PAYMENT_REJECTED'
  | 'PAYMENT_NOT_FOUND'
  | 'PAYMENT_NOT_REFUNDABLE'
  | 'REFUND_WINDOW_CLOSED'
  | 'REFUND_EXCEEDS_BALANCE'
  | 'SUBSCRIPTION_NOT_FOUND'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IDEMPOTENCY_KEY_IN_USE'
  | 'CONCURRENCY_CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_PROVIDER';

/** A rule said no. `details` carries extra fields for the client (e.g. the PG's own code). */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const reject = (code: ErrorCode, message: string, details?: Record<string, unknown>): never => {
  throw new DomainError(code, message, details);
};
