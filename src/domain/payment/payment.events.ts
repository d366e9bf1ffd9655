import type { MethodDetail, Provider } from '../order/order.events';
import type { DomainEvent } from '../shared/decider';
import type { IsoTime } from '../shared/time';

export interface RefundActor {
  userId: string;
  role: 'user' | 'admin';
}

export type PaymentApproved = DomainEvent<
  'PaymentApproved',
  {
    orderId: string;
    userId: string;
    planId: number;
    planType: 'SUBSCRIPTION' | 'EVENT';
    provider: Provider;
    pgPaymentId: string;
    amount: number;
    approvedAt: IsoTime;
    methodDetail: MethodDetail;
  }
>;

/** F1/F3: recorded before the PG cancel call, with the window in force and the derived key. */
export type RefundRequested = DomainEvent<
  'RefundRequested',
  {
    refundId: string;
    amount: number;
    reason: string;
    requestedBy: RefundActor;
    requestedAt: IsoTime;
    refundWindowDays: number;
    idempotencyKey: string;
    /** Cancellable balance at the PG before this refund (PortOne checksum). */
    balanceBefore: number;
  }
>;

export type RefundCompleted = DomainEvent<
  'RefundCompleted',
  { refundId: string; pgCancelId: string; completedAt: IsoTime }
>;

export type RefundRejected = DomainEvent<
  'RefundRejected',
  { refundId: string; code: string; message: string; at: IsoTime }
>;

export type RefundOutcomeUnknown = DomainEvent<
  'RefundOutcomeUnknown',
  { refundId: string; reason: string; at: IsoTime }
>;

/** A cancel made at the PG outside this service (the PG's console), learnt from the PG. */
export type PgCancelRecorded = DomainEvent<
  'PgCancelRecorded',
  { refundId: string; pgCancelId: string; amount: number; reason: string; canceledAt: IsoTime }
>;

export type PaymentEvent =
  | PaymentApproved
  | RefundRequested
  | RefundCompleted
  | RefundRejected
  | RefundOutcomeUnknown
  | PgCancelRecorded;
