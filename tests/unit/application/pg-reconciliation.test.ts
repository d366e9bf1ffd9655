import type { Provider } from '../../../src/domain/shared/provider';
import type { Finding } from '../../../src/application/audit/audit-finding';
import { CLOCK_SKEW_MS, PgHistoryCollector } from '../../../src/application/audit/pg-history-collector';
import { matchWithPg } from '../../../src/application/audit/pg-matching';
import { PgReconciliation } from '../../../src/application/audit/pg-reconciliation';
import type { RecordedEvent } from '../../../src/application/ports/event-store.port';
import type {
  PgTransaction,
  PgTransactionList,
  TimeWindow,
} from '../../../src/application/ports/pg-transaction-list.port';

const T = Date.parse('2026-11-01T00:00:00.000Z');
const HOUR = 3_600_000;
const W: TimeWindow = { from: T, to: T + 24 * HOUR };
const iso = (ms: number) => new Date(ms).toISOString();

let position = 0;
const revisions = new Map<string, number>();
function event(streamId: string, type: string, data: Record<string, unknown>): RecordedEvent {
  const revision = (revisions.get(streamId) ?? -1) + 1;
  revisions.set(streamId, revision);
  const actor = { kind: 'system' as const, process: 't' };
  const metadata = {
    eventId: '',
    correlationId: '',
    causationId: '',
    actor,
    recordedAt: '',
    prevHash: '',
    hash: '',
  };
  return { streamId, revision, globalPosition: ++position, type, data, metadata };
}

/** The history's events for one order, as the service records them. */
const paid = (order: string, amount: number, at: number, provider = 'toss') =>
  event(`order-${order}`, 'OrderPaid', { provider, pgPaymentId: `pk-${order}`, amount, approvedAt: iso(at) });
const approved = (order: string, amount: number, at: number, provider = 'toss') =>
  event(`payment-${order}`, 'PaymentApproved', {
    provider,
    pgPaymentId: `pk-${order}`,
    amount,
    approvedAt: iso(at),
  });
const requested = (order: string, refundId: string, amount: number, at: number) =>
  event(`payment-${order}`, 'RefundRequested', { refundId, amount, requestedAt: iso(at) });
const completed = (order: string, refundId: string, pgCancelId: string, at: number) =>
  event(`payment-${order}`, 'RefundCompleted', { refundId, pgCancelId, completedAt: iso(at) });

const pgApproval = (
  order: string,
  amount: number,
  at: number,
  provider: 'toss' | 'portone' = 'toss',
): PgTransaction => ({
  provider,
  kind: 'approval',
  transactionId: `tx-approve-${order}`,
  pgPaymentId: `pk-${order}`,
  orderId: order,
  amount,
  at,
});
const pgCancel = (order: string, id: string, amount: number, at: number): PgTransaction => ({
  provider: 'toss',
  kind: 'cancel',
  transactionId: id,
  pgPaymentId: `pk-${order}`,
  orderId: order,
  amount,
  at,
});

function reconcile(
  events: RecordedEvent[],
  pg: PgTransaction[],
  providers: readonly Provider[] = ['toss', 'portone'],
) {
  const collector = new PgHistoryCollector(W);
  events.forEach((e) => collector.apply(e));
  return matchWithPg(W, collector.result(), pg, providers);
}

