import type { Finding } from '../../../src/application/audit/audit-finding';
import { AuditRules } from '../../../src/application/audit/rules/audit-rules';
import type { RecordedEvent } from '../../../src/application/ports/event-store.port';

const TYPES = [
  'OrderPlaced',
  'OrderPaid',
  'OrderExpired',
  'PaymentApproved',
  'RefundRequested',
  'RefundCompleted',
  'RefundRejected',
  'PgCancelRecorded',
  'SubscriptionPurchaseApplied',
  'QueuedPeriodStarted',
  'SubscriptionExpired',
  'SubscriptionPurchaseRemoved',
  'SubscriptionRevoked',
  'WorkParked',
  'ParkedWorkRetried',
  'PgPaymentClaimed',
];
const STREAMS = ['order-x', 'payment-x', 'subscription-u', 'process-p', 'pgpayment-toss-1'];
const ODD_DATA: Array<Record<string, unknown>> = [
  {},
  { amount: 'lots', price: 1.5, months: -1, effect: 'UPGRADED', at: 'yesterday', requestedBy: null },
  {
    orderId: 'x',
    userId: 'u',
    planType: 'SUBSCRIPTION',
    price: Number.NaN,
    effectiveAt: '2026-01-01T00:00:00Z',
    effect: 'EXTENDED',
    periodEnd: null,
  },
];

/** The audit reports what it reads; no recorded data, however odd, stops it (exit 2 is for set-up). */
describe('the audit rules on events no decider would write', () => {
  it('never throw, and still report the totals', () => {
    const findings: Finding[] = [];
    const rules = new AuditRules(findings, { userId: 'u' });
    let position = 0;
    for (const data of ODD_DATA)
      for (const streamId of STREAMS)
        for (const type of TYPES) {
          const event: RecordedEvent = {
            streamId,
            revision: position,
            globalPosition: ++position,
            type,
            data,
            metadata: {
              eventId: '',
              correlationId: '',
              causationId: '',
              actor: { kind: 'system', process: 't' },
              recordedAt: position % 2 ? 'not a time' : '2026-01-01T00:00:00Z',
              prevHash: '',
              hash: '',
            },
          };
          expect(() => rules.apply(event)).not.toThrow();
        }
    const totals = rules.finish();
    expect(totals.at).toBe('2026-01-01T00:00:00.000Z');
    expect(findings.length).toBeGreaterThan(0);
  });

  it('refuses an --as-of that is no time', () => {
    expect(() => new AuditRules([], { asOf: 'soon' })).toThrow('--as-of soon');
  });
});
