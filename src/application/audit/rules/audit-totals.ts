import type { AuditScope } from './audit-scope';
import type { HistoryFacts } from './history-facts';
import { activeAt, type Ledger } from './subscription-ledger';

/** State and totals at the audit's cut, within its scope (point 5 of the audit). */
export interface AuditTotals {
  /** The instant they are at: `--as-of`, else the latest recorded event's time. */
  at: string | null;
  orders: { placed: number; paid: number; expired: number };
  payments: {
    approved: number;
    /** KRW approved, before refunds. */
    approvedAmount: number;
    /** KRW refunded: completed refunds and cancels made at the PG's console. */
    refundedAmount: number;
    netAmount: number;
    /** Refunds requested and not yet settled by the PG, and their KRW. */
    refundsPending: number;
    refundsPendingAmount: number;
  };
  /** E1: approved EVENT payments minus their refunds; contributions not wholly refunded. */
  eventFund: { total: number; contributions: number };
  /** Subscriptions active at the instant (a queued period about to take over counts), and the others. */
  subscriptions: { active: number; inactive: number };
}

export function totalsOf(
  facts: HistoryFacts,
  ledgers: ReadonlyMap<string, Ledger>,
  scope: AuditScope,
  at: number | null,
): AuditTotals {
  const orderInScope = (orderId: string) => !scope.narrowed || scope.orders.has(orderId);
  const totals: AuditTotals = {
    at: at === null ? null : new Date(at).toISOString(),
    orders: { placed: 0, paid: 0, expired: 0 },
    payments: {
      approved: 0,
      approvedAmount: 0,
      refundedAmount: 0,
      netAmount: 0,
      refundsPending: 0,
      refundsPendingAmount: 0,
    },
    eventFund: { total: 0, contributions: 0 },
    subscriptions: { active: 0, inactive: 0 },
  };
  for (const [orderId, order] of facts.orders) {
    if (!orderInScope(orderId)) continue;
    totals.orders.placed++;
    if (order.paid) totals.orders.paid++;
    if (order.expired) totals.orders.expired++;
  }
  const p = totals.payments;
  for (const [orderId, payment] of facts.payments) {
    if (!orderInScope(orderId)) continue;
    p.approved++;
    p.approvedAmount += payment.amount;
    p.refundedAmount += payment.refunded;
    for (const refund of payment.refunds.values()) {
      if (refund.status !== 'PENDING') continue;
      p.refundsPending++;
      p.refundsPendingAmount += refund.amount;
    }
    if (payment.planType !== 'EVENT') continue;
    const net = payment.amount - payment.refunded;
    totals.eventFund.total += net;
    if (net > 0) totals.eventFund.contributions++;
  }
  p.netAmount = p.approvedAmount - p.refundedAmount;
  for (const [userId, ledger] of ledgers) {
    if (scope.narrowed && !scope.users.has(userId)) continue;
    if (at !== null && activeAt(ledger, at)) totals.subscriptions.active++;
    else totals.subscriptions.inactive++;
  }
  return totals;
}
