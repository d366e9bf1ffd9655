import type { EventContent } from '../../ports/event-store.port';
import { idOf, instant, num, placeOf, type FindingPlace } from './audit-rule';

export interface OrderFacts {
  userId: string;
  planId: number;
  planType: string;
  planMonths: number | null;
  amount: number;
  paid: { amount: number; at: FindingPlace } | null;
  expired: boolean;
}

export interface RefundFacts {
  amount: number;
  status: 'PENDING' | 'COMPLETED' | 'REJECTED';
}

export interface PaymentFacts {
  userId: string;
  planId: number;
  planType: string;
  amount: number;
  approvedAt: number;
  at: FindingPlace;
  refunds: Map<string, RefundFacts>;
  /** Completed refunds plus cancels made at the PG's console. */
  refunded: number;
}

/**
 * What the order and payment streams say, as recorded: the facts several rules and the totals
 * read (who placed an order, what it costs, what was approved and refunded). Fed each event
 * before the rules see it.
 */
export class HistoryFacts {
  readonly orders = new Map<string, OrderFacts>();
  readonly payments = new Map<string, PaymentFacts>();

  apply(event: EventContent): void {
    const d = event.data;
    switch (event.type) {
      case 'OrderPlaced':
        this.orders.set(idOf(event.streamId), {
          userId: String(d.userId),
          planId: num(d.planId),
          planType: String(d.planType),
          planMonths: typeof d.planMonths === 'number' ? d.planMonths : null,
          amount: num(d.amount),
          paid: null,
          expired: false,
        });
        return;
      case 'OrderPaid': {
        const order = this.orders.get(idOf(event.streamId));
        if (order && order.paid === null) order.paid = { amount: num(d.amount), at: placeOf(event) };
        return;
      }
      case 'OrderExpired': {
        const order = this.orders.get(idOf(event.streamId));
        if (order) order.expired = true;
        return;
      }
      case 'PaymentApproved':
        this.payments.set(idOf(event.streamId), {
          userId: String(d.userId),
          planId: num(d.planId),
          planType: String(d.planType),
          amount: num(d.amount),
          approvedAt: instant(d.approvedAt),
          at: placeOf(event),
          refunds: new Map(),
          refunded: 0,
        });
        return;
      case 'RefundRequested':
        this.payments
          .get(idOf(event.streamId))
          ?.refunds.set(String(d.refundId), { amount: num(d.amount), status: 'PENDING' });
        return;
      case 'RefundCompleted':
      case 'RefundRejected': {
        const payment = this.payments.get(idOf(event.streamId));
        const refund = payment?.refunds.get(String(d.refundId));
        if (!payment || !refund || refund.status !== 'PENDING') return;
        refund.status = event.type === 'RefundCompleted' ? 'COMPLETED' : 'REJECTED';
        if (refund.status === 'COMPLETED') payment.refunded += refund.amount;
        return;
      }
      case 'PgCancelRecorded': {
        const payment = this.payments.get(idOf(event.streamId));
        if (!payment) return;
        payment.refunds.set(String(d.refundId), { amount: num(d.amount), status: 'COMPLETED' });
        payment.refunded += num(d.amount);
        return;
      }
    }
  }
}

/** Fully refunded: nothing of the payment is left to back what it bought. */
export const fullyRefunded = (payment: PaymentFacts): boolean => payment.refunded >= payment.amount;
