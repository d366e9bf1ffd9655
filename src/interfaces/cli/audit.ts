import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { auditReport, composeAudit, loadSettings, publicKeyOf } from '../../infrastructure/composition';
import { formatEnvelope } from './audit-envelope-summary';
import { progressBars } from './audit-progress';
import { formatSummary } from './audit-summary';
import { ruleOptionsOf, SCOPE_OPTIONS } from './audit-scope-options';
import { verifyReportFile } from './audit-verify';

/** Exit codes: 0 clean, 1 findings, 2 the audit could not run. */
const CLEAN = 0;
const FINDINGS = 1;
const COULD_NOT_RUN = 2;

const USAGE = `Usage: npm run audit -- [--json <file>] [--public-key <file>] [--as-of <time>] [--user <id> | --order <id>]
       npm run audit -- --verify <report.json> [--public-key <file>]

Reads the whole event store (SQLite under DATA_DIR, or EventStoreDB when EVENTSTORE_URL is
set), verifies every stream's hash chain and every seal with the public key, checks the
business rules over the events, compares the read models (MongoDB when MONGODB_URL is set,
DATA_DIR/read-models.db when READ_MODELS=sqlite) with its own fold of the events, and prints a
summary. The report carries a digest and, with the signing key at hand, its signature.
  --json <file>        also write the full report (every finding) as JSON
  --verify <file>      check a saved report's digest and signature with the public key alone
                       (exit 0 valid, 1 invalid or altered, 2 could not check)
  --public-key <file>  the seal key's public half (PEM); default AUDIT_PUBLIC_KEY_FILE, the
                       sandbox's DATA_DIR/audit-public-key.pem, or AUDIT_SIGNING_KEY_FILE's
  --as-of <time>       ISO-8601: the rules and totals over the events recorded up to then (the
                       chains and seals are still checked over the whole store)
  --user <id>          only that user's streams: their orders, payments and subscription
  --order <id>         only that order's streams (and its subscription events)
Exit code: 0 clean, 1 findings, 2 could not run.`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'string' },
      'public-key': { type: 'string' },
      verify: { type: 'string' },
      help: { type: 'boolean' },
      ...SCOPE_OPTIONS,
    },
  });
  if (values.help) {
    console.log(USAGE);
    return CLEAN;
  }
  const settings = loadSettings(process.env);
  const publicKeyFile = values['public-key'] ?? process.env.AUDIT_PUBLIC_KEY_FILE;
  if (values.verify) {
    const outcome = verifyReportFile(values.verify, publicKeyOf(settings, publicKeyFile));
    console.log(outcome.message);
    return outcome.code === 0 ? CLEAN : FINDINGS;
  }
  const ruleOptions = ruleOptionsOf(values);
  const audit = await composeAudit(settings, { publicKeyFile });
  const bars = progressBars();
  try {
    const report = await auditReport(settings, audit, bars ?? {}, ruleOptions);
    bars?.stop();
    console.log(formatSummary(report, audit.source) + formatEnvelope(report));
    if (values.json) writeFileSync(values.json, JSON.stringify(report, null, 2) + '\n');
    return report.findings.length === 0 ? CLEAN : FINDINGS;
  } finally {
    bars?.stop();
    await audit.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`audit could not run: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(COULD_NOT_RUN);
  },
);
