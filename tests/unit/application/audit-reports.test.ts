import type { SignedAuditReport } from '../../../src/application/audit/audit-report';
import { AuditReports } from '../../../src/application/audit/audit-reports';

/** A run that finishes when the test says so, counting how often it was started. */
function scriptedRuns() {
  const finishers: Array<(report: SignedAuditReport) => void> = [];
  const failers: Array<(error: Error) => void> = [];
  const run = jest.fn(
    () =>
      new Promise<SignedAuditReport>((resolve, reject) => {
        finishers.push(resolve);
        failers.push(reject);
      }),
  );
  const report = (n: number) => ({ digest: `report-${n}` }) as SignedAuditReport;
  return {
    run,
    finish: (i: number) => finishers[i](report(i)),
    fail: (i: number) => failers[i](new Error('x')),
  };
}

describe("the service's audit reports (GET /v1/audit/report)", () => {
  it('runs one audit for concurrent requests, and answers later ones with its report', async () => {
    const runs = scriptedRuns();
    const reports = new AuditReports(runs.run);
    const first = reports.report();
    const second = reports.report({ fresh: true });
    expect(runs.run).toHaveBeenCalledTimes(1);
    runs.finish(0);
    expect((await first).digest).toBe('report-0');
    expect((await second).digest).toBe('report-0');
    expect((await reports.report()).digest).toBe('report-0');
    expect(runs.run).toHaveBeenCalledTimes(1);
  });

  it('runs a new audit when asked for a fresh one', async () => {
    const runs = scriptedRuns();
    const reports = new AuditReports(runs.run);
    const first = reports.report();
    runs.finish(0);
    await first;
    const fresh = reports.report({ fresh: true });
    expect(runs.run).toHaveBeenCalledTimes(2);
    runs.finish(1);
    expect((await fresh).digest).toBe('report-1');
    expect(reports.latest?.digest).toBe('report-1');
  });

  it('keeps the latest report when a run fails, and lets the next request try again', async () => {
    const runs = scriptedRuns();
    const reports = new AuditReports(runs.run);
    const failed = reports.report();
    runs.fail(0);
    await expect(failed).rejects.toThrow('x');
    const retried = reports.report();
    expect(runs.run).toHaveBeenCalledTimes(2);
    runs.finish(1);
    expect((await retried).digest).toBe('report-1');
  });
});
