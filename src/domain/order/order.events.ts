import type { DomainEvent } from '../shared/decider';
import type { Provider } from '../shared/provider';
import type { IsoTime } from '../shared/time';

export type { Provider } from '../shared/provider';

export interface MethodDetail {
  method: string;
  cardIssuerCode?: string;
  cardIssuerName?: string;
  cardNumber?: string;
  easyPayProvider?: string;
}

/** Why an approval the PG made could not be honoured (C7); it is cancelled at the PG. */
export type ApprovalRefusalReason = 'ORDER_EXPIRED' | 'AMOUNT_MISMATCH' | 'ORDER_ALREADY_PAID';

export type OrderPlaced = DomainEvent<
  'OrderPlaced',
  {
    orderId: string;
    userId: string;
    planId: number;
    planType: 'SUBSCRIPTION' | 'EVENT';
    planName: string;
    /** Months of access a subscription plan buys (null for EVENT): the terms it was sold at. */
    planMonths: number | null;
    orderName: string;
    amount: number;
    currency: 'KRW';
    createdAt: IsoTime;
    expiresAt: IsoTime;
  }
>;

/** C2: recorded before the PG is called; the idempotency key is derived from order and attempt. */
export type PaymentAttemptStarted = DomainEvent<
  'PaymentAttemptStarted',
  {
    attempt: number;
    provider: Provider;
    pgPaymentId: string;
    amount: number;
    idempotencyKey: string;
    startedAt: IsoTime;
  }
>;

/** C5: the PG refused (card declined...), or it never approved; the order stays payable. */
export type PaymentAttemptRejected = DomainEvent<
  'PaymentAttemptRejected',
  { attempt: number; code: string; message: string; at: IsoTime }
>;

/** C6: timeout, 5xx or a dropped connection: the reconciler will ask the PG. */
export type PaymentAttemptOutcomeUnknown = DomainEvent<
  'PaymentAttemptOutcomeUnknown',
  { attempt: number; reason: string; at: IsoTime }
>;

export type OrderPaid = DomainEvent<
  'OrderPaid',
  {
    attempt: number | null;
    provider: Provider;
    pgPaymentId: string;
    amount: number;
    approvedAt: IsoTime;
    methodDetail: MethodDetail;
  }
>;

/**
 * An attempt asked the PG about the payment that had already paid the order (a webhook or the
 * reconciler recorded it first): the attempt settles APPROVED. The order was paid once, by OrderPaid.
 */
export type PaymentAttemptApproved = DomainEvent<
  'PaymentAttemptApproved',
  { attempt: number; pgPaymentId: string; at: IsoTime }
>;

/** C7: the PG approved something we cannot honour; recorded before the PG cancel call. */
export type PgApprovalRefused = DomainEvent<
  'PgApprovalRefused',
  {
    attempt: number | null;
    provider: Provider;
    pgPaymentId: string;
    pgAmount: number;
    approvedAt: IsoTime;
    reason: ApprovalRefusalReason;
    detail: string;
    at: IsoTime;
  }
>;

/** The PG confirmed the cancel of a refused approval. */
export type PgApprovalCancelled = DomainEvent<'PgApprovalCancelled', { pgPaymentId: string; at: IsoTime }>;

export type OrderExpired = DomainEvent<'OrderExpired', { at: IsoTime }>;

export type OrderEvent =
  | OrderPlaced
  | PaymentAttemptStarted
  | PaymentAttemptRejected
  | PaymentAttemptOutcomeUnknown
  | OrderPaid
  | PaymentAttemptApproved
  | PgApprovalRefused
  | PgApprovalCancelled
  | OrderExpired;
