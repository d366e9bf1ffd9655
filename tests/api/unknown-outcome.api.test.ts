import { MINUTE, PLAN, startApi, type Api } from './support/harness';

/** C6 and C7: an outcome lost on the way back is PENDING until the reconciler learns it. */
describe('confirmations whose outcome is unknown', () => {
  let api: Api;
  let token: string;

  beforeEach(async () => {
    api = await startApi();
    token = await api.token('patient-buyer');
  });
  afterEach(() => api.close());

  it('answers 202 PENDING when the approval is lost, then the reconciler approves it', async () => {
    const order = await api.order(token, PLAN.BASIC);
    const { paymentKey } = await api.tossSession(order);
    await api.fault('approve-then-timeout');
    const body = { provider: 'toss', paymentKey, orderId: order.orderId, amount: order.amount };

    const pending = await api.confirm(token, body);

    expect(pending.status).toBe(202);
    expect(pending.body).toEqual({ orderId: order.orderId, status: 'PENDING' });
    expect((await api.get(token, `/v1/payments/${order.orderId}`)).body.status).toBe('PENDING');
    // A refresh while it is unknown is still pending, and asks the PG nothing new.
    expect((await api.confirm(token, body)).status).toBe(202);
    expect((await api.tossCalls(order.orderId)).confirm).toBe(1);

    await api.advanceClock(1 * MINUTE);

    const payment = await api.get(token, `/v1/payments/${order.orderId}`);
    expect(payment.body).toMatchObject({ status: 'APPROVED', pgPaymentId: paymentKey });
    expect((await api.get(token, `/v1/orders/${order.orderId}`)).body.status).toBe('PAID');
    const subscription = await api.get(token, '/v1/users/me/subscription');
    expect(subscription.body).toMatchObject({ status: 'ACTIVE', planId: PLAN.BASIC });
    expect(subscription.body.periods).toHaveLength(1);
    expect((await api.tossCalls(order.orderId)).lookup).toBeGreaterThanOrEqual(1);
    // Confirming now returns the approved payment, still without a second confirm call.
    expect((await api.confirm(token, body)).status).toBe(200);
    expect((await api.tossCalls(order.orderId)).confirm).toBe(1);
  });

  it('cancels at the PG an approval made after the order expired, and gives no period (C7)', async () => {
    const order = await api.order(token, PLAN.BASIC);
    await api.advanceClock(25 * MINUTE);
    const { paymentKey } = await api.tossSession(order);
    await api.fault('timeout');

    const pending = await api.confirm(token, {
      provider: 'toss',
      paymentKey,
      orderId: order.orderId,
      amount: order.amount,
    });
    expect(pending.status).toBe(202);

    // Past the expiry instant, but the outcome is unknown: the order is held, not expired (O3).
    await api.advanceClock(6 * MINUTE);
    expect((await api.get(token, `/v1/orders/${order.orderId}`)).body.status).toBe('PENDING');

    // The PG processes the confirm late, after the order's expiry.
    const late = await api
      .http()
      .post('/sandbox/toss/v1/payments/confirm')
      .set('Authorization', api.tossAuthHeader())
      .send({ paymentKey, orderId: order.orderId, amount: order.amount });
    expect(late.status).toBe(200);
    expect(late.body.status).toBe('DONE');

    await api.advanceClock(10 * MINUTE);

    const atPg = await api
      .http()
      .get(`/sandbox/toss/v1/payments/${paymentKey}`)
      .set('Authorization', api.tossAuthHeader());
    expect(atPg.body.status).toBe('CANCELED');
    const payment = await api.get(token, `/v1/payments/${order.orderId}`);
    expect(payment.body.status).toBe('CANCELED_BY_SYSTEM');
    expect(payment.body.systemCancel).toMatchObject({ reason: 'ORDER_EXPIRED', cancelledAtPg: true });
    expect((await api.get(token, `/v1/orders/${order.orderId}`)).body.status).toBe('EXPIRED');
    const subscription = await api.get(token, '/v1/users/me/subscription');
    expect(subscription.status).toBe(404);
    expect(subscription.body.code).toBe('SUBSCRIPTION_NOT_FOUND');
  });

  it('keeps a timed-out confirm PENDING while the PG has not approved it, then rejects it when the window lapses', async () => {
    const order = await api.order(token, PLAN.BASIC);
    const { paymentKey } = await api.tossSession(order);
    await api.fault('timeout');
    expect(
      (
        await api.confirm(token, {
          provider: 'toss',
          paymentKey,
          orderId: order.orderId,
          amount: order.amount,
        })
      ).status,
    ).toBe(202);

    await api.advanceClock(2 * MINUTE);
    expect((await api.get(token, `/v1/payments/${order.orderId}`)).body.status).toBe('PENDING');

    // Toss drops an unconfirmed window after 10 minutes; the order is payable again.
    await api.advanceClock(20 * MINUTE);
    const payment = await api.get(token, `/v1/payments/${order.orderId}`);
    expect(payment.body.status).toBe('REJECTED');
    expect((await api.get(token, `/v1/orders/${order.orderId}`)).body.status).toBe('PENDING');
  });
});
