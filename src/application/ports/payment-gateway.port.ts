/**
 * A PG (Toss Payments, PortOne) as the application sees it. Adapters classify every answer:
 * `ok`, `already_done` (a confirm or cancel the PG says it made before: a repeat of ours, or the
 * payment is already in that state), `refused` (the PG said no, with its own code) or `unknown`
 * (timeout, 5xx, dropped connection: the PG may or may not have acted). Nothing above the
 * adapter reads HTTP errors or a PG's codes and messages.
 */
import type { Provider } from '../../domain/shared/provider';

export type PgProvider = Provider;

export type PgPaymentStatus =
  /** Approved and not (fully) cancelled. */
  | 'APPROVED'
  | 'PARTIALLY_CANCELED'
  | 'CANCELED'
  /** Not approved, and never will be (aborted, expired, failed). */
  | 'NOT_APPROVED'
  /** Not approved yet, but it still may be (Toss READY / IN_PROGRESS, PortOne ready). */
  | 'AWAITING';

export interface PgCancel {
  /** The PG's id of this cancel transaction (Toss transactionKey, PortOne pg_tid + time). */
  transactionId: string;
  amount: number;
  reason: string;
  canceledAt: string;
  /**
   * The Idempotency-Key of our cancel request that made this cancel, when the PG lets the
   * adapter tell (Toss: the cancel a keyed request answered with; PortOne: the key carried in
   * the cancel's reason). null for a cancel made elsewhere (the PG's console) or not told.
   * F3: a refund is completed only by the cancel carrying its own key, never by amount.
   */
  requestKey: string | null;
}

export interface PgMethodDetail {
  /** e.g. '카드', '간편결제', 'card', 'kakaopay' as the PG names it. */
  method: string;
  cardIssuerCode?: string;
  cardIssuerName?: string;
  cardNumber?: string;
  easyPayProvider?: string;
}

export interface PgPayment {
  provider: PgProvider;
  /** Toss paymentKey / PortOne imp_uid. */
  pgPaymentId: string;
  orderId: string;
  totalAmount: number;
  /** Still cancellable. */
  balanceAmount: number;
  status: PgPaymentStatus;
  /** The PG's own status string (DONE, paid, ...). */
  pgStatus: string;
  approvedAt: string | null;
  methodDetail: PgMethodDetail;
  cancels: PgCancel[];
  failure?: { code: string; message: string };
}

export type PgResult<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'refused'; code: string; message: string }
  | { kind: 'unknown'; reason: string };

/** What a PG says to a confirm or a cancel: a lookup's answers, or "already done". */
export type PgCommandResult<T> = PgResult<T> | { kind: 'already_done'; code: string; message: string };

export interface ConfirmRequest {
  pgPaymentId: string;
  orderId: string;
  amount: number;
  idempotencyKey: string;
}

export interface CancelRequest {
  pgPaymentId: string;
  /** Omitted: cancel the whole balance. */
  amount?: number;
  reason: string;
  idempotencyKey: string;
  /** Our view of the cancellable balance before this cancel (PortOne `checksum`). */
  balanceBefore: number;
}

export interface PaymentGateway {
  readonly provider: PgProvider;
  /**
   * Toss: POST /v1/payments/confirm. PortOne: the payment is already made in the window, so
   * this looks it up (token, GET /payments/{imp_uid}). Either way `ok` returns the PG's view
   * of the payment, which the caller still checks against the order (C3).
   */
  confirm(request: ConfirmRequest): Promise<PgCommandResult<PgPayment>>;
  /** The PG's payment for our order id; `ok` with null when the PG has none. */
  findByOrderId(orderId: string): Promise<PgResult<PgPayment | null>>;
  /** The PG's payment by its own id; `ok` with null when the PG has none. */
  getPayment(pgPaymentId: string): Promise<PgResult<PgPayment | null>>;
  /**
   * Toss: POST /v1/payments/{paymentKey}/cancel with the request's Idempotency-Key (a repeat
   * answers what the first answered). PortOne: POST /payments/cancel with `checksum`, the key
   * carried in the reason. `ok`: the cancel this request made carries `requestKey`.
   * `already_done`: the payment is already fully cancelled.
   */
  cancel(request: CancelRequest): Promise<PgCommandResult<PgPayment>>;
}
