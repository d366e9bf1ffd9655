/**
 * `npm run audit`'s work on a DATA_DIR (the same composition), in a child process of the
 * bench, which prints how long it took and the process's peak resident memory as one JSON line.
 */
import 'reflect-metadata';
import { composeAudit, loadSettings } from '../../src/infrastructure/composition';

export interface AuditRun {
  /** From composing the audit to its report (the process's own start not included). */
  seconds: number;
  /** process.resourceUsage().maxRSS: the peak resident set, in KiB. */
  maxRssKiB: number;
  events: number;
  streams: number;
  seals: number;
  findings: number;
  findingsByKind: Record<string, number>;
}

async function main(dataDir: string): Promise<void> {
  const started = performance.now();
  const audit = await composeAudit(loadSettings({ DATA_DIR: dataDir }));
  try {
    const report = await audit.run();
    const run: AuditRun = {
      seconds: (performance.now() - started) / 1000,
      maxRssKiB: process.resourceUsage().maxRSS,
      events: report.events,
      streams: report.streams,
      seals: report.seals.count,
      findings: report.findings.length,
      findingsByKind: report.findingsByKind,
    };
    console.log(JSON.stringify(run));
  } finally {
    await audit.close();
  }
}

if (require.main === module) {
  main(process.argv[2] ?? '').catch((error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  });
}
