import { readFileSync } from 'node:fs';
import { verifyReport } from '../../application/audit/report-digest';

/** What `--verify` prints and its exit code: 0 valid, 1 invalid or altered. */
export interface VerifyOutcome {
  code: 0 | 1;
  message: string;
}

/**
 * `npm run audit -- --verify <report.json>`: the report's digest recomputed from its content,
 * its signature checked with the public key alone. A file that cannot be read or is not JSON
 * throws (the CLI exits 2: it could not check).
 */
export function verifyReportFile(file: string, publicKeyPem: string): VerifyOutcome {
  let report: unknown;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the report ${file}: ${(error as Error).message}`);
  }
  const { valid, problems } = verifyReport(report, publicKeyPem);
  if (valid) {
    const { digest, keyId } = report as { digest: string; keyId: string };
    return { code: 0, message: `Valid: ${file} is unaltered and signed by key ${keyId}\n  digest ${digest}` };
  }
  return { code: 1, message: [`Invalid: ${file}`, ...problems.map((p) => `  ${p}`)].join('\n') };
}
