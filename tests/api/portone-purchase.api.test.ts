import { MINUTE, PLAN, startApi, type Api } from './support/harness';
import {
  paymentOf,
  pgFault,
  portoneConfirm,
  portonePaymentAtPg,
  portonePurchase,
  portoneSession,
} from './support/pg-helpers';

interface PortoneCalls {
  token: number;
  confirm: number;
  lookup: number;
  cancel: number;
}

/** A purchase through PortOne: the window pays, confirm is token + GET /payments/{imp_uid} (C3, C9). */
describe('a PortOne purchase through the API', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
    await api.setClock('2031-03-10T03:00:00.000Z');
  });
  afterAll(() => api.close());

  const portoneCalls = async (orderId: string): Promise<PortoneCalls> =>
    (await api.http().get('/sandbox/portone/calls').query({ merchant_uid: orderId })).body
      .response as PortoneCalls;

  it('confirms an EVENT contribution: 200 APPROVED with card detail, the order paid, the fund grown', async () => {
    const token = await api.token('portone-event');
    const fundBefore = (await api.http().get('/v1/event-fund')).body;
    const order = await api.order(token, PLAN.EVENT, 25_000);
    const impUid = await portoneSession(api, order, { card_code: '361' });

    const confirmed = await portoneConfirm(api, token, order.orderId, impUid);

    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({
      orderId: order.orderId,
      userId: 'portone-event',
      provider: 'portone',
      pgPaymentId: impUid,
      status: 'APPROVED',
      amount: 25_000,
      refundedAmount: 0,
      method: 'card',
      refunds: [],
    });
    expect(confirmed.body.methodDetail).toMatchObject({ cardIssuerCode: '361', cardIssuerName: 'BC카드' });
    expect(confirmed.body.approvedAt).toEqual(expect.stringMatching(/^2031-03-10T03:00:/));
    expect((await api.get(token, `/v1/orders/${order.orderId}`)).body.status).toBe('PAID');
    expect((await api.http().get('/v1/event-fund')).body).toEqual({
      total: fundBefore.total + 25_000,
      contributions: fundBefore.contributions + 1,
    });
    const calls = await portoneCalls(order.orderId);
    expect(calls.confirm).toBe(1);
    expect(calls.cancel).toBe(0);
  });

  it('confirms a BASIC subscription paid with an easy-pay wallet and opens the period', async () => {
    const token = await api.token('portone-basic');
    const order = await api.order(token, PLAN.BASIC);
    const impUid = await portoneSession(api, order, { pay_method: 'kakaopay' });

    const confirmed = await portoneConfirm(api, token, order.orderId, impUid);

    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'APPROVED', method: 'kakaopay', amount: 9_900 });
    expect(confirmed.body.methodDetail).toMatchObject({ easyPayProvider: 'kakaopay' });
    const subscription = await api.get(token, '/v1/users/me/subscription');
    expect(subscription.body).toMatchObject({ status: 'ACTIVE', planId: PLAN.BASIC });
    expect(subscription.body.periods).toEqual([expect.objectContaining({ orderId: order.orderId })]);
    const history = await api.get(token, '/v1/users/me/payments');
    expect(history.body.items[0]).toMatchObject({
      orderId: order.orderId,
      provider: 'portone',
      status: 'APPROVED',
    });
  });

  it('answers a refresh with the first result and asks PortOne nothing new (C8)', async () => {
    const token = await api.token('portone-refresh');
    const { order, impUid, confirmed } = await portonePurchase(api, token, PLAN.BASIC);
    const before = await portoneCalls(order.orderId);

    const again = await portoneConfirm(api, token, order.orderId, impUid);

    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'APPROVED', approvedAt: confirmed.body.approvedAt });
    expect(await portoneCalls(order.orderId)).toEqual(before);
    expect((await api.get(token, '/v1/users/me/subscription')).body.periods).toHaveLength(1);
  });

  it('answers a failed PortOne payment with PAYMENT_REJECTED; the order stays payable (C5)', async () => {
    const token = await api.token('portone-declined');
    const order = await api.order(token, PLAN.BASIC);
    const failed = await portoneSession(api, order, { outcome: 'decline' });

    const refused = await portoneConfirm(api, token, order.orderId, failed);

    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('PAYMENT_REJECTED');
    expect((await api.get(token, `/v1/orders/${order.orderId}`)).body.status).toBe('PENDING');
    const retry = await portoneConfirm(api, token, order.orderId, await portoneSession(api, order));
    expect(retry.status).toBe(200);
  });

  it('keeps an unfinished (ready) PortOne payment PENDING rather than failing it', async () => {
    const token = await api.token('portone-ready');
    const order = await api.order(token, PLAN.BASIC);
    const impUid = await portoneSession(api, order, { outcome: 'ready' });

    const pending = await portoneConfirm(api, token, order.orderId, impUid);

    expect(pending.status).toBe(202);
    expect(pending.body).toEqual({ orderId: order.orderId, status: 'PENDING' });
    expect((await paymentOf(api, token, order.orderId)).body.status).toBe('PENDING');
  });

  it('turns a timed-out PortOne confirm (202) into APPROVED once the PG is asked again', async () => {
    const token = await api.token('portone-late');
    const order = await api.order(token, PLAN.BASIC);
    const impUid = await portoneSession(api, order);
    await pgFault(api, 'portone', 'confirm', 'timeout');

    const pending = await portoneConfirm(api, token, order.orderId, impUid);
    expect(pending.status).toBe(202);
    expect((await api.get(token, `/v1/orders/${order.orderId}`)).body.status).toBe('PENDING');

    await api.advanceClock(1 * MINUTE);

    const payment = (await paymentOf(api, token, order.orderId)).body;
    expect(payment).toMatchObject({ status: 'APPROVED', pgPaymentId: impUid, provider: 'portone' });
    expect((await api.get(token, `/v1/orders/${order.orderId}`)).body.status).toBe('PAID');
    expect((await api.get(token, '/v1/users/me/subscription')).body.status).toBe('ACTIVE');
    expect(await portonePaymentAtPg(api, impUid)).toMatchObject({ status: 'paid', cancel_amount: 0 });
    expect((await portoneConfirm(api, token, order.orderId, impUid)).status).toBe(200);
  });
});
