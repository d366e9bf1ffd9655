import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import express from 'express';
import request from 'supertest';
import { PgListUnavailableError } from '../../src/application/ports/pg-transaction-list.port';
import { PortoneTransactionList } from '../../src/infrastructure/pg/portone/portone-transaction-list';
import { FaultRegistry } from '../../src/infrastructure/pg-sandbox/fault-registry';
import { createPortoneSandbox } from '../../src/infrastructure/pg-sandbox/portone/portone-sandbox';

const T0 = Date.parse('2025-03-01T00:00:00.000Z');
const T0_S = T0 / 1000;
const MINUTE = 60_000;
const KEY = 'test_imp_key';
const SECRET = 'test_imp_secret';
const P = '/sandbox/portone';

interface Annotation {
  imp_uid: string;
  merchant_uid: string;
  status: string;
  paid_at: number;
  cancel_history: Array<{ cancellation_id: string; amount: number; cancelled_at: number }>;
}
interface ListPage {
  total: number;
  previous: number;
  next: number;
  list: Annotation[];
}

/**
 * PortOne `GET /payments/status/{status}` in the sandbox, the shape iamport-rest-client-nodejs
 * reads (`{total, previous, next, list}`), with `from`/`to` (unix seconds), `page`, `limit` and
 * `sorting`; and the adapter that pages through it.
 */
