import type { ReconciliationReport } from '../../application/audit/pg-reconciliation';

/** The summary's reconciliation line (`--pg`): the window, the PGs asked, and what matched. */
export function formatReconciliation(r: ReconciliationReport): string {
  return (
    `  PGs       ${r.providers.join(', ') || 'none configured'} from ${r.window.from} to ${r.window.to} (excluded): ` +
    `${r.pgTransactions} PG and ${r.historyTransactions} history approvals/cancels, ${r.matched} matched, ${r.findings} finding(s)`
  );
}
