import type { SignedAuditReport } from '../../application/audit/audit-report';

/** The lines after the summary: how the read models compared, and the digest and signature. */
export function formatEnvelope(report: SignedAuditReport): string {
  const rm = report.run.readModels;
  const lines = [''];
  if (rm.compared) {
    const differences = rm.groups.reduce((n, g) => n + g.differences, 0);
    const skipped = rm.groups.filter((g) => !g.compared);
    lines.push(
      `Read models (${rm.store}): ${rm.documents} documents in ${rm.groups.length - skipped.length} projection groups compared, ${differences} differ`,
    );
    for (const group of skipped) lines.push(`  ${group.name} not compared: ${group.reason ?? ''}`);
  } else {
    lines.push(`Read models not compared: ${rm.reason}`);
  }
  lines.push(`Digest    ${report.digest}`);
  lines.push(
    report.signature === null
      ? 'Signature none: no signing key at hand (AUDIT_SIGNING_KEY_FILE or the sandbox key in DATA_DIR)'
      : `Signature Ed25519 by key ${report.keyId} (check with npm run audit -- --verify <report.json>)`,
  );
  return lines.join('\n');
}
