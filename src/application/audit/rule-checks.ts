import type { EventContent } from '../ports/event-store.port';
import type { Finding } from './audit-finding';

interface Paid {
  streamId: string;
  revision: number;
  globalPosition: number;
  amount: number;
  refunded: number;
  refunds: Map<string, number>;
}

const idOf = (streamId: string): string => streamId.slice(streamId.indexOf('-') + 1);
const num = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);

/**
 * Business rules asserted over the events themselves, not by re-running the deciders, so a
 * decider bug that let a bad event through is caught (A1). So far: every approved amount equals
 * its order's amount (C1/C3), no order paid twice (O4), no PG payment backs two orders (C4), and
 * refunds never exceed the paid amount (F2).
 */
export class RuleChecks {
  private readonly orderAmounts = new Map<string, number>();
  private readonly paidOrders = new Set<string>();
  /** provider:pgPaymentId → the order it paid. */
  private readonly pgPayments = new Map<string, string>();
  private readonly payments = new Map<string, Paid>();

  constructor(private readonly findings: Finding[]) {}

  apply(event: EventContent): void {
    const d = event.data;
    switch (event.type) {
      case 'OrderPlaced':
        this.orderAmounts.set(idOf(event.streamId), num(d.amount));
        return;
      case 'OrderPaid':
        return this.orderPaid(event);
      case 'PaymentApproved': {
        const orderId = idOf(event.streamId);
        this.checkAmount(event, orderId, num(d.amount));
        this.payments.set(orderId, {
          streamId: event.streamId,
          revision: event.revision,
          globalPosition: event.globalPosition,
          amount: num(d.amount),
          refunded: 0,
          refunds: new Map(),
        });
        return;
      }
      case 'RefundRequested':
        this.payments.get(idOf(event.streamId))?.refunds.set(String(d.refundId), num(d.amount));
        return;
      case 'RefundCompleted': {
        const payment = this.payments.get(idOf(event.streamId));
        return this.refunded(event, payment, payment?.refunds.get(String(d.refundId)) ?? 0);
      }
      case 'PgCancelRecorded':
        return this.refunded(event, this.payments.get(idOf(event.streamId)), num(d.amount));
    }
  }

  private orderPaid(event: EventContent): void {
    const orderId = idOf(event.streamId);
    const at = { streamId: event.streamId, revision: event.revision, globalPosition: event.globalPosition };
    this.checkAmount(event, orderId, num(event.data.amount));
    if (this.paidOrders.has(orderId)) {
      this.violation(at, 'order-paid-once', `order ${orderId} is paid a second time`);
    }
    this.paidOrders.add(orderId);
    const key = `${String(event.data.provider)}:${String(event.data.pgPaymentId)}`;
    const holder = this.pgPayments.get(key);
    if (holder !== undefined && holder !== orderId) {
      this.violation(at, 'one-order-per-pg-payment', `PG payment ${key} already paid order ${holder}`);
    }
    this.pgPayments.set(key, holder ?? orderId);
  }

  private checkAmount(event: EventContent, orderId: string, amount: number): void {
    const ordered = this.orderAmounts.get(orderId);
    if (ordered === amount) return;
    this.violation(
      { streamId: event.streamId, revision: event.revision, globalPosition: event.globalPosition },
      'approved-amount-equals-order',
      ordered === undefined
        ? `${event.type} for order ${orderId}, which was never placed`
        : `${event.type} of ${amount} for an order of ${ordered}`,
    );
  }

  private refunded(event: EventContent, payment: Paid | undefined, amount: number): void {
    const at = { streamId: event.streamId, revision: event.revision, globalPosition: event.globalPosition };
    if (payment === undefined) {
      this.violation(at, 'refunds-within-paid', `${event.type} for a payment never approved`);
      return;
    }
    payment.refunded += amount;
    if (payment.refunded > payment.amount) {
      this.violation(
        at,
        'refunds-within-paid',
        `refunded ${payment.refunded} of a payment of ${payment.amount}`,
      );
    }
  }

  private violation(
    at: Pick<Finding, 'streamId' | 'revision' | 'globalPosition'>,
    rule: string,
    detail: string,
  ) {
    this.findings.push({ ...at, kind: 'rule-violated', rule, detail });
  }
}