describe('PortOne sandbox: payments by status, and the transaction list over them', () => {
  const clock = { t: T0, now: (): number => clock.t };
  const db = new Database(':memory:');
  const sandbox = createPortoneSandbox({
    db,
    clock,
    faults: new FaultRegistry(),
    apiKey: KEY,
    apiSecret: SECRET,
    webhookUrl: () => null,
  });
  const app = express();
  app.use(P, sandbox.router);
  let server: Server;
  let baseUrl: string;
  let token: string;
  const paid: string[] = [];

  const pay = async (merchantUid: string, amount: number, at: number): Promise<string> => {
    clock.t = at;
    const res = await request(app)
      .post(`${P}/sessions`)
      .send({ merchant_uid: merchantUid, amount, name: 'plan' });
    expect(res.status).toBe(201);
    return res.body.response.imp_uid as string;
  };
  const cancel = async (impUid: string, at: number, amount?: number) => {
    clock.t = at;
    const res = await request(app)
      .post(`${P}/payments/cancel`)
      .set('Authorization', `Bearer ${token}`)
      .send({ imp_uid: impUid, reason: 'refund', ...(amount ? { amount } : {}) });
    expect(res.body.code).toBe(0);
  };
  const list = (status: string, query: Record<string, string | number>) =>
    request(app).get(`${P}/payments/status/${status}`).set('Authorization', `Bearer ${token}`).query(query);

  beforeAll(async () => {
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${P}`;
    token = (await request(app).post(`${P}/users/getToken`).send({ imp_key: KEY, imp_secret: SECRET })).body
      .response.access_token as string;
    paid.push(await pay('order_a', 10_000, T0 + MINUTE));
    paid.push(await pay('order_b', 20_000, T0 + 2 * MINUTE));
    await cancel(paid[0], T0 + 3 * MINUTE, 4_000);
    paid.push(await pay('order_c', 30_000, T0 + 4 * MINUTE));
    await cancel(paid[2], T0 + 5 * MINUTE);
    clock.t = T0 + 6 * MINUTE;
    await request(app)
      .post(`${P}/sessions`)
      .send({ merchant_uid: 'order_d', amount: 5_000, name: 'plan', outcome: 'decline' });
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    db.close();
  });

  it('lists the payments of a status with anything done to them in [from, to], in the requested order', async () => {
    const all = await list('all', { from: T0_S, to: T0_S + 600, sorting: 'started' });
    expect(all.status).toBe(200);
    expect(all.body.code).toBe(0);
    const page = all.body.response as ListPage;
    expect(page).toMatchObject({ total: 4, previous: 0, next: 0 });
    expect(page.list.map((p) => [p.merchant_uid, p.status])).toEqual([
      ['order_a', 'paid'],
      ['order_b', 'paid'],
      ['order_c', 'cancelled'],
      ['order_d', 'failed'],
    ]);
    expect(page.list[0].cancel_history).toEqual([
      expect.objectContaining({ amount: 4_000, cancelled_at: T0_S + 180 }),
    ]);
    const newestFirst = (await list('all', { from: T0_S, to: T0_S + 600 })).body.response as ListPage;
    expect(newestFirst.list.map((p) => p.merchant_uid)).toEqual(['order_d', 'order_c', 'order_b', 'order_a']);
    const cancelled = (await list('cancelled', { from: T0_S, to: T0_S + 600 })).body.response as ListPage;
    expect(cancelled.list.map((p) => p.merchant_uid)).toEqual(['order_c']);
  });

  it('lists a payment made before the range for its cancel inside it; both ends are included', async () => {
    const onlyCancel = (await list('all', { from: T0_S + 180, to: T0_S + 180, sorting: 'started' })).body
      .response as ListPage;
    expect(onlyCancel.list.map((p) => p.merchant_uid)).toEqual(['order_a']);
    const none = (await list('all', { from: T0_S + 181, to: T0_S + 239 })).body.response as ListPage;
    expect(none).toMatchObject({ total: 0, next: 0, list: [] });
  });

  it('pages with page and limit, next 0 on the last page', async () => {
    const query = { from: T0_S, to: T0_S + 600, sorting: 'started', limit: 3 };
    const first = (await list('all', query)).body.response as ListPage;
    expect(first).toMatchObject({ total: 4, previous: 0, next: 2 });
    expect(first.list).toHaveLength(3);
    const second = (await list('all', { ...query, page: 2 })).body.response as ListPage;
    expect(second).toMatchObject({ previous: 1, next: 0 });
    expect(second.list.map((p) => p.merchant_uid)).toEqual(['order_d']);
    expect((await list('all', { ...query, page: 3 })).status).toBe(400);
  });

  it('refuses a missing token, an unknown status, more than 90 days, and bad paging', async () => {
    const noToken = await request(app).get(`${P}/payments/status/all`);
    expect(noToken.status).toBe(401);
    expect(noToken.body.code).toBe(-1);
    expect((await list('paidish', {})).status).toBe(400);
    expect((await list('all', { from: T0_S, to: T0_S + 90 * 86_400 + 1 })).status).toBe(400);
    expect((await list('all', { from: T0_S + 10, to: T0_S })).status).toBe(400);
    expect((await list('all', { limit: 1_001 })).status).toBe(400);
    expect((await list('all', { page: 0 })).status).toBe(400);
    expect((await list('all', { sorting: 'amount' })).status).toBe(400);
  });

  it('the adapter reads every page of the window, [from, to), as approvals and cancels with their ids', async () => {
    const adapter = new PortoneTransactionList({
      baseUrl,
      apiKey: KEY,
      apiSecret: SECRET,
      timeoutMs: 2_000,
      pageSize: 1,
    });
    try {
      const all = await adapter.transactions({ from: T0, to: T0 + 10 * MINUTE });
      const sorted = [...all].sort((x, y) => x.at - y.at);
      expect(sorted.map((t) => [t.kind, t.pgPaymentId, t.orderId, t.amount, t.at])).toEqual([
        ['approval', paid[0], 'order_a', 10_000, T0 + MINUTE],
        ['approval', paid[1], 'order_b', 20_000, T0 + 2 * MINUTE],
        ['cancel', paid[0], 'order_a', 4_000, T0 + 3 * MINUTE],
        ['approval', paid[2], 'order_c', 30_000, T0 + 4 * MINUTE],
        ['cancel', paid[2], 'order_c', 30_000, T0 + 5 * MINUTE],
      ]);
      const a = (await list('all', { from: T0_S, to: T0_S + 600, sorting: 'started' })).body
        .response as ListPage;
      expect(sorted[2].transactionId).toBe(a.list[0].cancel_history[0].cancellation_id);
      expect(sorted[0].transactionId).toBe(paid[0]);
      // `to` excluded: the approval at T0 + 4 min is out, the cancel of a at T0 + 3 min in.
      const edge = await adapter.transactions({ from: T0 + 2 * MINUTE, to: T0 + 4 * MINUTE });
      expect(edge.map((t) => t.at).sort()).toEqual([T0 + 2 * MINUTE, T0 + 3 * MINUTE]);
    } finally {
      adapter.close();
    }
  });

  it('the adapter says in one error when PortOne refuses the key or does not answer', async () => {
    const window = { from: T0, to: T0 + MINUTE };
    const wrong = new PortoneTransactionList({ baseUrl, apiKey: KEY, apiSecret: 'nope', timeoutMs: 2_000 });
    await expect(wrong.transactions(window)).rejects.toThrow(/PortOne refused our REST API key and secret/);
    await expect(wrong.transactions(window)).rejects.toBeInstanceOf(PgListUnavailableError);
    wrong.close();
    const nobody = new PortoneTransactionList({
      baseUrl: 'http://127.0.0.1:9/sandbox/portone',
      apiKey: KEY,
      apiSecret: SECRET,
      timeoutMs: 2_000,
    });
    await expect(nobody.transactions(window)).rejects.toThrow(/PortOne at http:\/\/127\.0\.0\.1:9/);
    nobody.close();
  });
});
