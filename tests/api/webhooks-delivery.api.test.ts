import { PLAN, startApi, type Api } from './support/harness';
import { paymentOf, readStream, tossConsoleCancel, tossPaymentAtPg } from './support/pg-helpers';

const SETTLE_MS = 5_000;

/**
 * Webhooks are hints, delivered at least once and in any order: redeliveries are recorded once,
 * stale or forged ones change nothing (the PG is re-asked), unknown orders are ignored.
 */
describe('webhook deliveries', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  /** What Toss sends: PAYMENT_STATUS_CHANGED with the payment object as `data`. */
  async function tossWebhookBody(paymentKey: string, override: Record<string, unknown> = {}) {
    const res = await api
      .http()
      .get(`/sandbox/toss/v1/payments/${paymentKey}`)
      .set('Authorization', api.tossAuthHeader());
    return {
      eventType: 'PAYMENT_STATUS_CHANGED',
      createdAt: '2031-01-01T00:00:00.000000',
      data: { ...res.body, ...override },
    };
  }
  const postToss = (body: unknown, transmissionId?: string) => {
    const req = api.http().post('/v1/webhooks/toss');
    if (transmissionId) req.set('tosspayments-webhook-transmission-id', transmissionId);
    return req.send(body as object);
  };
  /** A paid order whose console cancel has been delivered and acted on. */
  async function refundedAtConsole(userId: string) {
    const token = await api.token(userId);
    const { order, paymentKey } = await api.purchase(token, PLAN.BASIC);
    const doneBody = await tossWebhookBody(paymentKey);
    await tossConsoleCancel(api, paymentKey, { cancelReason: 'console' });
    await api.advanceClock(SETTLE_MS);
    expect((await paymentOf(api, token, order.orderId)).body.status).toBe('REFUNDED');
    return { token, order, paymentKey, doneBody, canceledBody: await tossWebhookBody(paymentKey) };
  }
  const received = async (orderId: string) =>
    (await readStream(api, `pgnotice-${orderId}`)).filter((e) => e.type === 'PgNotificationReceived');

  it('records the same delivery (same transmission id) three times as one, and refunds once', async () => {
    const { token, order, canceledBody } = await refundedAtConsole('dup-transmission');
    const before = await received(order.orderId);

    for (let i = 0; i < 3; i++) expect((await postToss(canceledBody, 'wh_redelivered-1')).status).toBe(200);
    await api.advanceClock(SETTLE_MS);
    const head = await api.eventHead();
    for (let i = 0; i < 2; i++) expect((await postToss(canceledBody, 'wh_redelivered-1')).status).toBe(200);
    await api.advanceClock(SETTLE_MS);

    const after = await received(order.orderId);
    expect(after).toHaveLength(before.length + 1);
    expect(after.filter((e) => e.data.deliveryId === 'toss:wh_redelivered-1')).toHaveLength(1);
    // Redeliveries of an already recorded delivery append nothing at all.
    expect(await api.eventHead()).toBe(head);
    const payment = (await paymentOf(api, token, order.orderId)).body;
    expect(payment.refunds).toHaveLength(1);
    const events = await readStream(api, `payment-${order.orderId}`);
    expect(events.filter((e) => e.type === 'PgCancelRecorded')).toHaveLength(1);
  });

  it('records the same body posted three times without a transmission id once', async () => {
    const { order, canceledBody } = await refundedAtConsole('dup-body');
    const before = await received(order.orderId);

    const answers = await Promise.all([
      postToss(canceledBody),
      postToss(canceledBody),
      postToss(canceledBody),
    ]);

    for (const a of answers) expect(a.status).toBe(200);
    await api.advanceClock(SETTLE_MS);
    expect(await received(order.orderId)).toHaveLength(before.length + 1);
  });

  it('changes nothing when a stale DONE webhook arrives after the CANCELED one', async () => {
    const { token, order, doneBody } = await refundedAtConsole('out-of-order');
    const paymentEvents = (await readStream(api, `payment-${order.orderId}`)).length;
    const subscriptionEvents = (await readStream(api, 'subscription-out-of-order')).length;
    const orderEvents = (await readStream(api, `order-${order.orderId}`)).length;

    expect((await postToss(doneBody, 'wh_late-done')).status).toBe(200);
    await api.advanceClock(SETTLE_MS);

    expect((await paymentOf(api, token, order.orderId)).body).toMatchObject({
      status: 'REFUNDED',
      refundedAmount: 9_900,
    });
    expect((await api.get(token, '/v1/users/me/subscription')).body.status).toBe('REVOKED');
    expect(await readStream(api, `payment-${order.orderId}`)).toHaveLength(paymentEvents);
    expect(await readStream(api, 'subscription-out-of-order')).toHaveLength(subscriptionEvents);
    expect(await readStream(api, `order-${order.orderId}`)).toHaveLength(orderEvents);
  });

  it('believes the PG, not a forged CANCELED webhook for a payment that is still DONE', async () => {
    const token = await api.token('forged');
    const { order, paymentKey } = await api.purchase(token, PLAN.BASIC);
    const forged = await tossWebhookBody(paymentKey, { status: 'CANCELED', balanceAmount: 0 });

    expect((await postToss(forged, 'wh_forged')).status).toBe(200);
    await api.advanceClock(SETTLE_MS);

    expect((await paymentOf(api, token, order.orderId)).body).toMatchObject({
      status: 'APPROVED',
      refunds: [],
    });
    expect((await api.get(token, '/v1/users/me/subscription')).body.status).toBe('ACTIVE');
    expect((await tossPaymentAtPg(api, paymentKey)).status).toBe('DONE');
  });

  it('answers 200 to a webhook for an order we do not know, and records nothing', async () => {
    const head = await api.eventHead();
    const body = {
      eventType: 'PAYMENT_STATUS_CHANGED',
      createdAt: '2031-01-01T00:00:00.000000',
      data: { orderId: 'not-one-of-ours-123456', paymentKey: 'tgen_unknown_1', status: 'DONE' },
    };

    const toss = await postToss(body, 'wh_unknown');
    const portone = await api
      .http()
      .post('/v1/webhooks/portone')
      .send({ imp_uid: 'imp_000000000001', merchant_uid: 'not-one-of-ours-654321', status: 'paid' });

    expect(toss.status).toBe(200);
    expect(portone.status).toBe(200);
    await api.advanceClock(SETTLE_MS);
    expect(await api.eventHead()).toBe(head);
  });

  it.each([
    ['Toss: an empty object', '/v1/webhooks/toss', {}],
    [
      'Toss: data without an orderId',
      '/v1/webhooks/toss',
      { eventType: 'PAYMENT_STATUS_CHANGED', data: { status: 'DONE' } },
    ],
    ['Toss: data that is null', '/v1/webhooks/toss', { eventType: 'PAYMENT_STATUS_CHANGED', data: null }],
    ['Toss: an orderId that is an object', '/v1/webhooks/toss', { orderId: { $gt: '' }, status: 'DONE' }],
    [
      'Toss: an orderId with a path in it',
      '/v1/webhooks/toss',
      { orderId: '../../etc/passwd', status: 'DONE' },
    ],
    ['Toss: a JSON array', '/v1/webhooks/toss', [1, 2, 3]],
    [
      'PortOne: no imp_uid',
      '/v1/webhooks/portone',
      { merchant_uid: 'abcdefghijklmnopqrstu', status: 'paid' },
    ],
    [
      'PortOne: a numeric imp_uid',
      '/v1/webhooks/portone',
      { imp_uid: 12, merchant_uid: 'abcdefghijklmnopqrstu', status: 'paid' },
    ],
    [
      'PortOne: a 300-character merchant_uid',
      '/v1/webhooks/portone',
      { imp_uid: 'imp_1', merchant_uid: 'a'.repeat(300), status: 'paid' },
    ],
  ])('answers 400 problem+json, never 500, to %s', async (_what, path, body) => {
    const head = await api.eventHead();

    const res = await api
      .http()
      .post(path)
      .send(body as object);

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(await api.eventHead()).toBe(head);
  });

  it('answers 400 to a body that is not JSON, and 413 to an oversized one, never 500', async () => {
    const broken = await api
      .http()
      .post('/v1/webhooks/toss')
      .set('Content-Type', 'application/json')
      .send('{"eventType": ');
    const text = await api.http().post('/v1/webhooks/toss').set('Content-Type', 'text/plain').send('DONE');
    const huge = await api
      .http()
      .post('/v1/webhooks/portone')
      .send({
        imp_uid: 'imp_1',
        merchant_uid: 'abcdefghijklmnopqrstu',
        status: 'paid',
        pad: 'x'.repeat(64_000),
      });
    const form = await api
      .http()
      .post('/v1/webhooks/portone')
      .type('form')
      .send('imp_uid=&merchant_uid=%ZZ&status=paid');

    expect(broken.status).toBe(400);
    expect(broken.body.code).toBe('VALIDATION_FAILED');
    expect(text.status).toBeGreaterThanOrEqual(400);
    expect(text.status).toBeLessThan(500);
    expect(huge.status).toBe(413);
    expect(form.status).toBe(400);
    for (const res of [broken, text, huge, form])
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});
