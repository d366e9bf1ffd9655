import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { AUTH, FakeClock, T0, startSandbox, type SandboxHarness } from './toss-sandbox.fixture';

const MIN = 60_000;

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: { eventType: string; createdAt: string; data: { paymentKey: string; status: string } };
}

/** A webhook endpoint that answers `status` and records what it got. */
async function startReceiver() {
  const received: Received[] = [];
  const receiver = { status: 500, received, url: '', server: undefined as unknown as Server };
  const app = express();
  app.post('/hook', express.json(), (req, res) => {
    received.push({ headers: req.headers, body: req.body });
    res.status(receiver.status).end();
  });
  receiver.server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/hook`;
  return receiver;
}

let h: SandboxHarness;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeEach(async () => {
  receiver = await startReceiver();
  h = await startSandbox({ webhookUrl: () => receiver.url });
});
afterEach(async () => {
  await h.close();
  receiver.server.closeAllConnections();
  await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
});

const approve = async () => {
  const s = await h.session();
  const res = await h.http.post('/sandbox/toss/v1/payments/confirm').set('Authorization', AUTH).send(s);
  expect(res.status).toBe(200);
  return s;
};

describe('webhook outbox', () => {
  it('delivers a PAYMENT_STATUS_CHANGED webhook, due at once, with the Toss headers and body', async () => {
    receiver.status = 200;
    const s = await approve();
    expect(await h.sandbox.webhooks.nextDueAt()).toBe(T0);
    await h.sandbox.webhooks.runDue(T0);
    expect(receiver.received).toHaveLength(1);
    const [got] = receiver.received;
    expect(got?.body).toMatchObject({
      eventType: 'PAYMENT_STATUS_CHANGED',
      data: { paymentKey: s.paymentKey, status: 'DONE' },
    });
    expect(got?.body.createdAt).toBe('2025-03-01T09:00:00.000000');
    expect(got?.headers['tosspayments-webhook-transmission-retried-count']).toBe('0');
    expect(got?.headers['tosspayments-webhook-transmission-id']).toMatch(/^wh_/);
    expect(got?.headers['tosspayments-webhook-transmission-time']).toBe('2025-03-01T09:00:00.000000');
    expect(h.sandbox.webhooks.list()).toEqual([
      expect.objectContaining({ status: 'delivered', attempts: 1 }),
    ]);
    expect(await h.sandbox.webhooks.nextDueAt()).toBeNull();
  });

  it('retries at 1, 4, 16, 64, 256, 1024 and 4096 minute intervals, then gives up', async () => {
    await approve();
    const intervals = [1, 4, 16, 64, 256, 1024, 4096];
    let due = T0;
    await h.sandbox.webhooks.runDue(due);
    for (const minutes of intervals) {
      due += minutes * MIN;
      expect(await h.sandbox.webhooks.nextDueAt()).toBe(due);
      await h.sandbox.webhooks.runDue(due - 1); // not yet due: nothing is sent
      expect(receiver.received).toHaveLength(intervals.indexOf(minutes) + 1);
      await h.sandbox.webhooks.runDue(due);
    }
    expect(due - T0).toBe(5461 * MIN); // the last retry about 3 days 19 h after the first send
    expect(
      receiver.received.map((r) => r.headers['tosspayments-webhook-transmission-retried-count']),
    ).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    expect(
      new Set(receiver.received.map((r) => r.headers['tosspayments-webhook-transmission-id'])).size,
    ).toBe(1);
    expect(h.sandbox.webhooks.list()).toEqual([
      expect.objectContaining({ status: 'failed', attempts: 8, nextDueAt: null }),
    ]);
    expect(await h.sandbox.webhooks.nextDueAt()).toBeNull();
  });

  it('stops retrying once the receiver answers 200', async () => {
    await approve();
    await h.sandbox.webhooks.runDue(T0);
    receiver.status = 200;
    await h.sandbox.webhooks.runDue(T0 + MIN);
    await h.sandbox.webhooks.runDue(T0 + 10_000 * MIN);
    expect(receiver.received).toHaveLength(2);
    expect((await h.http.get('/sandbox/toss/webhooks')).body.items).toEqual([
      expect.objectContaining({ status: 'delivered', attempts: 2, paymentStatus: 'DONE' }),
    ]);
  });

  it('expires a lapsed session as a due job and sends its EXPIRED webhook', async () => {
    receiver.status = 200;
    const s = await h.session();
    expect(await h.sandbox.webhooks.nextDueAt()).toBe(T0 + 10 * MIN + 1);
    await h.sandbox.webhooks.runDue(T0 + 10 * MIN);
    expect(receiver.received).toHaveLength(0);
    await h.sandbox.webhooks.runDue(T0 + 10 * MIN + 1);
    expect(receiver.received.map((r) => r.body.data)).toEqual([
      expect.objectContaining({ paymentKey: s.paymentKey, status: 'EXPIRED' }),
    ]);
  });

  it('counts a delivery without a registered URL as a failed attempt', async () => {
    await h.close();
    h = await startSandbox({ webhookUrl: () => null });
    await approve();
    await h.sandbox.webhooks.runDue(T0);
    expect(h.sandbox.webhooks.list()).toEqual([
      expect.objectContaining({
        status: 'pending',
        attempts: 1,
        nextDueAt: T0 + MIN,
        lastResult: 'no webhook URL',
      }),
    ]);
  });
});

describe('persistence', () => {
  it('keeps payments, idempotent answers and webhooks across re-creating the sandbox on the same file', async () => {
    const s = await h.session();
    const first = await h.http
      .post('/sandbox/toss/v1/payments/confirm')
      .set('Authorization', AUTH)
      .set('Idempotency-Key', 'persisted')
      .send(s);
    await h.close();

    h = await startSandbox({
      dbPath: h.dbPath,
      clock: new FakeClock(T0 + 5 * MIN),
      webhookUrl: () => receiver.url,
    });
    const byOrder = await h.http
      .get(`/sandbox/toss/v1/payments/orders/${s.orderId}`)
      .set('Authorization', AUTH);
    expect(byOrder.body).toEqual(first.body);
    const replay = await h.http
      .post('/sandbox/toss/v1/payments/confirm')
      .set('Authorization', AUTH)
      .set('Idempotency-Key', 'persisted')
      .send(s);
    expect([replay.status, replay.body.lastTransactionKey]).toEqual([200, first.body.lastTransactionKey]);
    expect(h.sandbox.webhooks.list()).toEqual([
      expect.objectContaining({ paymentKey: s.paymentKey, status: 'pending' }),
    ]);
    expect(h.sandbox.callCounts(s.orderId)).toEqual({ confirm: 2, lookup: 1, cancel: 0 });
  });
});
