import { MINUTE, PLAN, startApi, type Api } from './support/harness';

/** C1 and C5: refusals before the PG is asked, and a PG refusal that leaves the order payable. */
describe('confirm refusals', () => {
  let api: Api;
  let token: string;

  beforeAll(async () => {
    api = await startApi();
    token = await api.token('refused-buyer');
  });
  afterAll(() => api.close());

  it('refuses a tampered amount with AMOUNT_MISMATCH and never calls the PG', async () => {
    const order = await api.order(token, PLAN.BASIC);
    // The buyer's window was opened for 100 KRW: the client tampered with the amount.
    const { paymentKey } = await api.tossSession({ ...order, amount: 100 });

    const res = await api.confirm(token, {
      provider: 'toss',
      paymentKey,
      orderId: order.orderId,
      amount: 100,
    });

    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('AMOUNT_MISMATCH');
    expect((await api.tossCalls(order.orderId)).confirm).toBe(0);
    const after = await api.get(token, `/v1/orders/${order.orderId}`);
    expect(after.body.status).toBe('PENDING');
  });

  it("refuses to confirm another user's order with FORBIDDEN and never calls the PG", async () => {
    const order = await api.order(token, PLAN.BASIC);
    const { paymentKey } = await api.tossSession(order);
    const intruder = await api.token('intruder');

    const res = await api.confirm(intruder, {
      provider: 'toss',
      paymentKey,
      orderId: order.orderId,
      amount: order.amount,
    });

    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect((await api.tossCalls(order.orderId)).confirm).toBe(0);
  });

  it('refuses an order that does not exist with ORDER_NOT_FOUND', async () => {
    const res = await api.confirm(token, {
      provider: 'toss',
      paymentKey: 'tgen_nothing',
      orderId: 'no-such-order-000000000',
      amount: 9_900,
    });

    expect(res.status).toBe(404);
    expect(res.body.code).toBe('ORDER_NOT_FOUND');
    expect((await api.tossCalls('no-such-order-000000000')).confirm).toBe(0);
  });

  it('refuses an expired order with ORDER_EXPIRED and never calls the PG (O3)', async () => {
    const order = await api.order(token, PLAN.BASIC);
    const { paymentKey } = await api.tossSession(order);
    await api.advanceClock(31 * MINUTE);

    const res = await api.confirm(token, {
      provider: 'toss',
      paymentKey,
      orderId: order.orderId,
      amount: order.amount,
    });

    expect(res.status).toBe(409);
    expect(res.body.code).toBe('ORDER_EXPIRED');
    expect((await api.tossCalls(order.orderId)).confirm).toBe(0);
    expect((await api.get(token, `/v1/orders/${order.orderId}`)).body.status).toBe('EXPIRED');
  });

  it('answers a card decline with PAYMENT_REJECTED and the PG code, and the order stays payable (C5)', async () => {
    const order = await api.order(token, PLAN.BASIC);
    const declined = await api.tossSession(order, { outcome: 'decline' });

    const refused = await api.confirm(token, {
      provider: 'toss',
      paymentKey: declined.paymentKey,
      orderId: order.orderId,
      amount: order.amount,
    });

    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'PAYMENT_REJECTED', pgCode: 'REJECT_CARD_COMPANY' });
    expect((await api.get(token, `/v1/orders/${order.orderId}`)).body.status).toBe('PENDING');
    expect((await api.get(token, `/v1/payments/${order.orderId}`)).body.status).toBe('REJECTED');

    // The buyer tries again with another card, on the same order.
    const retry = await api.tossSession(order);
    const approved = await api.confirm(token, {
      provider: 'toss',
      paymentKey: retry.paymentKey,
      orderId: order.orderId,
      amount: order.amount,
    });

    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'APPROVED', pgPaymentId: retry.paymentKey });
    expect((await api.get(token, `/v1/orders/${order.orderId}`)).body.status).toBe('PAID');
    expect((await api.tossCalls(order.orderId)).confirm).toBe(2);
  });

  it('replays the decline for the declined paymentKey without asking the PG again', async () => {
    const order = await api.order(token, PLAN.BASIC);
    const declined = await api.tossSession(order, { outcome: 'decline' });
    const body = {
      provider: 'toss',
      paymentKey: declined.paymentKey,
      orderId: order.orderId,
      amount: order.amount,
    };
    await api.confirm(token, body);

    const again = await api.confirm(token, body);

    expect(again.status).toBe(422);
    expect(again.body.code).toBe('PAYMENT_REJECTED');
    expect((await api.tossCalls(order.orderId)).confirm).toBe(1);
  });

  it('refuses a paid order with ORDER_ALREADY_PAID for another paymentKey, without a PG call (O4)', async () => {
    const { order } = await api.purchase(token, PLAN.BASIC);
    // The sandbox opens no second window for a paid order; a stale or forged key comes this way.
    const res = await api.confirm(token, {
      provider: 'toss',
      paymentKey: 'tgen_second_window_key',
      orderId: order.orderId,
      amount: order.amount,
    });

    expect(res.status).toBe(409);
    expect(res.body.code).toBe('ORDER_ALREADY_PAID');
    expect((await api.tossCalls(order.orderId)).confirm).toBe(1);
  });
});
