import { PLAN, startApi, type Api } from './support/harness';

/** C8: a refresh, a double click or twenty tabs confirming at once make one PG confirm call. */
describe('repeated and concurrent confirms of one order', () => {
  let api: Api;
  let token: string;

  beforeAll(async () => {
    api = await startApi();
    token = await api.token('clicker');
  });
  afterAll(() => api.close());

  it('answers a refresh with the first result and makes no second PG call', async () => {
    const order = await api.order(token, PLAN.BASIC);
    const { paymentKey } = await api.tossSession(order);
    const body = { provider: 'toss', paymentKey, orderId: order.orderId, amount: order.amount };
    const first = await api.confirm(token, body);

    const refresh = await api.confirm(token, body);

    expect(first.status).toBe(200);
    expect(refresh.status).toBe(200);
    expect(refresh.body).toMatchObject({
      status: 'APPROVED',
      orderId: order.orderId,
      approvedAt: first.body.approvedAt,
    });
    expect((await api.tossCalls(order.orderId)).confirm).toBe(1);
  });

  it('makes exactly one PG confirm call and one period for 20 simultaneous confirms', async () => {
    const buyer = await api.token('twenty-tabs');
    const order = await api.order(buyer, PLAN.PREMIUM);
    const { paymentKey } = await api.tossSession(order);
    const body = { provider: 'toss', paymentKey, orderId: order.orderId, amount: order.amount };

    const answers = await Promise.all(Array.from({ length: 20 }, () => api.confirm(buyer, body)));

    for (const answer of answers) expect([200, 202]).toContain(answer.status);
    for (const answer of answers) expect(answer.body.orderId).toBe(order.orderId);
    const approved = answers.filter((a) => a.status === 200);
    expect(new Set(approved.map((a) => `${a.body.pgPaymentId} ${a.body.approvedAt}`)).size).toBe(1);
    expect((await api.tossCalls(order.orderId)).confirm).toBe(1);

    const payment = await api.get(buyer, `/v1/payments/${order.orderId}`);
    expect(payment.body).toMatchObject({ status: 'APPROVED', pgPaymentId: paymentKey });
    const subscription = await api.get(buyer, '/v1/users/me/subscription');
    expect(subscription.body.periods).toHaveLength(1);
    expect(subscription.body.periods[0].orderId).toBe(order.orderId);
    const history = await api.get(buyer, '/v1/users/me/payments');
    expect(history.body.items).toHaveLength(1);
  });
});
