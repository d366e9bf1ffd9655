import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { reportDigest, verifyReport } from '../../src/application/audit/report-digest';
import { PLAN, freshDataDir, removeDataDir, startApi, type Api } from './support/harness';

const CLI = path.resolve(__dirname, '../../dist/src/interfaces/cli/audit.js');

/** `npm run audit` in its own process, on `dataDir`, with the service's read-model setting. */
function runAudit(
  dataDir: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        env: {
          ...process.env,
          DATA_DIR: dataDir,
          EVENTSTORE_URL: '',
          MONGODB_URL: '',
          AUDIT_PUBLIC_KEY_FILE: '',
          READ_MODELS: 'sqlite',
          ...env,
        },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

describe('npm run audit: the signed report and --verify (issue #10 points 4, 5)', () => {
  let dataDir: string;
  let orderId: string;
  beforeAll(async () => {
    dataDir = freshDataDir();
    const api = await startApi(dataDir, { READ_MODELS: 'sqlite' });
    const token = await api.token('reported-user');
    orderId = (await api.purchase(token, PLAN.BASIC)).order.orderId;
    await api.close({ keepData: true }); // the shutdown seal; the read models stay in DATA_DIR
  });
  afterAll(() => removeDataDir(dataDir));

  it('signs the report, compares the SQLite read models, and two audits of the history give one digest', async () => {
    const first = path.join(dataDir, 'first.json');
    const second = path.join(dataDir, 'second.json');
    const one = await runAudit(dataDir, ['--json', first]);
    expect(one.stderr).toBe('');
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('Read models (sqlite)');
    expect((await runAudit(dataDir, ['--json', second])).code).toBe(0);
    const a = readJson(first);
    const b = readJson(second);
    expect(a).toMatchObject({
      format: 'ledgerline-audit-report/1',
      findings: [],
      signature: expect.any(String),
      keyId: expect.stringMatching(/^[0-9a-f]{64}$/),
      run: { source: path.join(dataDir, 'events.db'), readModels: { compared: true, store: 'sqlite' } },
    });
    expect(b.digest).toBe(a.digest);
    expect(reportDigest(a)).toBe(a.digest);
  });

  it('--verify: 0 for the report as written, 1 once altered, 1 when signed by another key, 2 without a report', async () => {
    const file = path.join(dataDir, 'verified.json');
    await runAudit(dataDir, ['--json', file]);
    const valid = await runAudit(dataDir, ['--verify', file]);
    expect(valid.code).toBe(0);
    expect(valid.stdout).toContain('Valid');

    const altered = path.join(dataDir, 'altered.json');
    writeFileSync(altered, JSON.stringify({ ...readJson(file), events: 1 }));
    const refused = await runAudit(dataDir, ['--verify', altered]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('altered');

    const otherKey = path.join(dataDir, 'other-key.pem');
    writeFileSync(
      otherKey,
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    const foreign = path.join(dataDir, 'foreign.json');
    expect((await runAudit(dataDir, ['--json', foreign], { AUDIT_SIGNING_KEY_FILE: otherKey })).code).toBe(0);
    const notOurs = await runAudit(dataDir, ['--verify', foreign]);
    expect(notOurs.code).toBe(1);
    expect(notOurs.stdout).toContain('not by the given public key');

    const missing = await runAudit(dataDir, ['--verify', path.join(dataDir, 'nowhere.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read the report');
  });

  it('exits 1 with a read-model-differs finding once a stored document is edited', async () => {
    const db = new Database(path.join(dataDir, 'read-models.db'));
    const before = db.prepare('SELECT doc FROM rm_orders WHERE id = ?').pluck().get(orderId) as string;
    db.prepare(`UPDATE rm_orders SET doc = json_set(doc, '$.userId', 'mallory') WHERE id = ?`).run(orderId);
    db.close();
    const file = path.join(dataDir, 'differs.json');
    try {
      const audit = await runAudit(dataDir, ['--json', file]);
      expect(audit.code).toBe(1);
      expect(readJson(file).findings).toEqual([
        expect.objectContaining({
          kind: 'read-model-differs',
          collection: 'orders',
          documentId: orderId,
          fields: ['userId'],
          streamId: expect.stringMatching(new RegExp(`-${orderId}$`)),
        }),
      ]);
    } finally {
      const restore = new Database(path.join(dataDir, 'read-models.db'));
      restore.prepare('UPDATE rm_orders SET doc = ? WHERE id = ?').run(before, orderId);
      restore.close();
    }
  });
});

describe("the auditor's HTTP API (issue #10 point 6)", () => {
  let api: Api;
  let auditor: string;
  let buyer: string;
  let orderId: string;
  let paymentKey: string;
  beforeAll(async () => {
    api = await startApi();
    auditor = await api.token('the-auditor', 'auditor');
    buyer = await api.token('audited-buyer');
    const bought = await api.purchase(buyer, PLAN.BASIC);
    orderId = bought.order.orderId;
    paymentKey = bought.paymentKey;
  });
  afterAll(() => api.close());

  it.each([['user'], ['admin']] as const)('refuses the %s role every audit route with 403', async (role) => {
    const token = await api.token(`not-an-auditor-${role}`, role);
    for (const route of [
      '/v1/audit/report',
      `/v1/audit/orders/${orderId}/events`,
      '/v1/audit/users/audited-buyer/events',
    ]) {
      const res = await api.get(token, route);
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('FORBIDDEN');
    }
  });

  it('GET /v1/audit/report: a signed report of the live history, the memory read models compared in process', async () => {
    const res = await api.get(auditor, '/v1/audit/report?fresh=true');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      findings: [],
      headPosition: await api.eventHead(),
      run: { readModels: { compared: true, store: 'memory' } },
    });
    expect(res.body.run.readModels.documents).toBeGreaterThan(0);
    const key = await api.http().get('/v1/audit/public-key');
    expect(res.body.keyId).toBe(key.body.keyId);
    expect(verifyReport(res.body, key.body.publicKeyPem)).toEqual({ valid: true, problems: [] });
  });

  it('answers with the latest report until a fresh one is asked for', async () => {
    const first = (await api.get(auditor, '/v1/audit/report?fresh=true')).body;
    await api.purchase(buyer, PLAN.PREMIUM);
    const latest = (await api.get(auditor, '/v1/audit/report')).body;
    expect(latest.digest).toBe(first.digest);
    expect(latest.run).toEqual(first.run);
    const fresh = (await api.get(auditor, '/v1/audit/report?fresh=true')).body;
    expect(fresh.headPosition).toBeGreaterThan(first.headPosition);
    expect(fresh.digest).not.toBe(first.digest);
  });

  it('refuses a bad fresh flag with 400', async () => {
    const res = await api.get(auditor, '/v1/audit/report?fresh=maybe');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it("pages through an order's whole history in global order, with metadata and hashes", async () => {
    interface Item {
      globalPosition: number;
      streamId: string;
      hash: string;
      metadata: { prevHash: string; hash: string };
    }
    const items: Item[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const res = await api.get(auditor, `/v1/audit/orders/${orderId}/events?limit=2${query}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    const positions = items.map((e) => e.globalPosition);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).toBe(positions.length);
    const streams = new Set(items.map((e) => e.streamId));
    expect(streams).toEqual(
      new Set([`order-${orderId}`, `payment-${orderId}`, `pgpayment-toss-${paymentKey}`]),
    );
    expect(items[0]).toMatchObject({
      streamId: `order-${orderId}`,
      revision: 0,
      type: 'OrderPlaced',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      metadata: { prevHash: '', actor: { kind: 'user', userId: 'audited-buyer' } },
    });
    expect(items[0].hash).toBe(items[0].metadata.hash);
    const orderStream = items.filter((e) => e.streamId === `order-${orderId}`);
    expect(orderStream[1].metadata.prevHash).toBe(orderStream[0].hash);
  });

  it("serves a user's history: the subscription and every order's streams; an unknown user has none", async () => {
    const res = await api.get(auditor, '/v1/audit/users/audited-buyer/events?limit=100');
    expect(res.status).toBe(200);
    const streams = new Set(res.body.items.map((e: { streamId: string }) => e.streamId));
    expect(streams).toContain('subscription-audited-buyer');
    expect(streams).toContain(`order-${orderId}`);
    expect(streams).toContain(`payment-${orderId}`);
    const orders = [...streams].filter((s) => String(s).startsWith('order-'));
    expect(orders.length).toBe(2); // the BASIC and the PREMIUM purchase
    const nobody = await api.get(auditor, '/v1/audit/users/nobody-here/events');
    expect(nobody.status).toBe(200);
    expect(nobody.body).toEqual({ items: [], nextCursor: null });
  });

  it('answers 404 for an unknown order and 400 for a cursor it did not make', async () => {
    const unknown = await api.get(auditor, '/v1/audit/orders/no-such-order-000/events');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('ORDER_NOT_FOUND');
    const bad = await api.get(auditor, `/v1/audit/orders/${orderId}/events?cursor=bm9wZQ`);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });
});
