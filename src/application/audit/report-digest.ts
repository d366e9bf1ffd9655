import { createHash, verify } from 'node:crypto';
import { canonicalJson } from '../event-sourcing/canonical-json';
import { keyIdOf } from './seal';

/**
 * The fields of a report that are not its content: the digest, the signature and the key that
 * made it, and `run`, everything that depends on when and where the audit ran (time, source,
 * duration, which read-model store was compared at which checkpoints). Everything else is the
 * content: what the history (and the read models' differences from it) came to.
 */
export const ENVELOPE_FIELDS = ['digest', 'signature', 'keyId', 'run'] as const;

/** What a report's signature covers: this prefix and the digest, so it can never pass for a seal's. */
const SIGNED_PREFIX = 'ledgerline-audit-report\n';

/** A report's content: the report without its envelope fields. */
export function reportContent(report: Record<string, unknown>): Record<string, unknown> {
  const content: Record<string, unknown> = { ...report };
  for (const field of ENVELOPE_FIELDS) delete content[field];
  return content;
}

/**
 * sha256 (hex) of the content's canonical JSON (keys sorted at every level, see canonical-json):
 * two audits of the same history, wherever and whenever they ran, reproduce it exactly.
 */
export function reportDigest(report: Record<string, unknown>): string {
  return createHash('sha256')
    .update(canonicalJson(reportContent(report)))
    .digest('hex');
}

/** The bytes an Ed25519 report signature covers. */
export function reportSignedMessage(digest: string): Buffer {
  return Buffer.from(SIGNED_PREFIX + digest, 'utf8');
}

export interface ReportVerification {
  valid: boolean;
  /** Why not, when not: each check that failed. */
  problems: string[];
}

/**
 * `npm run audit -- --verify`: recomputes the digest from the report's content and checks the
 * signature with the public key alone.
 */
export function verifyReport(report: unknown, publicKeyPem: string): ReportVerification {
  if (typeof report !== 'object' || report === null || Array.isArray(report))
    return { valid: false, problems: ['not a report: a JSON object was expected'] };
  const { digest, signature, keyId } = report as Record<string, unknown>;
  const problems: string[] = [];
  const recomputed = reportDigest(report as Record<string, unknown>);
  if (typeof digest !== 'string') problems.push('the report has no digest');
  else if (digest !== recomputed)
    problems.push(`the content does not match the digest (it was altered): recomputed ${recomputed}`);
  const expectedKeyId = keyIdOf(publicKeyPem);
  if (typeof signature !== 'string') {
    problems.push('the report is not signed');
  } else {
    if (keyId !== expectedKeyId)
      problems.push(`signed by key ${String(keyId)}, not by the given public key ${expectedKeyId}`);
    if (!signatureValid(recomputed, signature, publicKeyPem))
      problems.push('the signature does not verify with the public key');
  }
  return { valid: problems.length === 0, problems };
}

function signatureValid(digest: string, signature: string, publicKeyPem: string): boolean {
  try {
    return verify(null, reportSignedMessage(digest), publicKeyPem, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
