import http from 'node:http';
import request from 'supertest';
import { fastCommandPath } from '../../src/interfaces/http/routing/fast-command-path';
import { fastPathAlone } from './support/fast-path-alone';
import { PLAN, startApi, type Api, type CreatedOrder } from './support/harness';

/**
 * Ordinary POSTs of the command table (confirm, the Toss webhook) are served before Express
 * (commands/fast-command-path.ts). A trailing slash is not an exact match, so the same request
 * then goes through the Express routes: both must answer byte for byte alike. Every case here
 * leaves the store as it was, so the two answers are to the same question.
 */
describe('the fast command path', () => {
  let api: Api;
  let user: string;
  let other: string;
  let admin: string;
  let paid: { order: CreatedOrder; paymentKey: string };
  let unpaid: CreatedOrder;

  beforeAll(async () => {
    api = await startApi();
    user = await api.token('fast-buyer');
    other = await api.token('fast-other');
    admin = await api.token('fast-admin', 'admin');
    paid = await api.purchase(user, PLAN.BASIC);
    unpaid = await api.order(user, PLAN.PREMIUM);
  });
  afterAll(() => api.close());

  const confirmOf = (order: { orderId: string; amount: number }, paymentKey: string, extra = {}) =>
    JSON.stringify({ provider: 'toss', paymentKey, orderId: order.orderId, amount: order.amount, ...extra });
  const webhook = (orderId: string, paymentKey: string, status: string) =>
    JSON.stringify({ eventType: 'PAYMENT_STATUS_CHANGED', data: { orderId, paymentKey, status } });

  type Case = [name: string, path: string, body: () => string, token: () => string | null];
  const confirm = '/v1/payments/confirm';
  const toss = '/v1/webhooks/toss';
  const cases: Case[] = [
    ['confirm, a refresh of a paid order', confirm, () => confirmOf(paid.order, paid.paymentKey), () => user],
    ['confirm, malformed JSON', confirm, () => '{"provider":', () => user],
    ['confirm, JSON that is not an object', confirm, () => '"toss"', () => user],
    ['confirm, empty body', confirm, () => '', () => user],
    ['confirm, blank body', confirm, () => '  \n ', () => user],
    [
      'confirm, byte-order mark',
      confirm,
      () => `\uFEFF${confirmOf(paid.order, paid.paymentKey)}`,
      () => user,
    ],
    [
      'confirm, wrong types',
      confirm,
      () => '{"provider":"toss","paymentKey":1,"orderId":[],"amount":"9"}',
      () => user,
    ],
    ['confirm, unknown provider', confirm, () => '{"provider":"kakao"}', () => user],
    [
      'confirm, operator object',
      confirm,
      () => '{"provider":"toss","paymentKey":"k","orderId":{"$gt":""},"amount":1}',
      () => user,
    ],
    [
      'confirm, extra field',
      confirm,
      () => confirmOf(paid.order, paid.paymentKey, { userId: 'x' }),
      () => user,
    ],
    [
      'confirm, tampered amount',
      confirm,
      () => confirmOf({ ...unpaid, amount: 1 }, 'tgen_fake_key'),
      () => user,
    ],
    [
      'confirm, unknown order',
      confirm,
      () => confirmOf({ orderId: 'ord_nope', amount: 100 }, 'k1'),
      () => user,
    ],
    ["confirm, another user's order", confirm, () => confirmOf(paid.order, paid.paymentKey), () => other],
    ['confirm, admin', confirm, () => confirmOf(paid.order, paid.paymentKey), () => admin],
    ['confirm, no token', confirm, () => confirmOf(paid.order, paid.paymentKey), () => null],
    [
      'confirm, forged token',
      confirm,
      () => confirmOf(paid.order, paid.paymentKey),
      () => `${user.slice(0, -2)}xx`,
    ],
    ['confirm, malformed and no token', confirm, () => '{', () => null],
    [
      'webhook, an approval already recorded',
      toss,
      () => webhook(paid.order.orderId, paid.paymentKey, 'DONE'),
      () => null,
    ],
    ['webhook, unknown order', toss, () => webhook('ord_unknown', 'k2', 'DONE'), () => null],
    ['webhook, malformed JSON', toss, () => '{"eventType"', () => null],
    ['webhook, neither a change nor a deposit', toss, () => '{"eventType":"X"}', () => null],
  ];

  it.each(cases)('%s: answers as the Express route does', async (_name, path, body, token) => {
    const post = (target: string) => {
      const req = api.http().post(target).set('Content-Type', 'application/json');
      const bearer = token();
      return (bearer === null ? req : req.set('Authorization', `Bearer ${bearer}`)).send(body());
    };
    const head = await api.eventHead();
    const fast = await post(path);
    const slow = await post(`${path}/`);
    expect(fast.status).toBe(slow.status);
    expect(fast.headers['content-type']).toBe(slow.headers['content-type']);
    expect(fast.headers['www-authenticate']).toBe(slow.headers['www-authenticate']);
    expect(fast.text).toBe(slow.text);
    expect(await api.eventHead()).toBe(head);
  });

  it('confirms through the fast path: the purchase, then its refresh', async () => {
    const order = await api.order(user, PLAN.EVENT, 5_000);
    const session = await api.tossSession(order);
    const body = JSON.stringify({ provider: 'toss', ...session });
    const send = () =>
      api
        .http()
        .post(confirm)
        .set('Content-Type', 'application/json; charset=utf-8')
        .set('Authorization', `Bearer ${user}`)
        .send(body);
    const first = await send();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ orderId: order.orderId, status: 'APPROVED', amount: 5_000 });
    const again = await send();
    expect(again.text).toBe(first.text);
    expect(await api.tossCalls(order.orderId)).toMatchObject({ confirm: 1 });
  });

  it('serves only ordinary requests of its table and passes the rest on untouched', async () => {
    const { at, port, close } = await fastPathAlone(api, (ctx) => fastCommandPath(ctx, () => {}));
    const json = (req: request.Test) => req.set('Content-Type', 'application/json');
    try {
      // Its own: answered here (no token: 401 once the body has parsed).
      expect((await json(at.post(confirm)).send('{}')).status).toBe(401);
      expect((await json(at.post(confirm)).send('{')).status).toBe(400);
      expect((await json(at.post(toss)).send('{}')).status).toBe(400);
      // Every noun's JSON POSTs are in the table: placing an order is answered here too.
      expect((await json(at.post('/v1/orders')).send('{}')).status).toBe(401);
      // Not its own, or not ordinary: passed on.
      const passed = [
        json(at.post(confirm)).set('Idempotency-Key', 'k-1').send('{}'),
        at.post(confirm).set('Content-Type', 'text/plain').send('{}'),
        at.post(confirm).set('Content-Type', 'application/json; charset=latin1').send('{}'),
        json(at.post(confirm)).set('Content-Encoding', 'gzip').send('{}'),
        json(at.post(confirm)).send(JSON.stringify({ pad: 'x'.repeat(17_000) })),
        json(at.post(`${confirm}?x=1`)).send('{}'),
        json(at.post(`${confirm}/`)).send('{}'),
        at.get(confirm),
        json(at.put(confirm)).send('{}'),
        json(at.post('/v1/webhooks/portone')).send('{}'),
        json(at.post('/v1/nothing-here')).send('{}'),
      ];
      for (const answer of await Promise.all(passed)) expect(answer.status).toBe(418);
      // A chunked body has no declared length: passed on too.
      const chunked = await new Promise<number>((resolve, reject) => {
        const req = http.request({ port, host: '127.0.0.1', method: 'POST', path: confirm }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.setHeader('Content-Type', 'application/json');
        req.write('{');
        req.end('}');
      });
      expect(chunked).toBe(418);
    } finally {
      await close();
    }
  });
});
