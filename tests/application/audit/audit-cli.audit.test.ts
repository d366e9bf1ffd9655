import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BASIC, purchase, refund } from '../support/purchases';
import { DAY, startWorld } from '../support/process-harness';
import { copyOf } from './audited-history';

const CLI = path.resolve(__dirname, '../../../dist/src/interfaces/cli/audit.js');

/** `npm run audit` as an operator runs it: the compiled CLI in its own process. */
function runAudit(
  dataDir: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, DATA_DIR: dataDir, EVENTSTORE_URL: '', AUDIT_PUBLIC_KEY_FILE: '' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

/** Issue #10 point 5, end to end: --as-of, --user and --order reach the report and the summary. */
describe('npm run audit --as-of / --user / --order', () => {
  let dir: string;
  let alice: string;
  const beforeRefund = '2026-03-02T00:00:00.000Z';
  beforeAll(async () => {
    const world = await startWorld(Date.parse('2026-03-01T00:00:00Z'));
    alice = (await purchase(world, 'alice', BASIC)).orderId;
    await purchase(world, 'bob', BASIC);
    await world.advance(2 * DAY);
    await refund(world, alice, { userId: 'ops', role: 'admin' }, 4_000);
    await world.restart(); // the shutdown seal
    dir = copyOf(world.dataDir);
    await world.close();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints and writes the totals at the instant, for the user asked about', async () => {
    const json = path.join(dir, 'report.json');
    const run = await runAudit(dir, ['--as-of', beforeRefund, '--user', 'alice', '--json', json]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Totals for user alice at ${beforeRefund} (--as-of):`);
    expect(run.stdout).toContain('1 approved, 9,900 KRW; refunded 0 KRW; net 9,900 KRW');
    const report = JSON.parse(fs.readFileSync(json, 'utf8'));
    expect(report).toMatchObject({
      asOf: beforeRefund,
      scope: { userId: 'alice' },
      totals: { orders: { placed: 1 }, payments: { refundedAmount: 0 }, subscriptions: { active: 1 } },
      run: { readModels: { compared: false, reason: expect.stringContaining('--as-of') } },
    });

    const now = await runAudit(dir, [`--order=${alice}`]);
    expect(now.code).toBe(0);
    expect(now.stdout).toContain(`Totals for order ${alice}`);
    expect(now.stdout).toContain('refunded 4,000 KRW; net 5,900 KRW');
  });

  it('refuses a time without its offset, and --user with --order: exit 2 with the reason', async () => {
    const local = await runAudit(dir, ['--as-of', '2026-03-02T09:00']);
    expect(local.code).toBe(2);
    expect(local.stderr).toContain(
      '--as-of 2026-03-02T09:00: expected an ISO-8601 date or a time with its offset',
    );
    const both = await runAudit(dir, ['--user', 'alice', `--order=${alice}`]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give one of them');
  });

  it('an order or user the history never mentions: exit 2 "no streams for …", not a clean audit', async () => {
    const order = await runAudit(dir, ['--order', 'ord_missing123']);
    expect({ code: order.code, stdout: order.stdout }).toEqual({ code: 2, stdout: '' });
    expect(order.stderr).toBe('audit could not run: no streams for order ord_missing123\n');
    const user = await runAudit(dir, ['--user', 'alicee']);
    expect(user.code).toBe(2);
    expect(user.stderr).toBe('audit could not run: no streams for user alicee\n');
  });

  it('takes ids as the HTTP API does: one it would refuse is refused before reading anything', async () => {
    const short = await runAudit(dir, ['--order', 'ord1']);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('--order "ord1": not an order id');
    const dotted = await runAudit(dir, ['--user', '.alice']);
    expect(dotted.code).toBe(2);
    expect(dotted.stderr).toContain('--user ".alice": not a user id');
  });

  it('--help lists the flags', async () => {
    const help = await runAudit(dir, ['--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--as-of <time>', '--user <id>', '--order <id>']) expect(help.stdout).toContain(flag);
  });
});
