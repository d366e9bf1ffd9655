import type { Finding } from '../../../src/application/audit/audit-finding';
import { RuleChecks } from '../../../src/application/audit/rule-checks';
import type { RecordedEvent } from '../../../src/application/ports/event-store.port';

let position = 0;
const revisions = new Map<string, number>();
function event(streamId: string, type: string, data: Record<string, unknown>): RecordedEvent {
  const revision = (revisions.get(streamId) ?? -1) + 1;
  revisions.set(streamId, revision);
  const metadata = {
    eventId: '',
    correlationId: '',
    causationId: '',
    actor: { kind: 'system' as const, process: 't' },
  };
  return {
    streamId,
    revision,
    globalPosition: ++position,
    type,
    data,
    metadata: { ...metadata, recordedAt: '', prevHash: '', hash: '' },
  };
}

/** Rules over the events themselves, whatever the deciders let through (A1). */
describe('the audit rule checks', () => {
  let findings: Finding[];
  let rules: RuleChecks;
  beforeEach(() => {
    findings = [];
    rules = new RuleChecks(findings);
  });
  const apply = (...events: RecordedEvent[]) => events.forEach((e) => rules.apply(e));
  const paid = (orderId: string, amount: number, pgPaymentId = `pg-${orderId}`) =>
    event(`order-${orderId}`, 'OrderPaid', { provider: 'toss', pgPaymentId, amount });

  it('holds for an order paid its amount and refunded within it', () => {
    apply(
      event('order-a', 'OrderPlaced', { amount: 9_900 }),
      paid('a', 9_900),
      event('payment-a', 'PaymentApproved', { amount: 9_900 }),
      event('payment-a', 'RefundRequested', { refundId: 'r1', amount: 9_900 }),
      event('payment-a', 'RefundCompleted', { refundId: 'r1' }),
    );
    expect(findings).toEqual([]);
  });

  it('finds an approval of another amount than the order, at the approval', () => {
    apply(event('order-b', 'OrderPlaced', { amount: 9_900 }));
    const approval = paid('b', 100);
    apply(approval);
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'approved-amount-equals-order',
        streamId: 'order-b',
        globalPosition: approval.globalPosition,
      }),
    ]);
  });

  it('finds one PG payment paying two orders, and an order paid twice', () => {
    apply(
      event('order-c', 'OrderPlaced', { amount: 1_000 }),
      event('order-d', 'OrderPlaced', { amount: 1_000 }),
    );
    apply(paid('c', 1_000, 'shared'), paid('d', 1_000, 'shared'), paid('d', 1_000, 'other'));
    expect(findings.map((f) => [f.rule, f.streamId])).toEqual([
      ['one-order-per-pg-payment', 'order-d'],
      ['order-paid-once', 'order-d'],
    ]);
  });

  it('finds refunds beyond the paid amount, counting console cancels', () => {
    apply(
      event('order-e', 'OrderPlaced', { amount: 5_000 }),
      event('payment-e', 'PaymentApproved', { amount: 5_000 }),
      event('payment-e', 'RefundRequested', { refundId: 'r1', amount: 3_000 }),
      event('payment-e', 'RefundCompleted', { refundId: 'r1' }),
    );
    const over = event('payment-e', 'PgCancelRecorded', { refundId: 'r2', amount: 3_000 });
    apply(over);
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'refunds-within-paid',
        streamId: 'payment-e',
        revision: over.revision,
      }),
    ]);
  });
});
