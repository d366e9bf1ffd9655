import type { Provider } from '../../domain/shared/provider';
import { toIso } from '../../domain/shared/time';
import type { PgTransaction, TimeWindow } from '../ports/pg-transaction-list.port';
import type { Finding, FindingKind } from './audit-finding';
import type { CollectedHistory, HistoryTransaction } from './pg-history-collector';

export interface MatchCounts {
  /** The PG's approvals and cancels in the window. */
  pgTransactions: number;
  /** The history's approvals and cancels that may lie in the window. */
  historyTransactions: number;
  /** Pairs found on both sides. */
  matched: number;
}

const krw = (amount: number): string => `${amount.toLocaleString('en-US')} KRW`;
const paymentKey = (provider: Provider, pgPaymentId: string): string => `${provider}:${pgPaymentId}`;

/**
 * Matches the history's approvals and cancels with the PG's, pure. An approval is the PG
 * payment's (provider, paymentKey / imp_uid); a cancel is its PG transaction id, which the
 * history records as pgCancelId; the void of a refused approval records no id, so it is matched
 * with the PG's cancels of that payment. `pg` covers the window and beyond it as far as any
 * history transaction's time bounds reach, so a history cancel the PG made just outside the
 * window still finds its pair; only the PG's transactions inside the window can be "missing in
 * the history". Every difference is a finding: a history transaction the PG lacks, a PG
 * transaction the history lacks, or a pair whose amounts differ.
 */
export function matchWithPg(
  window: TimeWindow,
  history: CollectedHistory,
  pg: readonly PgTransaction[],
  providers: readonly Provider[],
): { findings: Finding[]; counts: MatchCounts } {
  const findings: Finding[] = [];
  const approvals = new Map<string, PgTransaction>();
  const cancels = new Map<string, PgTransaction>();
  const cancelsOfPayment = new Map<string, PgTransaction[]>();
  for (const t of pg) {
    if (t.kind === 'approval') approvals.set(paymentKey(t.provider, t.pgPaymentId), t);
    else {
      cancels.set(`${t.provider}:${t.transactionId}`, t);
      const key = paymentKey(t.provider, t.pgPaymentId);
      const ofPayment = cancelsOfPayment.get(key);
      if (ofPayment) ofPayment.push(t);
      else cancelsOfPayment.set(key, [t]);
    }
  }
  const used = new Set<PgTransaction>();
  const ours = history.transactions.filter((h) => providers.includes(h.provider));
  let matched = 0;

  const pair = (h: HistoryTransaction, found: PgTransaction[]): void => {
    found.forEach((t) => used.add(t));
    matched++;
    const amount = found.reduce((sum, t) => sum + t.amount, 0);
    if (amount === h.amount) return;
    findings.push(
      atEvent(
        h,
        'pg-amount-differs',
        found[0],
        `${describe(h)} of ${krw(h.amount)}; the PG's is ${krw(amount)}`,
      ),
    );
  };

  // Voids last: a payment's cancels with ids are claimed first.
  const ordered = [
    ...ours.filter((h) => h.transactionId !== null || h.kind === 'approval'),
    ...ours.filter((h) => h.kind === 'cancel' && h.transactionId === null),
  ];
  for (const h of ordered) {
    const key = paymentKey(h.provider, h.pgPaymentId);
    const found =
      h.kind === 'approval'
        ? [approvals.get(key)]
        : h.transactionId !== null
          ? [cancels.get(`${h.provider}:${h.transactionId}`)]
          : (cancelsOfPayment.get(key) ?? []).filter((t) => !used.has(t));
    const present = found.filter((t): t is PgTransaction => t !== undefined);
    // One PG transaction pairs with one history record: a second record of it has no pair.
    const twice = present.length > 0 && present.every((t) => used.has(t));
    if (present.length > 0 && !twice) pair(h, present);
    else
      findings.push(
        atEvent(
          h,
          h.kind === 'approval' ? 'pg-approval-missing-at-pg' : 'pg-cancel-missing-at-pg',
          undefined,
          twice
            ? `${describe(h)} of ${krw(h.amount)}: ${h.provider} lists it once, and an earlier event already records it`
            : `${describe(h)} of ${krw(h.amount)}, which ${h.provider} does not list`,
        ),
      );
  }

  let pgInWindow = 0;
  for (const t of pg) {
    if (t.at < window.from || t.at >= window.to) continue;
    pgInWindow++;
    if (used.has(t)) continue;
    const pending =
      t.kind === 'cancel' && history.pendingRefunds.has(paymentKey(t.provider, t.pgPaymentId))
        ? '; a refund of this payment is still pending in the history'
        : '';
    findings.push({
      kind: t.kind === 'approval' ? 'pg-approval-missing-in-history' : 'pg-cancel-missing-in-history',
      streamId: `${t.kind === 'approval' ? 'order' : 'payment'}-${t.orderId}`,
      revision: null,
      globalPosition: null,
      pg: pgOf(t),
      detail: `${t.provider} ${t.kind} ${t.transactionId} of ${krw(t.amount)} at ${toIso(t.at)} (payment ${t.pgPaymentId}, order ${t.orderId}) is not in the history${pending}`,
    });
  }
  return { findings, counts: { pgTransactions: pgInWindow, historyTransactions: ours.length, matched } };
}

function describe(h: HistoryTransaction): string {
  const what =
    h.kind === 'approval' ? 'approval' : h.transactionId === null ? 'void' : `cancel ${h.transactionId}`;
  return `${h.event.type}: the ${h.provider} ${what} of payment ${h.pgPaymentId}`;
}

function atEvent(
  h: HistoryTransaction,
  kind: FindingKind,
  t: PgTransaction | undefined,
  detail: string,
): Finding {
  return {
    kind,
    streamId: h.event.streamId,
    revision: h.event.revision,
    globalPosition: h.event.globalPosition,
    ...(t ? { pg: pgOf(t) } : {}),
    detail,
  };
}

const pgOf = (t: PgTransaction): NonNullable<Finding['pg']> => ({
  provider: t.provider,
  kind: t.kind,
  transactionId: t.transactionId,
  pgPaymentId: t.pgPaymentId,
  amount: t.amount,
  at: toIso(t.at),
});
