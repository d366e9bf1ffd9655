import type { SealSigner } from '../ports/seal-signer.port';
import type { AuditReport } from './history-audit';
import type { ReadModelComparison } from './read-model-comparison';
import { reportDigest, reportSignedMessage } from './report-digest';

/** The report's format: what --verify and other readers can expect. */
export const REPORT_FORMAT = 'ledgerline-audit-report/1' as const;

/** The read models were not compared, and why (e.g. the CLI cannot see a service's memory). */
export interface ReadModelsNotCompared {
  compared: false;
  reason: string;
}

export type ReadModelsRun =
  (Omit<ReadModelComparison, 'findings'> & { compared: true }) | ReadModelsNotCompared;

/** How this audit ran: outside the digest, so it never changes what two audits agree on. */
export interface ReportRun {
  generatedAt: string;
  /** Where the history was read from. */
  source: string;
  durationMs: number;
  readModels: ReadModelsRun;
}

/**
 * The full report (issue #10 point 5): the history audit's content, with the read models'
 * differences among its findings, a digest over that content (report-digest.ts), an Ed25519
 * signature over the digest when the audit holds the signing key, and how it ran.
 */
export type SignedAuditReport = AuditReport & {
  format: typeof REPORT_FORMAT;
  digest: string;
  /** base64 Ed25519 over `reportSignedMessage(digest)`; null when the audit had no signing key. */
  signature: string | null;
  /** The signing key's id (sha256 of its SPKI DER), as in seals; null when unsigned. */
  keyId: string | null;
  run: ReportRun;
};

export interface ReportInputs {
  history: AuditReport;
  readModels: ReadModelComparison | ReadModelsNotCompared;
  /** The key that signs the report; null: an unsigned report (--verify refuses it). */
  signer: SealSigner | null;
  run: Omit<ReportRun, 'readModels'>;
}

export function signedReport({ history, readModels, signer, run }: ReportInputs): SignedAuditReport {
  const rmFindings = 'findings' in readModels ? readModels.findings : [];
  const findings = [...history.findings, ...rmFindings];
  const findingsByKind: Record<string, number> = {};
  for (const finding of findings) findingsByKind[finding.kind] = (findingsByKind[finding.kind] ?? 0) + 1;
  const content = { ...history, findings, findingsByKind, format: REPORT_FORMAT };
  const digest = reportDigest(content);
  let readModelsRun: ReadModelsRun;
  if ('findings' in readModels) {
    const { findings: _listed, ...summary } = readModels;
    readModelsRun = { compared: true, ...summary };
  } else {
    readModelsRun = readModels;
  }
  return {
    ...content,
    digest,
    signature: signer ? signer.sign(reportSignedMessage(digest)) : null,
    keyId: signer ? signer.keyId : null,
    run: { ...run, readModels: readModelsRun },
  };
}
