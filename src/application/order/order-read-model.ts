import type { ExistingOrder } from '../../domain/order/order.state';
import type { PaymentState } from '../../domain/payment/payment.state';
import type { Doc } from '../ports/read-model-store.port';

export const ORDERS = 'orders';

/**
 * One document per order: the folded Order and Payment states plus the flat fields the
 * queries and the background jobs filter and sort on.
 */
export interface OrderDoc extends Doc {
  orderId: string;
  userId: string;
  planId: number;
  createdAtMs: number;
  expiresAtMs: number;
  order: ExistingOrder;
  payment: PaymentState;
  /** Recorded status (reads apply expiry by time on top). */
  status: 'PENDING' | 'PAID' | 'EXPIRED';
  /** Has a payment to show: an attempt was made, or the PG approved something. */
  hasPayment: boolean;
  /** An attempt whose outcome is unknown or still in flight (C6). */
  held: boolean;
  heldSinceMs: number;
  /** Paid, but the payment stream or the entitlement is not written yet (crash recovery). */
  awaitingFollowUp: boolean;
  paymentOpened: boolean;
  entitlementApplied: boolean;
  /** A refused approval still to be cancelled at the PG (C7). */
  awaitingVoid: boolean;
  /** A refund recorded but not finished at the PG (F3). */
  awaitingRefund: boolean;
  refundSinceMs: number;
  /** Full refunds whose entitlement change (F4) is not written yet. */
  awaitingRevocation: boolean;
  entitlementRevoked: boolean;
}

/** The stored facts of an order document; the rest is derived from them. */
export type OrderDocBase = Pick<
  OrderDoc,
  | 'orderId'
  | 'userId'
  | 'planId'
  | 'createdAtMs'
  | 'expiresAtMs'
  | 'order'
  | 'payment'
  | 'paymentOpened'
  | 'entitlementApplied'
  | 'entitlementRevoked'
>;
