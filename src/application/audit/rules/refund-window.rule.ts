import type { EventContent } from '../../ports/event-store.port';
import type { Finding } from '../audit-finding';
import { idOf, instant, isoOf, num, placeOf, ruleViolated, type AuditRule } from './audit-rule';
import type { HistoryFacts } from './history-facts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * F1: an owner's refund lies inside the window recorded with it (`refundWindowDays` after the
 * approval), and an owner refunds only their own payment; an admin may refund at any time.
 * The request's instant is the later of the one it records and the one it was recorded at, so
 * a back-dated `requestedAt` does not hide a late refund.
 */
export class RefundWindowRule implements AuditRule {
  constructor(
    private readonly facts: HistoryFacts,
    private readonly findings: Finding[],
  ) {}

  apply(event: EventContent): void {
    if (event.type !== 'RefundRequested') return;
    const by = event.data.requestedBy as { userId?: unknown; role?: unknown } | undefined;
    if (by?.role === 'admin') return;
    const payment = this.facts.payments.get(idOf(event.streamId));
    if (!payment) return; // refunds-within-paid reports a refund of a payment never approved
    const at = placeOf(event);
    if (by?.role !== 'user' || String(by.userId) !== payment.userId) {
      ruleViolated(
        this.findings,
        at,
        'owner-refund-within-window',
        `refund requested by ${String(by?.role)} ${String(by?.userId)}, neither the owner (${payment.userId}) nor an admin`,
      );
      return;
    }
    const days = num(event.data.refundWindowDays);
    const closesAt = payment.approvedAt + days * DAY_MS;
    const requestedAt = Math.max(instant(event.data.requestedAt), instant(event.metadata.recordedAt));
    if (Number.isInteger(days) && days >= 0 && requestedAt < closesAt) return;
    ruleViolated(
      this.findings,
      at,
      'owner-refund-within-window',
      Number.isInteger(days) && days >= 0
        ? `owner refund at ${isoOf(requestedAt)}, after the ${days}-day window closed at ${isoOf(closesAt)}`
        : `owner refund records no valid refund window (${String(event.data.refundWindowDays)})`,
    );
  }
}
