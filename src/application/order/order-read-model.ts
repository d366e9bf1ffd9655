import type { ExistingOrder } from '../../domain/order/order.state';
import type { PaymentState } from '../../domain/payment/payment.state';
import type { Doc } from '../ports/read-model-store.port';

export const ORDERS = 'orders';

/**
 * One document per order: the folded Order and Payment states plus the flat fields the order
 * and payment queries filter and sort on. The work processes still owe is not here: each
 * process keeps its own pending-work projection.
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
}

/** The stored facts of an order document; the rest is derived from them. */
export type OrderDocBase = Pick<
  OrderDoc,
  'orderId' | 'userId' | 'planId' | 'createdAtMs' | 'expiresAtMs' | 'order' | 'payment'
>;
