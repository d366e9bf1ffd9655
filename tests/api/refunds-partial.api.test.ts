import { PLAN, startApi, type Api } from './support/harness';
import { paymentOf, refund, sum, tossPaymentAtPg } from './support/pg-helpers';

/** F2 sequentially: partial refunds add up to the paid amount and never past it. */
describe('partial refunds', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('refunds 9,900 as 3,000 + 3,000 + 3,900: PARTIALLY_REFUNDED, then REFUNDED, then nothing more', async () => {
    const token = await api.token('partial-1');
    const { order, paymentKey } = await api.purchase(token, PLAN.BASIC);

    const first = await refund(api, token, order.orderId, { amount: 3_000, reason: 'first part' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ amount: 3_000, status: 'COMPLETED' });
    expect(first.body.payment).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedAmount: 3_000 });
    expect((await paymentOf(api, token, order.orderId)).body.status).toBe('PARTIALLY_REFUNDED');

    const second = await refund(api, token, order.orderId, { amount: 3_000, reason: 'second part' });
    expect(second.status).toBe(201);
    expect(second.body.payment).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedAmount: 6_000 });

    const third = await refund(api, token, order.orderId, { amount: 3_900, reason: 'the rest' });
    expect(third.status).toBe(201);
    expect(third.body.payment).toMatchObject({ status: 'REFUNDED', refundedAmount: 9_900 });

    const fourth = await refund(api, token, order.orderId, { amount: 100, reason: 'one more' });
    expect(fourth.status).toBe(422);
    expect(fourth.body).toMatchObject({ code: 'REFUND_EXCEEDS_BALANCE' });

    const payment = (await paymentOf(api, token, order.orderId)).body;
    expect(payment).toMatchObject({ status: 'REFUNDED', amount: 9_900, refundedAmount: 9_900 });
    const ids = [first, second, third].map((r) => r.body.refundId as string);
    expect(payment.refunds.map((r: { refundId: string }) => r.refundId)).toEqual(ids);
    expect(payment.refunds.map((r: { amount: number }) => r.amount)).toEqual([3_000, 3_000, 3_900]);
    for (const r of payment.refunds)
      expect(r).toMatchObject({ status: 'COMPLETED', completedAt: expect.any(String) });

    // The PG made exactly these three cancels, and no more.
    const atPg = await tossPaymentAtPg(api, paymentKey);
    expect(atPg.status).toBe('CANCELED');
    expect(atPg.balanceAmount).toBe(0);
    expect(atPg.cancels.map((c) => c.cancelAmount)).toEqual([3_000, 3_000, 3_900]);
    expect(atPg.cancels.map((c) => c.cancelReason)).toEqual(['first part', 'second part', 'the rest']);
    expect((await api.tossCalls(order.orderId)).cancel).toBe(3);
  });

  it('lists the refunds in the buyer’s payment history', async () => {
    const token = await api.token('partial-history');
    const { order } = await api.purchase(token, PLAN.EVENT, 20_000);
    await refund(api, token, order.orderId, { amount: 5_000 });
    await refund(api, token, order.orderId, { amount: 7_000 });

    const history = await api.get(token, '/v1/users/me/payments');

    expect(history.status).toBe(200);
    expect(history.body.items).toHaveLength(1);
    const item = history.body.items[0];
    expect(item).toMatchObject({
      orderId: order.orderId,
      status: 'PARTIALLY_REFUNDED',
      refundedAmount: 12_000,
    });
    expect(item.refunds.map((r: { amount: number }) => r.amount)).toEqual([5_000, 7_000]);
    const admin = await api.token('history-admin', 'admin');
    const adminView = await api.get(admin, '/v1/users/partial-history/payments');
    expect(adminView.body.items[0]).toMatchObject({ orderId: order.orderId, refundedAmount: 12_000 });
  });

  it('refunds the whole remaining balance when no amount is given', async () => {
    const token = await api.token('partial-rest');
    const { order, paymentKey } = await api.purchase(token, PLAN.EVENT, 10_000);
    await refund(api, token, order.orderId, { amount: 2_500 });

    const rest = await refund(api, token, order.orderId, { reason: 'everything else' });

    expect(rest.status).toBe(201);
    expect(rest.body).toMatchObject({ amount: 7_500, status: 'COMPLETED' });
    expect(rest.body.payment).toMatchObject({ status: 'REFUNDED', refundedAmount: 10_000 });
    expect((await tossPaymentAtPg(api, paymentKey)).cancels.map((c) => c.cancelAmount)).toEqual([
      2_500, 7_500,
    ]);
  });

  it('refuses a refund larger than the balance without calling the PG', async () => {
    const token = await api.token('partial-over');
    const { order, paymentKey } = await api.purchase(token, PLAN.BASIC);
    await refund(api, token, order.orderId, { amount: 9_000 });

    const over = await refund(api, token, order.orderId, { amount: 901 });

    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({ code: 'REFUND_EXCEEDS_BALANCE' });
    expect((await api.tossCalls(order.orderId)).cancel).toBe(1);
    expect((await tossPaymentAtPg(api, paymentKey)).balanceAmount).toBe(900);
  });

  it.each([
    ['a zero amount', { amount: 0, reason: 'x' }],
    ['a negative amount', { amount: -100, reason: 'x' }],
    ['a fractional amount', { amount: 10.5, reason: 'x' }],
    ['a string amount', { amount: '1000', reason: 'x' }],
    ['no reason', { amount: 1_000 }],
    ['an empty reason', { amount: 1_000, reason: '   ' }],
    ['an unknown field', { amount: 1_000, reason: 'x', userId: 'someone-else' }],
  ])('answers 400 VALIDATION_FAILED to %s, refunding nothing', async (_what, body) => {
    const token = await api.token('partial-bad-input');
    const { order } = await api.purchase(token, PLAN.EVENT, 3_000);

    const res = await api
      .http()
      .post(`/v1/payments/${order.orderId}/refunds`)
      .set('Authorization', `Bearer ${token}`)
      .send(body);

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect((await api.tossCalls(order.orderId)).cancel).toBe(0);
  });

  it('answers 404 PAYMENT_NOT_FOUND for an order that was never paid', async () => {
    const token = await api.token('partial-unpaid');
    const order = await api.order(token, PLAN.BASIC);

    const res = await refund(api, token, order.orderId);

    expect(res.status).toBe(404);
    expect(res.body.code).toBe('PAYMENT_NOT_FOUND');
  });

  it('keeps the refunded total equal to the sum of completed refunds', async () => {
    const token = await api.token('partial-sum');
    const { order, paymentKey } = await api.purchase(token, PLAN.PREMIUM);
    for (const amount of [1_000, 4_900, 10_000]) {
      expect((await refund(api, token, order.orderId, { amount })).status).toBe(201);
    }
    const payment = (await paymentOf(api, token, order.orderId)).body;
    const completed = payment.refunds.filter((r: { status: string }) => r.status === 'COMPLETED');
    expect(payment.refundedAmount).toBe(sum(completed.map((r: { amount: number }) => r.amount)));
    expect(payment.refundedAmount).toBe(15_900);
    expect((await tossPaymentAtPg(api, paymentKey)).balanceAmount).toBe(19_900 - 15_900);
  });
});
