import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AuditReport } from '../../src/application/audit/history-audit';
import type { RecordedEvent } from '../../src/application/ports/event-store.port';
import { composeAudit } from '../../src/infrastructure/composition/compose-audit';
import { loadSettings } from '../../src/infrastructure/config/settings';
import { MINUTE, PLAN, startApi, type Api } from './support/harness';
import {
  portoneConsoleCancel,
  portonePurchase,
  portoneSession,
  readStream,
  refund,
  tossConsoleCancel,
} from './support/pg-helpers';

const CLI = path.resolve(__dirname, '../../dist/src/interfaces/cli/audit.js');

/** `npm run audit` in its own process, against the running service's DATA_DIR and sandboxes. */
function runAudit(
  env: Record<string, string>,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, EVENTSTORE_URL: '', AUDIT_PUBLIC_KEY_FILE: '', ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

interface Bought {
  /** The buyer's token. */
  token: string;
  orderId: string;
  /** Toss paymentKey / PortOne imp_uid. */
  pgPaymentId: string;
}

/**
 * Issue #10 points 3 and 7: `npm run audit -- --pg` over a history made through the real
 * service against both sandboxes. A clean history reconciles clean (more transactions than one
 * page); an approval the history lacks, a cancel it lacks, a cancel the PG lacks and an amount
 * that differs are each found, at both PGs, with the stream and position that prove them.
 */
describe('the audit reconciles the history with the PGs (--pg)', () => {
  let api: Api;
  let env: Record<string, string>;
  let from: number;
  const bought: Record<'toss' | 'portone', Record<'clean' | 'refunded' | 'amount' | 'console', Bought>> = {
    toss: {} as never,
    portone: {} as never,
  };
  let users = 0;
  const user = () => api.token(`recon-${++users}`);

  const buy = async (provider: 'toss' | 'portone', amount: number): Promise<Bought> => {
    const token = await user();
    if (provider === 'toss') {
      const { order, paymentKey } = await api.purchase(token, PLAN.EVENT, amount);
      return { token, orderId: order.orderId, pgPaymentId: paymentKey };
    }
    const { order, impUid } = await portonePurchase(api, token, PLAN.EVENT, amount);
    return { token, orderId: order.orderId, pgPaymentId: impUid };
  };

  /** The audit as `npm run audit` composes it, in process, with pages of 2 from each PG. */
  const audit = async (to: number): Promise<AuditReport> => {
    const composition = await composeAudit(loadSettings(env), { pg: { from, to, pageSize: 2 } });
    try {
      return await composition.run();
    } finally {
      await composition.close();
    }
  };
  const eventOf = async (streamId: string, type: string): Promise<RecordedEvent> => {
    const found = (await readStream(api, streamId)).find((e) => e.type === type);
    if (!found) throw new Error(`no ${type} in ${streamId}`);
    return found;
  };
  const sandboxDb = <T>(edit: (db: Database.Database) => T): T => {
    const db = new Database(path.join(api.dataDir, 'sandbox.db'));
    try {
      db.pragma('busy_timeout = 5000');
      return edit(db);
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    api = await startApi();
    env = { DATA_DIR: api.dataDir, PORT: new URL(api.service.url).port };
    from = (await api.clockNow()) - 1_000;
    for (const provider of ['toss', 'portone'] as const) {
      bought[provider].clean = await buy(provider, 10_000);
      bought[provider].refunded = await buy(provider, 20_000);
      const { token, orderId } = bought[provider].refunded;
      expect((await refund(api, token, orderId, { amount: 5_000 })).status).toBe(201);
    }
    await approvedLateThenVoided();
    await approvedWhileUnknown();
  });

  /** C7: Toss approves after the order expired; the service refuses the approval and voids it. */
  const approvedLateThenVoided = async () => {
    const token = await user();
    const order = await api.order(token, PLAN.EVENT, 15_000);
    await api.advanceClock(25 * MINUTE);
    const session = await api.tossSession(order);
    await api.fault('timeout');
    const body = { provider: 'toss', ...session };
    expect((await api.confirm(token, body)).status).toBe(202);
    await api.advanceClock(6 * MINUTE);
    const late = await api
      .http()
      .post('/sandbox/toss/v1/payments/confirm')
      .set('Authorization', api.tossAuthHeader())
      .send(session);
    expect(late.status).toBe(200);
    await api.advanceClock(10 * MINUTE);
    expect((await eventOf(`order-${order.orderId}`, 'PgApprovalCancelled')).data.pgPaymentId).toBe(
      session.paymentKey,
    );
  };

  /** C6: the approval's answer is lost; the reconciler learns it from Toss and records Toss's time. */
  const approvedWhileUnknown = async () => {
    const token = await user();
    const order = await api.order(token, PLAN.EVENT, 25_000);
    const session = await api.tossSession(order);
    await api.fault('approve-then-timeout');
    expect((await api.confirm(token, { provider: 'toss', ...session })).status).toBe(202);
    await api.advanceClock(1 * MINUTE);
    await eventOf(`order-${order.orderId}`, 'OrderPaid');
  };
  afterAll(() => api.close());

  it('a clean history made through the service reconciles clean with both PGs, over several pages', async () => {
    const to = (await api.clockNow()) + 1_000;
    const report = await audit(to);
    expect(report.findings).toEqual([]);
    // Per PG two approvals and a refund's cancel; at Toss also a voided approval (its approval
    // and its cancel) and an approval learnt by the reconciler. Read two at a time.
    expect(report.reconciliation).toMatchObject({
      providers: ['toss', 'portone'],
      pgTransactions: 9,
      historyTransactions: 9,
      matched: 9,
      findings: 0,
    });

    const jsonFile = path.join(api.dataDir, 'pg-report.json');
    const cli = await runAudit(env, [
      '--pg',
      '--from',
      new Date(from).toISOString(),
      '--to',
      new Date(to).toISOString(),
      '--json',
      jsonFile,
    ]);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain('9 PG and 9 history approvals/cancels, 9 matched, 0 finding(s)');
    expect(cli.stdout).toContain('the PGs agree with the history');
    const saved = JSON.parse(readFileSync(jsonFile, 'utf8')) as AuditReport;
    expect(saved.reconciliation).toMatchObject({
      window: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
      matched: 9,
      findings: 0,
    });
    // The reconciliation is part of the report's signed content.
    expect((await runAudit(env, ['--verify', jsonFile])).code).toBe(0);
    writeFileSync(
      jsonFile,
      JSON.stringify({ ...saved, reconciliation: { ...saved.reconciliation, matched: 8 } }),
    );
    expect((await runAudit(env, ['--verify', jsonFile])).code).toBe(1);
  });

  it('finds an extra approval, a cancel either side lacks and a different amount, at both PGs', async () => {
    const extra: Record<string, string> = {};
    for (const provider of ['toss', 'portone'] as const) {
      bought[provider].amount = await buy(provider, 30_000);
      bought[provider].console = await buy(provider, 40_000);
      // Approved at the PG, never confirmed through the service (its webhook not delivered yet).
      const order = await api.order(await user(), PLAN.EVENT, 50_000);
      extra[provider] = order.orderId;
      if (provider === 'toss') {
        const session = await api.tossSession(order);
        const confirmed = await api
          .http()
          .post('/sandbox/toss/v1/payments/confirm')
          .set('Authorization', api.tossAuthHeader())
          .send(session);
        expect(confirmed.status).toBe(200);
        await tossConsoleCancel(api, bought.toss.console.pgPaymentId, { cancelReason: 'console' });
      } else {
        await portoneSession(api, order);
        await portoneConsoleCancel(api, bought.portone.console.pgPaymentId, { reason: 'console' });
      }
    }
    // The PGs' own records altered: an approval's amount, and a cancel the history holds dropped.
    sandboxDb((db) => {
      const toss = db.prepare(
        `UPDATE toss_payments SET data = json_set(data, ?, json(?)) WHERE payment_key = ?`,
      );
      toss.run('$.totalAmount', '31000', bought.toss.amount.pgPaymentId);
      toss.run('$.cancels', '[]', bought.toss.refunded.pgPaymentId);
      db.prepare('UPDATE portone_payments SET amount = 31000 WHERE imp_uid = ?').run(
        bought.portone.amount.pgPaymentId,
      );
      db.prepare('DELETE FROM portone_cancels WHERE imp_uid = ?').run(bought.portone.refunded.pgPaymentId);
    });

    const to = (await api.clockNow()) + 1_000;
    const report = await audit(to);
    for (const provider of ['toss', 'portone'] as const) {
      const b = bought[provider];
      const paid = await eventOf(`order-${b.amount.orderId}`, 'OrderPaid');
      const completed = await eventOf(`payment-${b.refunded.orderId}`, 'RefundCompleted');
      expect(report.findings).toContainEqual(
        expect.objectContaining({
          kind: 'pg-amount-differs',
          streamId: paid.streamId,
          revision: paid.revision,
          globalPosition: paid.globalPosition,
          pg: expect.objectContaining({ provider, kind: 'approval', amount: 31_000 }),
        }),
      );
      expect(report.findings).toContainEqual(
        expect.objectContaining({
          kind: 'pg-cancel-missing-at-pg',
          streamId: completed.streamId,
          revision: completed.revision,
          globalPosition: completed.globalPosition,
        }),
      );
      expect(report.findings).toContainEqual(
        expect.objectContaining({
          kind: 'pg-cancel-missing-in-history',
          streamId: `payment-${b.console.orderId}`,
          pg: expect.objectContaining({
            provider,
            kind: 'cancel',
            amount: 40_000,
            pgPaymentId: b.console.pgPaymentId,
          }),
        }),
      );
      expect(report.findings).toContainEqual(
        expect.objectContaining({
          kind: 'pg-approval-missing-in-history',
          streamId: `order-${extra[provider]}`,
          pg: expect.objectContaining({ provider, kind: 'approval', amount: 50_000 }),
        }),
      );
    }
    expect(report.findings).toHaveLength(8);
    expect(report.findingsByKind).toEqual({
      'pg-amount-differs': 2,
      'pg-cancel-missing-at-pg': 2,
      'pg-cancel-missing-in-history': 2,
      'pg-approval-missing-in-history': 2,
    });

    const cli = await runAudit(env, [
      '--pg',
      '--from',
      new Date(from).toISOString(),
      '--to',
      new Date(to).toISOString(),
    ]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('8 finding(s)');
    expect(cli.stdout).toContain(`[pg-approval-missing-in-history] order-${extra.toss}`);
  });

  it('exits 2 with one line when a PG refuses the key or does not answer, or the window is not given', async () => {
    const window = ['--pg', '--from', '2026-11-01', '--to', '2026-11-02'];
    const refused = await runAudit({ ...env, TOSS_SECRET_KEY: 'test_sk_not_ours' }, window);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toEqual([
      'audit could not run: Toss refused our secret key (HTTP 401 UNAUTHORIZED_KEY)',
    ]);

    const unreachable = await runAudit({ ...env, PORT: '9' }, window);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr.trim().split('\n')).toHaveLength(1);
    expect(unreachable.stderr).toMatch(
      /^audit could not run: Toss at http:\/\/127\.0\.0\.1:9\/sandbox\/toss did not answer/,
    );

    const noWindow = await runAudit(env, ['--pg', '--from', '2026-11-01']);
    expect(noWindow.code).toBe(2);
    expect(noWindow.stderr).toContain('--pg needs --from <date> and --to <date>');
    const noZone = await runAudit(env, ['--pg', '--from', '2026-11-01T00:00:00', '--to', '2026-11-02']);
    expect(noZone.code).toBe(2);
    expect(noZone.stderr).toContain('a date-time with its zone');
  });
});
