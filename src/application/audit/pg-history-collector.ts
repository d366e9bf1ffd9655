import type { Provider } from '../../domain/shared/provider';
import { fromIso, MINUTE_MS, type Instant } from '../../domain/shared/time';
import type { EventContent } from '../ports/event-store.port';
import type { TimeWindow } from '../ports/pg-transaction-list.port';

/**
 * How far our clock and the PG's may disagree. A history time that is ours (a refund's request
 * and completion) only bounds when the PG acted; the bounds are widened by this much.
 */
export const CLOCK_SKEW_MS = 5 * MINUTE_MS;

export interface EventRef {
  streamId: string;
  revision: number;
  globalPosition: number;
  type: string;
}

/** An approval or a cancel at a PG, as the history records it. */
export interface HistoryTransaction {
  kind: 'approval' | 'cancel';
  provider: Provider;
  pgPaymentId: string;
  orderId: string;
  /** A cancel's PG id (the history's pgCancelId); null for an approval, and for the void of a refused approval (none is recorded). */
  transactionId: string | null;
  amount: number;
  /**
   * When the PG made it, as far as the history can tell. Approvals and cancels learnt from the
   * PG carry the PG's own time (earliest = latest). A refund's cancel was made between its
   * request and its completion, and a void between the refusal and its cancel being recorded,
   * both by our clock: those bounds are widened by CLOCK_SKEW_MS.
   */
  earliest: Instant;
  latest: Instant;
  event: EventRef;
}

export interface CollectedHistory {
  /** The history's transactions that may lie in the window, in the order they were recorded. */
  transactions: HistoryTransaction[];
  /** `provider:pgPaymentId` of payments with a refund requested and not settled yet. */
  pendingRefunds: Set<string>;
}

const idOf = (streamId: string): string => streamId.slice(streamId.indexOf('-') + 1);
const text = (value: unknown): string => (typeof value === 'string' ? value : String(value));
const num = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);
const refOf = (e: EventContent): EventRef => ({
  streamId: e.streamId,
  revision: e.revision,
  globalPosition: e.globalPosition,
  type: e.type,
});

/**
 * One more consumer of the audit's single pass: keeps the approvals and cancels the history
 * records that may have been made at the PG inside the window, and what it needs to date and
 * price them (each approved payment's PG ids, open refund requests, refused approvals awaiting
 * their void). Reads the events as recorded, like the rule checks; never re-runs a decider.
 */
export class PgHistoryCollector {
  private readonly kept: HistoryTransaction[] = [];
  /** orderId → the PG payment that paid it. */
  private readonly payments = new Map<string, { provider: Provider; pgPaymentId: string }>();
  /** `orderId:refundId` → the request. */
  private readonly openRefunds = new Map<string, { requestedAt: Instant; amount: number }>();
  /** `orderId:pgPaymentId` → the refused approval, until its void is recorded. */
  private readonly refused = new Map<string, { provider: Provider; at: Instant; amount: number }>();

  constructor(private readonly window: TimeWindow) {}

  apply(event: EventContent): void {
    const d = event.data;
    const orderId = idOf(event.streamId);
    switch (event.type) {
      case 'OrderPaid':
      case 'PaymentApproved': {
        const paidBy = { provider: d.provider as Provider, pgPaymentId: text(d.pgPaymentId) };
        this.payments.set(orderId, paidBy);
        // The order's own record of the approval; PaymentApproved repeats it in the payment stream.
        if (event.type === 'OrderPaid')
          this.exact(event, 'approval', paidBy, null, num(d.amount), d.approvedAt);
        return;
      }
      case 'PgApprovalRefused': {
        const refusedOne = { provider: d.provider as Provider, pgPaymentId: text(d.pgPaymentId) };
        this.exact(event, 'approval', refusedOne, null, num(d.pgAmount), d.approvedAt);
        this.refused.set(`${orderId}:${refusedOne.pgPaymentId}`, {
          provider: refusedOne.provider,
          at: fromIso(text(d.at)),
          amount: num(d.pgAmount),
        });
        return;
      }
      case 'PgApprovalCancelled': {
        const key = `${orderId}:${text(d.pgPaymentId)}`;
        const refusal = this.refused.get(key);
        this.refused.delete(key);
        if (!refusal) return; // a void of nothing refused: the rule checks' business, not the PG's
        const paidBy = { provider: refusal.provider, pgPaymentId: text(d.pgPaymentId) };
        this.between(event, paidBy, null, refusal.amount, refusal.at, fromIso(text(d.at)));
        return;
      }
      case 'RefundRequested':
        this.openRefunds.set(`${orderId}:${text(d.refundId)}`, {
          requestedAt: fromIso(text(d.requestedAt)),
          amount: num(d.amount),
        });
        return;
      case 'RefundRejected':
        this.openRefunds.delete(`${orderId}:${text(d.refundId)}`);
        return;
      case 'RefundCompleted': {
        const key = `${orderId}:${text(d.refundId)}`;
        const request = this.openRefunds.get(key);
        this.openRefunds.delete(key);
        const paidBy = this.payments.get(orderId);
        if (!request || !paidBy) return; // the rule checks report a refund of nothing
        this.between(
          event,
          paidBy,
          text(d.pgCancelId),
          request.amount,
          request.requestedAt,
          fromIso(text(d.completedAt)),
        );
        return;
      }
      case 'PgCancelRecorded': {
        const paidBy = this.payments.get(orderId);
        if (paidBy) this.exact(event, 'cancel', paidBy, text(d.pgCancelId), num(d.amount), d.canceledAt);
        return;
      }
    }
  }

  result(): CollectedHistory {
    const pendingRefunds = new Set<string>();
    for (const key of this.openRefunds.keys()) {
      const paidBy = this.payments.get(key.slice(0, key.lastIndexOf(':')));
      if (paidBy) pendingRefunds.add(`${paidBy.provider}:${paidBy.pgPaymentId}`);
    }
    return { transactions: this.kept, pendingRefunds };
  }

  /** A transaction dated by the PG itself: kept when that time is in the window. */
  private exact(
    event: EventContent,
    kind: HistoryTransaction['kind'],
    paidBy: { provider: Provider; pgPaymentId: string },
    transactionId: string | null,
    amount: number,
    at: unknown,
  ): void {
    const time = fromIso(text(at));
    if (!(time >= this.window.from && time < this.window.to)) return;
    this.kept.push({
      kind,
      ...paidBy,
      orderId: idOf(event.streamId),
      transactionId,
      amount,
      earliest: time,
      latest: time,
      event: refOf(event),
    });
  }

  /** A cancel dated by our clock only within bounds: kept when the widened bounds meet the window. */
  private between(
    event: EventContent,
    paidBy: { provider: Provider; pgPaymentId: string },
    transactionId: string | null,
    amount: number,
    from: Instant,
    to: Instant,
  ): void {
    const earliest = from - CLOCK_SKEW_MS;
    const latest = to + CLOCK_SKEW_MS;
    if (!(latest >= this.window.from && earliest < this.window.to)) return;
    this.kept.push({
      kind: 'cancel',
      ...paidBy,
      orderId: idOf(event.streamId),
      transactionId,
      amount,
      earliest,
      latest,
      event: refOf(event),
    });
  }
}
