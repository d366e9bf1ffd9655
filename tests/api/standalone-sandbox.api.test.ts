import net from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { loadSandboxSettings } from '../../src/infrastructure/config/sandbox-settings';
import { SettingsError } from '../../src/infrastructure/config/settings';
import {
  startStandaloneSandbox,
  type RunningSandbox,
} from '../../src/interfaces/http/sandbox/standalone-sandbox.server';
import { freshDataDir, PLAN, removeDataDir, startApi, type Api } from './support/harness';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The PG sandboxes in their own server (`npm run sandbox`), the service pointed at them through
 * TOSS_API_BASE_URL / PORTONE_API_BASE_URL, as it would be at a real PG.
 */
describe('the service against the standalone PG sandbox', () => {
  let api: Api;
  let pg: RunningSandbox;
  let pgDir: string;
  const atPg = () => request(pg.url);

  beforeAll(async () => {
    const servicePort = await freePort();
    pgDir = freshDataDir();
    pg = await startStandaloneSandbox({
      env: { PORT: '0', DATA_DIR: pgDir, SERVICE_URL: `http://127.0.0.1:${servicePort}` },
      schedulerIntervalMs: 3_600_000,
      log: () => {},
    });
    api = await startApi(undefined, {
      PORT: String(servicePort),
      TOSS_API_BASE_URL: `${pg.url}/sandbox/toss`,
      PORTONE_API_BASE_URL: `${pg.url}/sandbox/portone`,
    });
  });
  afterAll(async () => {
    await api.close();
    await pg.close();
    removeDataDir(pgDir);
  });

  it('confirms a Toss payment made in the standalone window, and its webhook reaches the service', async () => {
    const token = await api.token('standalone-toss');
    const order = await api.order(token, PLAN.BASIC);
    const session = await atPg()
      .post('/sandbox/toss/sessions')
      .send({ orderId: order.orderId, amount: order.amount, orderName: order.orderName });
    expect(session.status).toBe(201);

    const confirmed = await api.confirm(token, {
      provider: 'toss',
      paymentKey: session.body.paymentKey,
      orderId: order.orderId,
      amount: order.amount,
    });

    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({
      orderId: order.orderId,
      status: 'APPROVED',
      amount: order.amount,
    });
    expect((await api.get(token, '/v1/users/me/subscription')).body.status).toBe('ACTIVE');
    // The call went to the standalone PG, not to the sandbox built into the service.
    expect((await atPg().get('/sandbox/toss/calls').query({ orderId: order.orderId })).body.confirm).toBe(1);
    expect((await api.tossCalls(order.orderId)).confirm).toBe(0);

    // Its clock step sends the due PAYMENT_STATUS_CHANGED webhook to SERVICE_URL.
    expect((await atPg().post('/sandbox/clock').send({ advanceMs: 0 })).status).toBe(200);
    const webhooks = await atPg().get('/sandbox/toss/webhooks').query({ orderId: order.orderId });
    expect(webhooks.body.items).toEqual([
      expect.objectContaining({ paymentStatus: 'DONE', status: 'delivered', attempts: 1 }),
    ]);
  });

  it('confirms and fully refunds a PortOne payment through the standalone PG', async () => {
    const token = await api.token('standalone-portone');
    const order = await api.order(token, PLAN.EVENT, 7_000);
    const session = await atPg()
      .post('/sandbox/portone/sessions')
      .send({ merchant_uid: order.orderId, amount: order.amount, name: 'fund' });
    expect(session.status).toBe(201);

    const confirmed = await api.confirm(token, {
      provider: 'portone',
      impUid: session.body.imp_uid,
      orderId: order.orderId,
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'APPROVED', amount: 7_000 });

    const refunded = await api
      .http()
      .post(`/v1/payments/${order.orderId}/refunds`)
      .set('Authorization', `Bearer ${token}`)
      .set('Idempotency-Key', 'standalone-refund-1')
      .send({ reason: 'changed my mind' });
    expect(refunded.status).toBe(201);
    const calls = (await atPg().get('/sandbox/portone/calls').query({ merchant_uid: order.orderId })).body
      .response;
    expect(calls).toMatchObject({ confirm: 1, cancel: 1 });
    expect((await api.get(token, `/v1/payments/${order.orderId}`)).body).toMatchObject({
      status: 'REFUNDED',
      refundedAmount: 7_000,
    });
  });

  it('keeps its state in its own DATA_DIR', () => {
    expect(pg.settings.dataDir).toBe(pgDir);
    expect(path.resolve(pg.settings.dataDir)).not.toBe(path.resolve(api.dataDir));
  });
});

describe('the standalone sandbox settings', () => {
  it('defaults to port 3100 with webhooks to a service on port 3000', () => {
    expect(loadSandboxSettings({})).toMatchObject({
      port: 3100,
      dataDir: './data-pg-sandbox',
      serviceUrl: 'http://127.0.0.1:3000',
    });
  });

  it('refuses a bad port and a non-http service URL, naming both', () => {
    const attempt = () => loadSandboxSettings({ PORT: 'eighty', SERVICE_URL: 'ftp://example.com' });
    expect(attempt).toThrow(SettingsError);
    expect(attempt).toThrow(/PORT: must be a whole number[\s\S]*SERVICE_URL: must be an http/);
  });
});