/** Issue #10 point 3: the matching of the history with a PG's list, pure, with the window's edges. */
describe('reconciliation with the PG: matching', () => {
  it('a history and a PG that agree reconcile clean: approvals, a refund, a console cancel and a void', () => {
    const events = [
      paid('a', 9_900, T + HOUR),
      approved('a', 9_900, T + HOUR),
      requested('a', 'r1', 3_000, T + 2 * HOUR),
      completed('a', 'r1', 'tx-r1', T + 2 * HOUR + 1_000),
      event('payment-a', 'PgCancelRecorded', {
        pgCancelId: 'tx-console',
        amount: 1_000,
        canceledAt: iso(T + 3 * HOUR),
      }),
      event('order-b', 'PgApprovalRefused', {
        provider: 'toss',
        pgPaymentId: 'pk-b',
        pgAmount: 5_000,
        approvedAt: iso(T + 4 * HOUR),
        at: iso(T + 4 * HOUR + 500),
      }),
      event('order-b', 'PgApprovalCancelled', { pgPaymentId: 'pk-b', at: iso(T + 4 * HOUR + 2_000) }),
    ];
    const pg = [
      pgApproval('a', 9_900, T + HOUR),
      pgCancel('a', 'tx-r1', 3_000, T + 2 * HOUR),
      pgCancel('a', 'tx-console', 1_000, T + 3 * HOUR),
      pgApproval('b', 5_000, T + 4 * HOUR),
      pgCancel('b', 'tx-void', 5_000, T + 4 * HOUR + 1_000),
    ];
    const { findings, counts } = reconcile(events, pg);
    expect(findings).toEqual([]);
    expect(counts).toEqual({ pgTransactions: 5, historyTransactions: 5, matched: 5 });
  });

  it('an approval in the window cancelled after it, and a cancel in it of an approval before it, are clean', () => {
    const events = [
      paid('early', 10_000, T - HOUR),
      paid('late', 20_000, T + 23 * HOUR),
      requested('early', 'r1', 10_000, T + HOUR),
      completed('early', 'r1', 'tx-early', T + HOUR + 1_000),
      requested('late', 'r2', 20_000, T + 25 * HOUR),
      completed('late', 'r2', 'tx-late', T + 25 * HOUR + 1_000),
    ];
    // What the PG lists for the window alone.
    const pg = [pgApproval('late', 20_000, T + 23 * HOUR), pgCancel('early', 'tx-early', 10_000, T + HOUR)];
    const { findings, counts } = reconcile(events, pg);
    expect(findings).toEqual([]);
    expect(counts).toMatchObject({ pgTransactions: 2, historyTransactions: 2, matched: 2 });
  });

  it('a refund requested inside the window and completed after it matches the PG cancel on either side of the end', () => {
    const done = completed('a', 'r1', 'tx-r1', W.to + 60_000);
    const events = [paid('a', 9_900, T + HOUR), requested('a', 'r1', 9_900, W.to - 1_000), done];
    const after = reconcile(events, [
      pgApproval('a', 9_900, T + HOUR),
      pgCancel('a', 'tx-r1', 9_900, W.to + 1_000),
    ]);
    expect(after.findings).toEqual([]);
    const missing = reconcile(events, [pgApproval('a', 9_900, T + HOUR)]);
    expect(missing.findings).toEqual([
      expect.objectContaining({
        kind: 'pg-cancel-missing-at-pg',
        streamId: 'payment-a',
        revision: done.revision,
        globalPosition: done.globalPosition,
      }),
    ]);
  });

  it('an approval at the PG the history lacks is found, naming the order and the PG transaction', () => {
    const { findings } = reconcile([], [pgApproval('ghost', 9_900, T + HOUR)]);
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'pg-approval-missing-in-history',
        streamId: 'order-ghost',
        revision: null,
        globalPosition: null,
        pg: expect.objectContaining({ transactionId: 'tx-approve-ghost', amount: 9_900, at: iso(T + HOUR) }),
      }),
    ]);
  });

  it('a cancel at the PG the history lacks is found, and says when a refund of it is pending', () => {
    const events = [paid('a', 9_900, T + HOUR), requested('a', 'r1', 9_900, T + 2 * HOUR)];
    const { findings } = reconcile(events, [
      pgApproval('a', 9_900, T + HOUR),
      pgCancel('a', 'tx-r1', 9_900, T + 2 * HOUR),
    ]);
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'pg-cancel-missing-in-history',
        streamId: 'payment-a',
        detail: expect.stringContaining('a refund of this payment is still pending'),
      }),
    ]);
  });

  it('an approval and a cancel the history holds that the PG lacks are found at their events', () => {
    const order = paid('a', 9_900, T + HOUR);
    const done = completed('a', 'r1', 'tx-r1', T + 2 * HOUR);
    const { findings } = reconcile([order, requested('a', 'r1', 9_900, T + 2 * HOUR - 1_000), done], []);
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'pg-approval-missing-at-pg',
        streamId: 'order-a',
        globalPosition: order.globalPosition,
      }),
      expect.objectContaining({
        kind: 'pg-cancel-missing-at-pg',
        streamId: 'payment-a',
        globalPosition: done.globalPosition,
      }),
    ]);
  });

  it('amounts that differ are found at the history event, with the PG transaction', () => {
    const order = paid('a', 9_900, T + HOUR);
    const done = completed('a', 'r1', 'tx-r1', T + 2 * HOUR);
    const { findings } = reconcile(
      [order, requested('a', 'r1', 3_000, T + 2 * HOUR - 1_000), done],
      [pgApproval('a', 99_000, T + HOUR), pgCancel('a', 'tx-r1', 3_001, T + 2 * HOUR)],
    );
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'pg-amount-differs',
        globalPosition: order.globalPosition,
        pg: expect.objectContaining({ amount: 99_000 }),
      }),
      expect.objectContaining({
        kind: 'pg-amount-differs',
        globalPosition: done.globalPosition,
        pg: expect.objectContaining({ amount: 3_001 }),
      }),
    ]);
  });

  it('a PG cancel recorded twice in the history pairs once; the second record is found', () => {
    const second = event('payment-a', 'PgCancelRecorded', {
      pgCancelId: 'tx-r1',
      amount: 9_900,
      canceledAt: iso(T + 2 * HOUR),
    });
    const { findings } = reconcile(
      [
        paid('a', 9_900, T + HOUR),
        requested('a', 'r1', 9_900, T + 2 * HOUR - 1_000),
        completed('a', 'r1', 'tx-r1', T + 2 * HOUR + 1_000),
        second,
      ],
      [pgApproval('a', 9_900, T + HOUR), pgCancel('a', 'tx-r1', 9_900, T + 2 * HOUR)],
    );
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'pg-cancel-missing-at-pg',
        globalPosition: second.globalPosition,
        detail: expect.stringContaining('an earlier event already records it'),
      }),
    ]);
  });

  it('a void the PG never made is found at the event that records it', () => {
    const void_ = event('order-v', 'PgApprovalCancelled', { pgPaymentId: 'pk-v', at: iso(T + HOUR + 1_000) });
    const events = [
      event('order-v', 'PgApprovalRefused', {
        provider: 'toss',
        pgPaymentId: 'pk-v',
        pgAmount: 5_000,
        approvedAt: iso(T + HOUR),
        at: iso(T + HOUR),
      }),
      void_,
    ];
    const { findings } = reconcile(events, [pgApproval('v', 5_000, T + HOUR)]);
    expect(findings).toEqual([
      expect.objectContaining({ kind: 'pg-cancel-missing-at-pg', globalPosition: void_.globalPosition }),
    ]);
  });

  it('reconciles only the PGs asked: a PortOne approval is not missing from a Toss-only list', () => {
    const { findings, counts } = reconcile([paid('p', 9_900, T + HOUR, 'portone')], [], ['toss']);
    expect(findings).toEqual([]);
    expect(counts.historyTransactions).toBe(0);
  });
});

describe('reconciliation with the PG: asking the PGs', () => {
  it('asks each PG for the window stretched to the time bounds of the history cancels that reach into it', async () => {
    const asked: TimeWindow[] = [];
    const list: PgTransactionList = {
      provider: 'toss',
      transactions: (window) => {
        asked.push(window);
        return Promise.resolve([
          pgApproval('a', 9_900, T + HOUR),
          pgCancel('a', 'tx-r1', 9_900, W.to + 30_000),
        ]);
      },
      close: () => undefined,
    };
    const reconciliation = new PgReconciliation({ window: W, lists: [list] });
    [
      paid('a', 9_900, T + HOUR),
      requested('a', 'r1', 9_900, W.to - 1_000),
      completed('a', 'r1', 'tx-r1', W.to + HOUR),
    ].forEach((e) => reconciliation.apply(e));
    const findings: Finding[] = [];
    const report = await reconciliation.finish(findings);
    expect(asked).toEqual([{ from: W.from, to: W.to + HOUR + CLOCK_SKEW_MS + 1 }]);
    expect(findings).toEqual([]);
    expect(report).toMatchObject({ providers: ['toss'], matched: 2, pgTransactions: 1, findings: 0 });
  });
});
