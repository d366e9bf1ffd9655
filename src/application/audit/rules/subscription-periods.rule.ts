import type { EventContent } from '../../ports/event-store.port';
import type { Finding } from '../audit-finding';
import {
  idOf,
  instant,
  isoOf,
  num,
  placeOf,
  ruleViolated,
  type AuditRule,
  type FindingPlace,
} from './audit-rule';
import { fullyRefunded, type HistoryFacts } from './history-facts';
import {
  applyPurchase,
  currentEnd,
  newLedger,
  removePurchase,
  startQueuedOrder,
  type Ledger,
} from './subscription-ledger';
import { placementProblem, queuedStartProblem } from './subscription-placement';
import { segmentEnd } from './subscription-runs';

export const BACKED = 'subscription-period-backed';
export const TERMS = 'subscription-period-terms';
export const EXPIRY = 'expiry-at-period-end';

/**
 * Every subscription period is backed by an approved payment of its own order (that user, a
 * subscription plan, its months and price) that was not fully refunded, and its dates follow
 * S1–S4 as the auditor computes them (subscription-runs.ts); every expiry is recorded at the
 * period's end instant, no earlier. The ledger follows what was recorded, so one wrong event
 * is one finding, not a cascade.
 */
export class SubscriptionPeriodsRule implements AuditRule {
  readonly ledgers = new Map<string, Ledger>();

  constructor(
    private readonly facts: HistoryFacts,
    private readonly findings: Finding[],
  ) {}

  apply(event: EventContent): void {
    if (!event.streamId.startsWith('subscription-')) return;
    const userId = idOf(event.streamId);
    let ledger = this.ledgers.get(userId);
    if (!ledger) this.ledgers.set(userId, (ledger = newLedger(userId)));
    const gapAt = ledger.gapAt;
    ledger.gapAt = null;
    const d = event.data;
    const at = placeOf(event);
    switch (event.type) {
      case 'SubscriptionPurchaseApplied':
        return this.purchase(ledger, event, at);
      case 'QueuedPeriodStarted':
        return this.queuedStart(ledger, event, at, gapAt);
      case 'SubscriptionExpired': {
        const end = instant(d.at);
        const expected = currentEnd(ledger);
        if (ledger.status !== 'ACTIVE' || ledger.queue.length > 0 || end !== expected)
          this.fail(
            at,
            EXPIRY,
            `expiry at ${isoOf(end)}; the period ends at ${isoOf(expected)}${ledger.queue.length > 0 ? ' with a queued period to start' : ''}${ledger.status !== 'ACTIVE' ? `, and it was ${ledger.status}` : ''}`,
          );
        else if (instant(event.metadata.recordedAt) < end)
          this.fail(
            at,
            EXPIRY,
            `expiry recorded at ${event.metadata.recordedAt}, before the period's end ${isoOf(end)}`,
          );
        ledger.status = 'EXPIRED';
        ledger.clock = Math.max(ledger.clock, end);
        return;
      }
      case 'SubscriptionPurchaseRemoved':
        return this.removal(ledger, event, at);
      case 'SubscriptionRevoked': {
        const when = instant(d.at);
        if (gapAt !== when || ledger.queue.length > 0)
          this.fail(
            at,
            BACKED,
            `revoked at ${isoOf(when)} while ${ledger.queue.length > 0 ? 'a queued period' : 'the current period'} still backs it`,
          );
        ledger.status = 'REVOKED';
        ledger.clock = Math.max(ledger.clock, when);
        return;
      }
    }
  }

  /** A period standing at the cut must still have a payment behind it. */
  finish(): void {
    for (const [, ledger] of this.ledgers) {
      for (const [orderId, purchase] of ledger.purchases) {
        const payment = this.facts.payments.get(orderId);
        if (!purchase.removed && payment && fullyRefunded(payment))
          this.fail(
            purchase.at,
            BACKED,
            `the period of order ${orderId} stands, but its payment was fully refunded (unless its removal is still owed)`,
          );
      }
    }
  }

