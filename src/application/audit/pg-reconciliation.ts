import type { Provider } from '../../domain/shared/provider';
import { toIso } from '../../domain/shared/time';
import type { EventContent } from '../ports/event-store.port';
import type { PgTransactionList, TimeWindow } from '../ports/pg-transaction-list.port';
import type { Finding } from './audit-finding';
import { PgHistoryCollector } from './pg-history-collector';
import { matchWithPg, type MatchCounts } from './pg-matching';

export interface PgReconciliationOptions {
  /** Half-open: `from` included, `to` excluded; both compared with the PG's own times. */
  window: TimeWindow;
  /** The configured PGs' lists; only their transactions are reconciled. */
  lists: readonly PgTransactionList[];
}

export interface ReconciliationReport extends MatchCounts {
  window: { from: string; to: string };
  providers: Provider[];
  /** The PGs were asked about this range: the window, stretched to every history cancel's time bounds. */
  asked: { from: string; to: string };
  findings: number;
}

/**
 * Issue #10 point 3: the history's approvals and cancels in a window against the PGs' own lists.
 * `apply` is one more consumer of the audit's single pass; `finish` asks each PG (paged by its
 * adapter) and matches. A PG that cannot be asked throws (the audit could not run).
 */
export class PgReconciliation {
  private readonly collector: PgHistoryCollector;

  constructor(private readonly options: PgReconciliationOptions) {
    this.collector = new PgHistoryCollector(options.window);
  }

  apply(event: EventContent): void {
    this.collector.apply(event);
  }

  async finish(findings: Finding[]): Promise<ReconciliationReport> {
    const { window, lists } = this.options;
    const history = this.collector.result();
    const asked = { ...window };
    for (const h of history.transactions) {
      asked.from = Math.min(asked.from, h.earliest);
      asked.to = Math.max(asked.to, h.latest + 1);
    }
    const pg = [];
    for (const list of lists) pg.push(...(await list.transactions(asked)));
    const providers = lists.map((list) => list.provider);
    const matched = matchWithPg(window, history, pg, providers);
    findings.push(...matched.findings);
    return {
      window: { from: toIso(window.from), to: toIso(window.to) },
      providers,
      asked: { from: toIso(asked.from), to: toIso(asked.to) },
      ...matched.counts,
      findings: matched.findings.length,
    };
  }
}
