import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import express from 'express';
import request from 'supertest';
import { FaultRegistry } from '../../src/infrastructure/pg-sandbox/fault-registry';
import {
  createPortoneSandbox,
  type PortoneSandbox,
} from '../../src/infrastructure/pg-sandbox/portone/portone-sandbox';

const START = Date.parse('2025-03-01T00:00:00.000Z');
const START_S = START / 1000;
const KEY = 'test_imp_key';
const SECRET = 'test_imp_secret';

class FakeClock {
  constructor(public t = START) {}
  now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

interface Harness {
  app: express.Express;
  clock: FakeClock;
  faults: FaultRegistry;
  sandbox: PortoneSandbox;
  db: Database.Database;
  setWebhookUrl(url: string | null): void;
}

function harness(db = new Database(':memory:'), clock = new FakeClock()): Harness {
  const faults = new FaultRegistry();
  let webhookUrl: string | null = null;
  const sandbox = createPortoneSandbox({
    db,
    clock,
    faults,
    apiKey: KEY,
    apiSecret: SECRET,
    webhookUrl: () => webhookUrl,
  });
  const app = express();
  app.use('/sandbox/portone', sandbox.router);
  return { app, clock, faults, sandbox, db, setWebhookUrl: (url) => (webhookUrl = url) };
}

const P = '/sandbox/portone';

async function getToken(
  app: express.Express,
): Promise<{ access_token: string; now: number; expired_at: number }> {
  const res = await request(app)
    .post(`${P}/users/getToken`)
    .send({ imp_key: KEY, imp_secret: SECRET })
    .expect(200);
  return res.body.response;
}

async function pay(
  app: express.Express,
  body: Record<string, unknown> = {},
): Promise<{ imp_uid: string; merchant_uid: string; status: string; fail_reason: string | null }> {
  const res = await request(app)
    .post(`${P}/sessions`)
    .send({ merchant_uid: 'order_1', amount: 9900, name: '월간 베이직', ...body })
    .expect(201);
  return res.body.response;
}

async function webhooks(app: express.Express): Promise<Array<Record<string, unknown>>> {
  return (await request(app).get(`${P}/webhooks`).expect(200)).body.response;
}

describe('PortOne sandbox: tokens', () => {
  it('issues a 40-hex token for 30 minutes from the service clock, from JSON or a form', async () => {
    const { app } = harness();
    const res = await request(app)
      .post(`${P}/users/getToken`)
      .send({ imp_key: KEY, imp_secret: SECRET })
      .expect(200);
    expect(res.body).toMatchObject({ code: 0, message: null });
    expect(res.body.response.access_token).toMatch(/^[0-9a-f]{40}$/);
    expect(res.body.response.now).toBe(START_S);
    expect(res.body.response.expired_at).toBe(START_S + 1800);
    const form = await request(app)
      .post(`${P}/users/getToken`)
      .type('form')
      .send(`imp_key=${KEY}&imp_secret=${SECRET}`)
      .expect(200);
    expect(form.body.response.access_token).toBe(res.body.response.access_token);
  });

  it('refuses wrong credentials with a 401 envelope', async () => {
    const { app } = harness();
    const res = await request(app)
      .post(`${P}/users/getToken`)
      .send({ imp_key: KEY, imp_secret: 'nope' })
      .expect(401);
    expect(res.body).toMatchObject({ code: -1, response: null });
  });

  it('returns the same token and expiry before expiry, extends it by 5 minutes in the last minute, then issues a new one', async () => {
    const { app, clock } = harness();
    const first = await getToken(app);
    clock.advance(20 * 60_000);
    expect(await getToken(app)).toMatchObject({
      access_token: first.access_token,
      expired_at: first.expired_at,
    });
    clock.t = (first.expired_at - 30) * 1000;
    const extended = await getToken(app);
    expect(extended).toMatchObject({ access_token: first.access_token, expired_at: first.expired_at + 300 });
    clock.t = (first.expired_at + 300) * 1000;
    const fresh = await getToken(app);
    expect(fresh.access_token).not.toBe(first.access_token);
    expect(fresh.expired_at).toBe(first.expired_at + 300 + 1800);
  });

  it('requires an unexpired token on the API, as Bearer, bare in Authorization, or X-ImpTokenHeader', async () => {
    const { app, clock } = harness();
    const { imp_uid } = await pay(app);
    await request(app).get(`${P}/payments/${imp_uid}`).expect(401);
    await request(app).get(`${P}/payments/${imp_uid}`).set('Authorization', 'Bearer not-a-token').expect(401);
    const { access_token } = await getToken(app);
    await request(app)
      .get(`${P}/payments/${imp_uid}`)
      .set('Authorization', `Bearer ${access_token}`)
      .expect(200);
    await request(app).get(`${P}/payments/${imp_uid}`).set('X-ImpTokenHeader', access_token).expect(200);
    // Bare, as PortOne's own `iamport` client sends it; another scheme carries no token.
    await request(app).get(`${P}/payments/${imp_uid}`).set('Authorization', access_token).expect(200);
    await request(app).get(`${P}/payments/${imp_uid}`).set('Authorization', 'not-a-token').expect(401);
    await request(app)
      .get(`${P}/payments/${imp_uid}`)
      .set('Authorization', `Basic ${access_token}`)
      .expect(401);
    clock.advance(30 * 60_000);
    const expired = await request(app)
      .get(`${P}/payments/${imp_uid}`)
      .set('Authorization', `Bearer ${access_token}`);
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe(-1);
  });
});

describe('PortOne sandbox: sessions and lookups', () => {
  it('creates a paid card payment at the service clock with PortOne fields', async () => {
    const { app } = harness();
    const session = await pay(app, { card_code: '381' });
    expect(session).toEqual({
      imp_uid: expect.stringMatching(/^imp_\d{12}$/),
      merchant_uid: 'order_1',
      status: 'paid',
      fail_reason: null,
    });
    const { access_token } = await getToken(app);
    const res = await request(app)
      .get(`${P}/payments/${session.imp_uid}`)
      .set('Authorization', `Bearer ${access_token}`);
    expect(res.body.code).toBe(0);
    expect(res.body.response).toMatchObject({
      imp_uid: session.imp_uid,
      merchant_uid: 'order_1',
      pay_method: 'card',
      amount: 9900,
      cancel_amount: 0,
      currency: 'KRW',
      status: 'paid',
      card_code: '381',
      card_name: 'KB국민카드',
      paid_at: START_S,
      started_at: START_S,
      failed_at: 0,
      cancelled_at: 0,
      cancel_history: [],
    });
  });

  it('answers 404 "유효하지 않은 imp_uid" for an unknown imp_uid', async () => {
    const { app } = harness();
    const { access_token } = await getToken(app);
    const res = await request(app)
      .get(`${P}/payments/imp_000000000000`)
      .set('Authorization', `Bearer ${access_token}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: -1, message: '유효하지 않은 imp_uid', response: null });
  });

  it('finds the latest attempt for a merchant_uid, optionally of one status', async () => {
    const { app, clock } = harness();
    const declined = await pay(app, { outcome: 'decline' });
    // The buyer's window shows why (IMP.request_pay's error_msg).
    expect(declined.fail_reason).toEqual(expect.any(String));
    clock.advance(60_000);
    const paid = await pay(app);
    const auth = { Authorization: `Bearer ${(await getToken(app)).access_token}` };
    const latest = await request(app).get(`${P}/payments/find/order_1`).set(auth).expect(200);
    expect(latest.body.response.imp_uid).toBe(paid.imp_uid);
    const failed = await request(app).get(`${P}/payments/find/order_1/failed`).set(auth).expect(200);
    expect(failed.body.response).toMatchObject({ imp_uid: declined.imp_uid, status: 'failed', paid_at: 0 });
    expect(failed.body.response.fail_reason).toEqual(expect.any(String));
    await request(app).get(`${P}/payments/find/order_1/cancelled`).set(auth).expect(404);
    await request(app).get(`${P}/payments/find/nobody`).set(auth).expect(404);
    await request(app).get(`${P}/payments/find/order_1/bogus`).set(auth).expect(400);
  });

  it('rejects malformed input with a 400 envelope', async () => {
    const { app } = harness();
    const bad = await request(app).post(`${P}/sessions`).send({ merchant_uid: 'o', amount: -5, name: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe(-1);
    const garbled = await request(app)
      .post(`${P}/sessions`)
      .set('Content-Type', 'application/json')
      .send('{"a":');
    expect(garbled.status).toBe(400);
    expect(garbled.body).toMatchObject({ code: -1, response: null });
  });
});

describe('PortOne sandbox: cancel', () => {
  async function setup() {
    const h = harness();
    const { imp_uid } = await pay(h.app, { amount: 10_000 });
    const auth = { Authorization: `Bearer ${(await getToken(h.app)).access_token}` };
    const cancel = (body: Record<string, unknown>) =>
      request(h.app).post(`${P}/payments/cancel`).set(auth).send(body);
    const lookup = async () => (await request(h.app).get(`${P}/payments/${imp_uid}`).set(auth)).body.response;
    return { ...h, imp_uid, cancel, lookup };
  }

  it('cancels partially (still paid), then fully (cancelled), each with its own pg_tid', async () => {
    const { imp_uid, cancel, clock } = await setup();
    const partial = await cancel({ imp_uid, amount: 3000, checksum: 10_000, reason: '부분 환불' }).expect(
      200,
    );
    expect(partial.body.code).toBe(0);
    expect(partial.body.response).toMatchObject({
      status: 'paid',
      cancel_amount: 3000,
      cancelled_at: START_S,
    });
    clock.advance(60_000);
    const rest = await cancel({ imp_uid, checksum: 7000, reason: '나머지' }).expect(200);
    expect(rest.body.response).toMatchObject({ status: 'cancelled', cancel_amount: 10_000 });
    const history = rest.body.response.cancel_history as Array<{
      pg_tid: string;
      amount: number;
      cancelled_at: number;
    }>;
    expect(history.map((h) => [h.amount, h.cancelled_at])).toEqual([
      [3000, START_S],
      [7000, START_S + 60],
    ]);
    expect(new Set(history.map((h) => h.pg_tid)).size).toBe(2);
    const again = await cancel({ imp_uid, reason: 'again' }).expect(200);
    expect(again.body).toMatchObject({ code: 1, message: '이미 전액취소된 주문입니다.', response: null });
  });

  it('stores the cancel reason exactly as sent (the gateway carries its key in it), JSON or form', async () => {
    const { imp_uid, cancel, lookup, app } = await setup();
    const sent = ['  고객 요청 [ll-refund-order_1-r1]', '사유\n두 줄 [x] [ll-refund-order_1-r2] '];
    await cancel({ imp_uid, amount: 1000, reason: sent[0] }).expect(200);
    await cancel({ imp_uid, amount: 1000, reason: sent[1] }).expect(200);
    const token = (await getToken(app)).access_token;
    await request(app)
      .post(`${P}/payments/cancel`)
      .set('Authorization', `Bearer ${token}`)
      .type('form')
      .send({ imp_uid, amount: '1000', reason: 'form & 사유 [ll-refund-order_1-r3]' })
      .expect(200);
    const history = (await lookup()).cancel_history as Array<{ reason: string }>;
    expect(history.map((h) => h.reason)).toEqual([...sent, 'form & 사유 [ll-refund-order_1-r3]']);
  });

  it('answers a cancel of a fully cancelled payment with HTTP 200, code 1, whatever the checksum', async () => {
    const { imp_uid, cancel } = await setup();
    await cancel({ imp_uid, checksum: 10_000, reason: 'void' }).expect(200);
    for (const body of [
      { imp_uid, checksum: 10_000, reason: 'void again' },
      { imp_uid, amount: 1000, checksum: 0, reason: 'partial' },
      { imp_uid, reason: 'no checksum' },
    ]) {
      const again = await cancel(body).expect(200);
      expect(again.body).toEqual({ code: 1, message: '이미 전액취소된 주문입니다.', response: null });
    }
  });

  it('does not execute on a checksum mismatch or an amount over the balance', async () => {
    const { imp_uid, cancel, lookup } = await setup();
    const mismatch = await cancel({ imp_uid, amount: 1000, checksum: 9000, reason: 'x' }).expect(200);
    expect(mismatch.body.code).toBe(1);
    expect(mismatch.body.message).toEqual(expect.any(String));
    const over = await cancel({ imp_uid, amount: 10_001, reason: 'x' }).expect(200);
    expect(over.body.code).toBe(1);
    expect(await lookup()).toMatchObject({ status: 'paid', cancel_amount: 0, cancel_history: [] });
  });

  it('refuses an unknown payment with code 1', async () => {
    const { cancel } = await setup();
    const res = await cancel({ imp_uid: 'imp_999999999999', reason: 'x' }).expect(200);
    expect(res.body).toMatchObject({ code: 1, message: '취소할 결제건이 존재하지 않습니다.' });
  });

  it('finds the payment by merchant_uid, but imp_uid wins when both are given', async () => {
    const { imp_uid, cancel, app } = await setup();
    const other = await pay(app, { merchant_uid: 'order_2', amount: 500 });
    const both = await cancel({ imp_uid: other.imp_uid, merchant_uid: 'order_1', reason: 'x' }).expect(200);
    expect(both.body.response).toMatchObject({ imp_uid: other.imp_uid, status: 'cancelled' });
    const byMerchant = await cancel({ merchant_uid: 'order_1', amount: 100, reason: 'x' }).expect(200);
    expect(byMerchant.body.response).toMatchObject({ imp_uid, cancel_amount: 100 });
  });

  it('accepts a form-encoded cancel and rejects one naming no payment with 400', async () => {
    const { imp_uid, app, cancel } = await setup();
    const token = (await getToken(app)).access_token;
    const form = await request(app)
      .post(`${P}/payments/cancel`)
      .set('Authorization', `Bearer ${token}`)
      .type('form')
      .send(`imp_uid=${imp_uid}&amount=2500&checksum=10000&reason=form`)
      .expect(200);
    expect(form.body.response.cancel_amount).toBe(2500);
    await cancel({ reason: 'no target' }).expect(400);
    await cancel({ imp_uid, amount: 'lots', reason: 'x' }).expect(400);
  });
});

describe('PortOne sandbox: faults', () => {
  it('http500 answers 500 once without applying; the next call is normal', async () => {
    const { app, faults } = harness();
    const { imp_uid } = await pay(app);
    const auth = { Authorization: `Bearer ${(await getToken(app)).access_token}` };
    faults.add('portone', 'cancel', 'http500', 1);
    const failed = await request(app).post(`${P}/payments/cancel`).set(auth).send({ imp_uid, reason: 'x' });
    expect(failed.status).toBe(500);
    expect(failed.body.code).toBe(-1);
    const lookup = await request(app).get(`${P}/payments/${imp_uid}`).set(auth).expect(200);
    expect(lookup.body.response.cancel_amount).toBe(0);
    await request(app).post(`${P}/payments/cancel`).set(auth).send({ imp_uid, reason: 'x' }).expect(200);
  });

  it('timeout holds the request without applying; approve-then-timeout applies the cancel and holds', async () => {
    const { app, faults } = harness();
    const { imp_uid } = await pay(app, { amount: 10_000 });
    const auth = { Authorization: `Bearer ${(await getToken(app)).access_token}` };
    const send = (body: object) =>
      request(app).post(`${P}/payments/cancel`).set(auth).send(body).timeout(300);
    faults.add('portone', 'cancel', 'timeout', 1);
    await expect(send({ imp_uid, amount: 1000, reason: 'x' })).rejects.toMatchObject({ timeout: 300 });
    faults.add('portone', 'cancel', 'approve-then-timeout', 1);
    await expect(send({ imp_uid, amount: 2000, reason: 'y' })).rejects.toMatchObject({ timeout: 300 });
    const lookup = await request(app).get(`${P}/payments/${imp_uid}`).set(auth).expect(200);
    expect(lookup.body.response).toMatchObject({ cancel_amount: 2000, status: 'paid' });
  });

  it('a token fault holds getToken; decline refuses a cancel and fails a confirm lookup without storing it', async () => {
    const { app, faults } = harness();
    const { imp_uid } = await pay(app);
    faults.add('portone', 'token', 'timeout', 1);
    await expect(
      request(app).post(`${P}/users/getToken`).send({ imp_key: KEY, imp_secret: SECRET }).timeout(300),
    ).rejects.toMatchObject({ timeout: 300 });
    const auth = { Authorization: `Bearer ${(await getToken(app)).access_token}` };
    faults.add('portone', 'cancel', 'decline', 1);
    const refused = await request(app)
      .post(`${P}/payments/cancel`)
      .set(auth)
      .send({ imp_uid, reason: 'x' })
      .expect(200);
    expect(refused.body.code).toBe(1);
    faults.add('portone', 'confirm', 'decline', 1);
    const declined = await request(app).get(`${P}/payments/${imp_uid}`).set(auth).expect(200);
    expect(declined.body.response).toMatchObject({
      status: 'failed',
      paid_at: 0,
      fail_reason: expect.any(String),
    });
    const stored = await request(app).get(`${P}/payments/${imp_uid}`).set(auth).expect(200);
    expect(stored.body.response).toMatchObject({ status: 'paid', cancel_amount: 0 });
  });
});

describe('PortOne sandbox: webhooks and call counters', () => {
  it('queues paid on an approved session and cancelled on a console cancel, not on a failure, a ready session or a plain API cancel', async () => {
    const { app, sandbox } = harness();
    await pay(app, { outcome: 'decline' });
    expect(await pay(app, { outcome: 'ready' })).toMatchObject({ status: 'ready' });
    const { imp_uid } = await pay(app, { amount: 5000 });
    const auth = { Authorization: `Bearer ${(await getToken(app)).access_token}` };
    await request(app)
      .post(`${P}/payments/cancel`)
      .set(auth)
      .send({ imp_uid, amount: 1000, reason: 'api' })
      .expect(200);
    const consoleRes = await request(app)
      .post(`${P}/console/payments/${imp_uid}/cancel`)
      .send({ reason: '콘솔 취소', amount: 1000 })
      .expect(200);
    expect(consoleRes.body.response.cancel_amount).toBe(2000);
    await request(app)
      .post(`${P}/payments/cancel`)
      .set(auth)
      .send({ imp_uid, reason: 'hook', enable_webhook: true });
    const list = await webhooks(app);
    expect(list.map((w) => [w.imp_uid, w.status, w.state, w.next_attempt_at])).toEqual([
      [imp_uid, 'paid', 'pending', START],
      [imp_uid, 'cancelled', 'pending', START],
      [imp_uid, 'cancelled', 'pending', START],
    ]);
    expect(list[1]?.cancellation_id).toEqual(expect.any(String));
    expect(await sandbox.webhooks.nextDueAt()).toBe(START);
    await request(app)
      .post(`${P}/console/payments/imp_000000000001/cancel`)
      .send({ reason: 'x' })
      .expect(404);
  });

  it('counts calls per operation and per merchant_uid, until reset', async () => {
    const { app, sandbox } = harness();
    const a = await pay(app, { merchant_uid: 'order_a' });
    await pay(app, { merchant_uid: 'order_b' });
    const auth = { Authorization: `Bearer ${(await getToken(app)).access_token}` };
    await request(app).get(`${P}/payments/${a.imp_uid}`).set(auth);
    await request(app).get(`${P}/payments/${a.imp_uid}`); // unauthenticated: still a call
    await request(app).get(`${P}/payments/find/order_b`).set(auth);
    await request(app).post(`${P}/payments/cancel`).set(auth).send({ imp_uid: a.imp_uid, reason: 'x' });
    const all = await request(app).get(`${P}/calls`).expect(200);
    expect(all.body.response).toEqual({ token: 1, confirm: 2, lookup: 1, cancel: 1 });
    const forA = await request(app).get(`${P}/calls`).query({ merchant_uid: 'order_a' }).expect(200);
    expect(forA.body.response).toEqual({ token: 0, confirm: 2, lookup: 0, cancel: 1 });
    expect(sandbox.callCounts('order_b')).toEqual({ token: 0, confirm: 0, lookup: 1, cancel: 0 });
    await request(app).delete(`${P}/calls`).expect(200);
    expect(sandbox.callCounts()).toEqual({ token: 0, confirm: 0, lookup: 0, cancel: 0 });
  });
});

describe('PortOne sandbox: webhook outbox', () => {
  let received: Array<{ body: unknown }> = [];
  let answers: number[] = [];
  let receiver: http.Server;
  let receiverUrl: string;

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', () => {
        received.push({ body: JSON.parse(raw) });
        res.statusCode = answers.shift() ?? 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
  beforeEach(() => {
    received = [];
    answers = [];
  });

  it('delivers the payload when due and not before', async () => {
    const { app, sandbox, setWebhookUrl } = harness();
    setWebhookUrl(receiverUrl);
    const { imp_uid } = await pay(app);
    await sandbox.webhooks.runDue(START - 1);
    expect(received).toHaveLength(0);
    await sandbox.webhooks.runDue(START);
    expect(received.map((r) => r.body)).toEqual([{ imp_uid, merchant_uid: 'order_1', status: 'paid' }]);
    expect(await sandbox.webhooks.nextDueAt()).toBeNull();
    expect((await webhooks(app))[0]).toMatchObject({ state: 'delivered', attempts: 1, delivered_at: START });
  });

  it('retries a 5xx at 1-minute intervals, 5 times at most, then gives up', async () => {
    const { app, sandbox, setWebhookUrl } = harness();
    setWebhookUrl(receiverUrl);
    await pay(app);
    answers = [503, 503, 503, 503, 503, 503, 503];
    const dueTimes: number[] = [];
    for (
      let due = await sandbox.webhooks.nextDueAt();
      due !== null;
      due = await sandbox.webhooks.nextDueAt()
    ) {
      dueTimes.push(due);
      await sandbox.webhooks.runDue(due);
    }
    expect(dueTimes).toEqual([0, 1, 2, 3, 4, 5].map((i) => START + i * 60_000));
    expect(received).toHaveLength(6);
    expect((await webhooks(app))[0]).toMatchObject({ state: 'failed', attempts: 6 });
  });

  it('retries after a network error and stops at the first success', async () => {
    const { app, sandbox, setWebhookUrl } = harness();
    setWebhookUrl('http://127.0.0.1:1/unreachable');
    await pay(app);
    await sandbox.webhooks.runDue(START);
    expect(await sandbox.webhooks.nextDueAt()).toBe(START + 60_000);
    setWebhookUrl(receiverUrl);
    answers = [500];
    await sandbox.webhooks.runDue(START + 60_000);
    await sandbox.webhooks.runDue(START + 120_000);
    expect(received).toHaveLength(2);
    expect((await webhooks(app))[0]).toMatchObject({
      state: 'delivered',
      attempts: 3,
      delivered_at: START + 120_000,
    });
    expect(await sandbox.webhooks.nextDueAt()).toBeNull();
  });

  it("sends a payment's webhooks, its cancel's too, to the notice_url it was paid with, not the console's", async () => {
    const { app, sandbox, setWebhookUrl } = harness();
    setWebhookUrl('http://127.0.0.1:1/console-url');
    const { imp_uid } = await pay(app, { notice_url: `${receiverUrl}?for=order_1` });
    await pay(app, { merchant_uid: 'order_2' });
    await request(app)
      .post(`${P}/console/payments/${imp_uid}/cancel`)
      .send({ reason: 'console' })
      .expect(200);
    await sandbox.webhooks.runDue(START);
    expect(received.map((r) => r.body)).toEqual([
      { imp_uid, merchant_uid: 'order_1', status: 'paid' },
      expect.objectContaining({ imp_uid, merchant_uid: 'order_1', status: 'cancelled' }),
    ]);
    const list = await webhooks(app);
    expect(list.map((w) => [w.merchant_uid, w.state, w.url])).toEqual([
      ['order_1', 'delivered', `${receiverUrl}?for=order_1`],
      ['order_2', 'pending', 'http://127.0.0.1:1/console-url'],
      ['order_1', 'delivered', `${receiverUrl}?for=order_1`],
    ]);
  });

  it('refuses a notice_url that is not an http(s) URL, creating no payment', async () => {
    const { app } = harness();
    for (const notice_url of ['ftp://example.com/hook', 'not a url', 42]) {
      const res = await request(app)
        .post(`${P}/sessions`)
        .send({ merchant_uid: 'order_1', amount: 9900, name: '월간 베이직', notice_url })
        .expect(400);
      expect(res.body.code).toBe(-1);
    }
    const { access_token } = await getToken(app);
    await request(app).get(`${P}/payments/find/order_1`).set('X-ImpTokenHeader', access_token).expect(404);
    expect(await webhooks(app)).toEqual([]);
  });

  it('does not retry a 4xx, and skips deliveries when no URL is configured', async () => {
    const { app, sandbox, setWebhookUrl } = harness();
    setWebhookUrl(receiverUrl);
    answers = [400];
    await pay(app);
    await sandbox.webhooks.runDue(START);
    setWebhookUrl(null);
    await pay(app, { merchant_uid: 'order_2' });
    await sandbox.webhooks.runDue(START);
    expect((await webhooks(app)).map((w) => w.state)).toEqual(['failed', 'skipped']);
    expect(await sandbox.webhooks.nextDueAt()).toBeNull();
  });
});

describe('PortOne sandbox: persistence', () => {
  it('keeps payments, tokens, cancels, counters and pending webhooks across a restart on the same file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portone-sandbox-'));
    const file = path.join(dir, 'sandbox.db');
    try {
      const clock = new FakeClock();
      const first = harness(new Database(file), clock);
      const { imp_uid } = await pay(first.app);
      const { access_token } = await getToken(first.app);
      await request(first.app)
        .post(`${P}/payments/cancel`)
        .set('Authorization', `Bearer ${access_token}`)
        .send({ imp_uid, amount: 900, reason: 'x' })
        .expect(200);
      first.db.close();

      const second = harness(new Database(file), clock);
      const res = await request(second.app)
        .get(`${P}/payments/${imp_uid}`)
        .set('Authorization', `Bearer ${access_token}`)
        .expect(200);
      expect(res.body.response).toMatchObject({ status: 'paid', cancel_amount: 900 });
      expect(res.body.response.cancel_history).toHaveLength(1);
      expect((await getToken(second.app)).access_token).toBe(access_token);
      expect(await second.sandbox.webhooks.nextDueAt()).toBe(START);
      const calls = await request(second.app).get(`${P}/calls`).expect(200);
      expect(calls.body.response).toMatchObject({ token: 2, confirm: 1, cancel: 1 });
      second.db.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