  private purchase(ledger: Ledger, event: EventContent, at: FindingPlace): void {
    const d = event.data;
    const orderId = String(d.orderId);
    const order = this.facts.orders.get(orderId);
    const payment = this.facts.payments.get(orderId);
    const months = num(d.months);
    const approvedAt = instant(d.approvedAt);
    const t = instant(d.effectiveAt);
    if (
      !order ||
      !payment ||
      order.planType !== 'SUBSCRIPTION' ||
      order.userId !== ledger.userId ||
      payment.userId !== ledger.userId
    ) {
      this.fail(
        at,
        BACKED,
        `a period for order ${orderId}, which is no approved subscription payment of ${ledger.userId}`,
      );
    } else if (
      order.planId !== num(d.planId) ||
      order.planMonths !== months ||
      order.amount !== num(d.price) ||
      payment.approvedAt !== approvedAt
    ) {
      this.fail(
        at,
        TERMS,
        `order ${orderId} bought plan ${order.planId} (${order.planMonths} months, ${order.amount} KRW, approved ${isoOf(payment.approvedAt)}), not what the period records`,
      );
    } else if (ledger.purchases.has(orderId)) {
      this.fail(at, BACKED, `order ${orderId} buys a second period`);
    } else {
      const problem = placementProblem(ledger, d, t);
      if (problem !== null) this.fail(at, TERMS, problem);
    }
    if (t !== Math.max(approvedAt, ledger.clock))
      this.fail(at, TERMS, `effective at ${isoOf(t)}, not at the approval (or the latest recorded instant)`);
    ledger.purchases.set(orderId, { months, removed: false, at });
    applyPurchase(
      ledger,
      { orderId, planId: num(d.planId), price: num(d.price), months },
      String(d.effect),
      t,
    );
  }

  private queuedStart(ledger: Ledger, event: EventContent, at: FindingPlace, gapAt: number | null): void {
    const problem = queuedStartProblem(ledger, event, gapAt);
    if (problem !== null) this.fail(at, TERMS, problem);
    startQueuedOrder(ledger, String(event.data.orderId), instant(event.data.start));
  }

  private removal(ledger: Ledger, event: EventContent, at: FindingPlace): void {
    const d = event.data;
    const orderId = String(d.orderId);
    const when = instant(d.at);
    const payment = this.facts.payments.get(orderId);
    const purchase = ledger.purchases.get(orderId);
    if (!payment || !fullyRefunded(payment))
      this.fail(
        at,
        BACKED,
        `the period of order ${orderId} was removed, but its payment was not fully refunded`,
      );
    if (!purchase || purchase.removed) this.fail(at, TERMS, `order ${orderId} has no period left to remove`);
    else purchase.removed = true;
    const current = ledger.runs.length - 1;
    const servedUntil = current < 0 ? null : segmentEnd(ledger.runs, current, orderId);
    if (d.effect === 'PAST' && ledger.status === 'ACTIVE' && servedUntil !== null && servedUntil > when)
      this.fail(
        at,
        BACKED,
        `order ${orderId}'s months run to ${isoOf(servedUntil)}, yet its removal at ${isoOf(when)} kept them as elapsed history`,
      );
    removePurchase(ledger, orderId, String(d.effect));
    ledger.clock = Math.max(ledger.clock, when);
    const end = currentEnd(ledger);
    const expected = ledger.status === 'ACTIVE' && end > when ? end : null;
    const recorded = d.periodEnd === null ? null : instant(d.periodEnd);
    if (recorded !== expected)
      this.fail(
        at,
        TERMS,
        `after removing order ${orderId} the period should end ${expected === null ? 'at once' : isoOf(expected)}; recorded ${String(d.periodEnd)}`,
      );
    if (ledger.status === 'ACTIVE' && recorded === null) ledger.gapAt = when;
  }

  private fail(at: FindingPlace, rule: string, detail: string): void {
    ruleViolated(this.findings, at, rule, detail);
  }
}
