import { PLAN, startApi, type Api } from './support/harness';

/** A purchase end to end: order → Toss window → confirm → the reads that follow it. */
describe('a subscription purchase through the API', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
    // Jan 31 noon in Seoul: one month later is clamped to Feb 28 (S1 + S4).
    await api.setClock('2031-01-31T03:00:00.000Z');
  });
  afterAll(() => api.close());

  it('confirms, pays the order, opens the subscription and lists it in the history', async () => {
    const token = await api.token('buyer-1');
    const order = await api.order(token, PLAN.BASIC);
    expect(order).toMatchObject({ amount: 9_900, status: 'PENDING' });
    const { paymentKey } = await api.tossSession(order, { cardIssuerCode: '41' });

    const confirmed = await api.confirm(token, {
      provider: 'toss',
      paymentKey,
      orderId: order.orderId,
      amount: 9_900,
    });

    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({
      orderId: order.orderId,
      userId: 'buyer-1',
      planId: PLAN.BASIC,
      provider: 'toss',
      status: 'APPROVED',
      amount: 9_900,
      refundedAmount: 0,
      method: '카드',
      refunds: [],
    });
    expect(confirmed.body.methodDetail).toMatchObject({ cardIssuerCode: '41', cardIssuerName: '신한' });
    const approvedAt = confirmed.body.approvedAt as string;
    expect(approvedAt.startsWith('2031-01-31T03:00:')).toBe(true);

    const payment = await api.get(token, `/v1/payments/${order.orderId}`);
    expect(payment.status).toBe(200);
    expect(payment.body).toMatchObject({ status: 'APPROVED', approvedAt, amount: 9_900 });

    const paidOrder = await api.get(token, `/v1/orders/${order.orderId}`);
    expect(paidOrder.status).toBe(200);
    expect(paidOrder.body).toMatchObject({ orderId: order.orderId, status: 'PAID', amount: 9_900 });

    const subscription = await api.get(token, '/v1/users/me/subscription');
    expect(subscription.status).toBe(200);
    const periodEnd = approvedAt.replace('2031-01-31', '2031-02-28');
    expect(subscription.body).toMatchObject({
      status: 'ACTIVE',
      planId: PLAN.BASIC,
      periodStart: approvedAt,
      periodEnd,
    });
    expect(subscription.body.periods).toEqual([
      expect.objectContaining({
        planId: PLAN.BASIC,
        orderId: order.orderId,
        start: approvedAt,
        end: periodEnd,
      }),
    ]);

    const history = await api.get(token, '/v1/users/me/payments');
    expect(history.status).toBe(200);
    expect(history.body.items.map((p: { orderId: string }) => p.orderId)).toEqual([order.orderId]);
    expect(history.body.items[0]).toMatchObject({ status: 'APPROVED', amount: 9_900 });

    expect(await api.tossCalls(order.orderId)).toMatchObject({ confirm: 1 });
  });

  it('makes order ids of 20–40 characters of [A-Za-z0-9_-], each one new (O2)', async () => {
    const token = await api.token('buyer-ids');
    const ids = new Set<string>();
    for (let i = 0; i < 10; i++) ids.add((await api.order(token, PLAN.BASIC)).orderId);
    expect(ids.size).toBe(10);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{20,40}$/);
  });

  it('shows another user none of the buyer’s order, payment or history', async () => {
    const owner = await api.token('owner-2');
    const { order } = await api.purchase(owner, PLAN.BASIC);
    const other = await api.token('stranger-2');

    const orderRead = await api.get(other, `/v1/orders/${order.orderId}`);
    const paymentRead = await api.get(other, `/v1/payments/${order.orderId}`);
    const history = await api.get(other, '/v1/users/me/payments');

    expect(orderRead.status).toBe(403);
    expect(orderRead.body.code).toBe('FORBIDDEN');
    expect(paymentRead.status).toBe(403);
    expect(history.body.items).toEqual([]);
  });
});
