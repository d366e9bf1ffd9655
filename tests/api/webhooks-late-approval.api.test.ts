import { PLAN, startApi, type Api } from './support/harness';
import { paymentOf, pgFault, portoneConfirm, portonePaymentAtPg, portoneSession } from './support/pg-helpers';

/** Before the reconciler's first check (15 s after an unknown outcome) only a webhook can have acted. */
const BEFORE_RECONCILER_MS = 2_000;

/**
 * C6 via webhooks: an approval whose answer we lost is learnt from the PG's webhook (which makes
 * the service re-ask the PG), without waiting for the reconciler's schedule.
 */
describe('approvals learnt from a webhook', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('PortOne: a confirm that timed out (202) is APPROVED once the `paid` webhook arrives', async () => {
    const token = await api.token('late-portone');
    const order = await api.order(token, PLAN.BASIC);
    const impUid = await portoneSession(api, order);
    await pgFault(api, 'portone', 'confirm', 'timeout');

    const pending = await portoneConfirm(api, token, order.orderId, impUid);
    expect(pending.status).toBe(202);
    expect((await paymentOf(api, token, order.orderId)).body.status).toBe('PENDING');

    await api.advanceClock(BEFORE_RECONCILER_MS);

    const deliveries = (await api.http().get('/sandbox/portone/webhooks')).body.response as Array<
      Record<string, unknown>
    >;
    expect(deliveries).toContainEqual(
      expect.objectContaining({
        merchant_uid: order.orderId,
        imp_uid: impUid,
        status: 'paid',
        state: 'delivered',
      }),
    );
    expect((await paymentOf(api, token, order.orderId)).body).toMatchObject({
      status: 'APPROVED',
      pgPaymentId: impUid,
    });
    expect((await api.get(token, `/v1/orders/${order.orderId}`)).body.status).toBe('PAID');
    expect((await api.get(token, '/v1/users/me/subscription')).body).toMatchObject({
      status: 'ACTIVE',
      planId: PLAN.BASIC,
    });
    expect((await portoneConfirm(api, token, order.orderId, impUid)).status).toBe(200);
  });

  it('Toss: a confirm applied but unanswered (202) is APPROVED once the DONE webhook arrives', async () => {
    const token = await api.token('late-toss');
    const order = await api.order(token, PLAN.EVENT, 12_000);
    const { paymentKey } = await api.tossSession(order);
    await api.fault('approve-then-timeout', 'confirm');

    const pending = await api.confirm(token, {
      provider: 'toss',
      paymentKey,
      orderId: order.orderId,
      amount: 12_000,
    });
    expect(pending.status).toBe(202);

    await api.advanceClock(BEFORE_RECONCILER_MS);

    const deliveries = (await api.http().get('/sandbox/toss/webhooks').query({ orderId: order.orderId })).body
      .items;
    expect(deliveries).toContainEqual(
      expect.objectContaining({ paymentStatus: 'DONE', status: 'delivered' }),
    );
    expect((await paymentOf(api, token, order.orderId)).body).toMatchObject({
      status: 'APPROVED',
      amount: 12_000,
    });
    expect((await api.tossCalls(order.orderId)).confirm).toBe(1);
  });

  it('PortOne: the `paid` webhook pays the right order even after its imp_uid was first tried on another one', async () => {
    const token = await api.token('late-misdirected');
    const owner = await api.order(token, PLAN.BASIC);
    const other = await api.order(token, PLAN.BASIC);
    const impUid = await portoneSession(api, owner);
    const wrong = await portoneConfirm(api, token, other.orderId, impUid);
    expect(wrong.status).toBeGreaterThanOrEqual(400);
    expect(wrong.status).toBeLessThan(500);

    await api.advanceClock(BEFORE_RECONCILER_MS);

    // The buyer paid for `owner`: that order must not be left unpaid with the money taken.
    expect((await api.get(token, `/v1/orders/${owner.orderId}`)).body.status).toBe('PAID');
    expect((await paymentOf(api, token, owner.orderId)).body).toMatchObject({
      status: 'APPROVED',
      pgPaymentId: impUid,
    });
    expect((await api.get(token, `/v1/orders/${other.orderId}`)).body.status).toBe('PENDING');
    expect(await portonePaymentAtPg(api, impUid)).toMatchObject({ status: 'paid', cancel_amount: 0 });
  });
});
