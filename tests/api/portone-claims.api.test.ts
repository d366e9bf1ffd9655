import { MINUTE, PLAN, startApi, type Api } from './support/harness';
import {
  paymentOf,
  portoneConfirm,
  portonePaymentAtPg,
  portonePurchase,
  portoneSession,
} from './support/pg-helpers';

/**
 * C4 and C7 for PortOne, whose confirm carries no amount (C1 cannot catch a tampered one): one
 * imp_uid backs at most one order, and an approval that does not match the order is cancelled.
 */
describe('PortOne payments that do not belong to the order confirmed', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('refuses an imp_uid already used by a paid order, and leaves that payment alone', async () => {
    const token = await api.token('claim-reuse');
    const { order: first, impUid } = await portonePurchase(api, token, PLAN.BASIC);
    const second = await api.order(token, PLAN.BASIC);

    const reused = await portoneConfirm(api, token, second.orderId, impUid);

    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('PG_PAYMENT_ALREADY_USED');
    expect(await portonePaymentAtPg(api, impUid)).toMatchObject({
      status: 'paid',
      merchant_uid: first.orderId,
      cancel_amount: 0,
      cancel_history: [],
    });
    expect((await api.get(token, `/v1/orders/${first.orderId}`)).body.status).toBe('PAID');
    expect((await paymentOf(api, token, first.orderId)).body.status).toBe('APPROVED');
    expect((await api.get(token, `/v1/orders/${second.orderId}`)).body.status).toBe('PENDING');
  });

  it('refuses another user’s imp_uid for their own order without cancelling it', async () => {
    const victim = await api.token('claim-victim');
    const thief = await api.token('claim-thief');
    const { order: paid, impUid } = await portonePurchase(api, victim, PLAN.PREMIUM);
    const own = await api.order(thief, PLAN.PREMIUM);

    const stolen = await portoneConfirm(api, thief, own.orderId, impUid);

    expect(stolen.status).toBeGreaterThanOrEqual(400);
    expect(stolen.status).toBeLessThan(500);
    expect((await api.get(thief, `/v1/orders/${own.orderId}`)).body.status).toBe('PENDING');
    expect(await portonePaymentAtPg(api, impUid)).toMatchObject({ status: 'paid', cancel_amount: 0 });
    expect((await paymentOf(api, victim, paid.orderId)).body.status).toBe('APPROVED');
    expect((await api.get(thief, '/v1/users/me/subscription')).status).toBe(404);
  });

  it('still confirms an order whose imp_uid was first tried against another order', async () => {
    const token = await api.token('claim-first-try');
    const owner = await api.order(token, PLAN.BASIC);
    const other = await api.order(token, PLAN.BASIC);
    const impUid = await portoneSession(api, owner);

    // The imp_uid is submitted with the wrong order first (a client bug, or someone who saw it).
    const wrong = await portoneConfirm(api, token, other.orderId, impUid);
    expect(wrong.status).toBeGreaterThanOrEqual(400);
    expect(wrong.status).toBeLessThan(500);

    const right = await portoneConfirm(api, token, owner.orderId, impUid);

    expect(right.status).toBe(200);
    expect(right.body).toMatchObject({ orderId: owner.orderId, status: 'APPROVED', pgPaymentId: impUid });
    expect(await portonePaymentAtPg(api, impUid)).toMatchObject({ status: 'paid', cancel_amount: 0 });
  });

  it('lets at most one of two orders confirmed at once with the same imp_uid succeed', async () => {
    const token = await api.token('claim-race');
    const owner = await api.order(token, PLAN.BASIC);
    const other = await api.order(token, PLAN.BASIC);
    const impUid = await portoneSession(api, owner);

    const answers = await Promise.all([
      portoneConfirm(api, token, owner.orderId, impUid),
      portoneConfirm(api, token, other.orderId, impUid),
      portoneConfirm(api, token, owner.orderId, impUid),
      portoneConfirm(api, token, other.orderId, impUid),
    ]);

    for (const a of answers) expect(a.status).toBeLessThan(500);
    const paidOrders = new Set(answers.filter((a) => a.status === 200).map((a) => a.body.orderId as string));
    expect(paidOrders.size).toBeLessThanOrEqual(1);
    // Whatever happened, the order the payment was not made for is never paid by it.
    expect((await api.get(token, `/v1/orders/${other.orderId}`)).body.status).toBe('PENDING');
    expect(await portonePaymentAtPg(api, impUid)).toMatchObject({ status: 'paid', cancel_amount: 0 });
    // And the order it was made for ends up paid by it at the latest once PortOne's webhook is in.
    await api.advanceClock(2_000);
    expect((await api.get(token, `/v1/orders/${owner.orderId}`)).body.status).toBe('PAID');
    expect((await api.get(token, `/v1/orders/${other.orderId}`)).body.status).toBe('PENDING');
  });

  it('refuses a tampered amount (same merchant_uid, less money) and cancels it at the PG (C3, C7)', async () => {
    const token = await api.token('claim-tampered');
    const order = await api.order(token, PLAN.BASIC);
    // The buyer's window was made to charge 100 KRW for our 9,900 KRW order.
    const impUid = await portoneSession(api, { orderId: order.orderId, amount: 100 });

    const refused = await portoneConfirm(api, token, order.orderId, impUid);

    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(refused.body.code).toBe('AMOUNT_MISMATCH');
    const atPg = await portonePaymentAtPg(api, impUid);
    expect(atPg).toMatchObject({ status: 'cancelled', amount: 100, cancel_amount: 100 });
    expect(atPg.cancel_history).toHaveLength(1);
    const payment = (await paymentOf(api, token, order.orderId)).body;
    expect(payment.status).toBe('CANCELED_BY_SYSTEM');
    expect(payment.systemCancel).toMatchObject({ reason: 'AMOUNT_MISMATCH', cancelledAtPg: true });
    expect((await api.get(token, '/v1/users/me/subscription')).status).toBe(404);

    // The order is still payable (until it expires) with the right amount.
    expect((await api.get(token, `/v1/orders/${order.orderId}`)).body.status).toBe('PENDING');
    const honest = await portoneConfirm(api, token, order.orderId, await portoneSession(api, order));
    expect(honest.status).toBe(200);
    expect(honest.body).toMatchObject({ status: 'APPROVED', amount: 9_900 });
  });

  it('refuses and cancels a tampered amount even when the order then expires unpaid', async () => {
    const token = await api.token('claim-tampered-expiry');
    const order = await api.order(token, PLAN.PREMIUM);
    const impUid = await portoneSession(api, { orderId: order.orderId, amount: 19_800 });

    expect((await portoneConfirm(api, token, order.orderId, impUid)).body.code).toBe('AMOUNT_MISMATCH');
    await api.advanceClock(31 * MINUTE);

    expect((await api.get(token, `/v1/orders/${order.orderId}`)).body.status).toBe('EXPIRED');
    expect((await portonePaymentAtPg(api, impUid)).status).toBe('cancelled');
    expect((await paymentOf(api, token, order.orderId)).body.status).toBe('CANCELED_BY_SYSTEM');
    // Cancelled once, not again by later jobs.
    expect((await portonePaymentAtPg(api, impUid)).cancel_history).toHaveLength(1);
  });
});
