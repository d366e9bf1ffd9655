import type { AuditReport } from '../../application/audit/history-audit';
import { formatTotals } from './audit-totals-summary';

const MAX_LISTED = 50;

/** The report as a person reads it: what was read, the seals, then each finding. */
export function formatSummary(report: AuditReport, source: string): string {
  const lines = [
    `Ledgerline audit of ${source}`,
    `  events    ${report.events} in ${report.streams} streams, up to global position ${report.headPosition}`,
    `  seals     ${report.seals.valid} valid of ${report.seals.count}` +
      (report.seals.last
        ? `; the last (#${report.seals.last.sequence}, ${report.seals.last.sealedAt}) covers positions up to ${report.seals.last.globalPosition}`
        : '; none: only the hash chains vouch for the history'),
    `  unsealed  ${report.unsealedEvents} events after the last seal (hash chains only)`,
    ...formatTotals(report),
  ];
  if (report.findings.length === 0) {
    lines.push('', 'Clean: every chain and every seal checks out, and every rule holds.');
    return lines.join('\n');
  }
  lines.push('', `${report.findings.length} finding(s):`);
  for (const [kind, count] of Object.entries(report.findingsByKind)) lines.push(`  ${kind}: ${count}`);
  lines.push('');
  for (const f of report.findings.slice(0, MAX_LISTED)) {
    const revisions =
      f.toRevision !== undefined && f.toRevision !== f.revision
        ? `${f.revision}–${f.toRevision}`
        : `${f.revision ?? '-'}`;
    lines.push(
      `  [${f.rule ?? f.kind}] ${f.streamId} revision ${revisions} at position ${f.globalPosition ?? '-'}: ${f.detail}`,
    );
  }
  if (report.findings.length > MAX_LISTED)
    lines.push(`  ... and ${report.findings.length - MAX_LISTED} more (see --json)`);
  return lines.join('\n');
}
