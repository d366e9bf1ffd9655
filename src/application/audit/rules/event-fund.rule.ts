import type { EventContent } from '../../ports/event-store.port';
import type { Finding } from '../audit-finding';
import { idOf, placeOf, ruleViolated, type AuditRule } from './audit-rule';
import type { HistoryFacts } from './history-facts';

export const EVENT_FUND = 'event-fund-equals-payments';

/**
 * E1: the event fund is the approved EVENT payments minus their refunds. The fund has no stream
 * of its own (it is a projection of the payments), so the auditor asserts what makes the two
 * sides agree: every payment counts in the fund exactly when its order was placed for an EVENT
 * plan, and every paid EVENT order has its approved payment (else the fund misses money the
 * buyer paid). The fund's total itself is reported in the totals.
 */
export class EventFundRule implements AuditRule {
  constructor(
    private readonly facts: HistoryFacts,
    private readonly findings: Finding[],
  ) {}

  apply(event: EventContent): void {
    if (event.type !== 'PaymentApproved') return;
    const orderId = idOf(event.streamId);
    const order = this.facts.orders.get(orderId);
    const planType = String(event.data.planType);
    if (!order || order.planType === planType || (order.planType !== 'EVENT' && planType !== 'EVENT')) return;
    ruleViolated(
      this.findings,
      placeOf(event),
      EVENT_FUND,
      `payment approved as ${planType} for a ${order.planType} order: the fund ${planType === 'EVENT' ? 'counts money that is no contribution' : 'misses a contribution'}`,
    );
  }

  finish(): void {
    for (const [orderId, order] of this.facts.orders) {
      if (order.planType !== 'EVENT' || order.paid === null || this.facts.payments.has(orderId)) continue;
      ruleViolated(
        this.findings,
        order.paid.at,
        EVENT_FUND,
        `EVENT order ${orderId} was paid ${order.paid.amount} KRW, but no approved payment counts it in the fund (unless its approval follow-up is still owed)`,
      );
    }
  }
}
