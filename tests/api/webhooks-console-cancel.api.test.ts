import { MINUTE, PLAN, startApi, type Api } from './support/harness';
import {
  paymentOf,
  pgFault,
  portoneConsoleCancel,
  portonePaymentAtPg,
  portonePurchase,
  refund,
  tossConsoleCancel,
  tossPaymentAtPg,
} from './support/pg-helpers';

/** Long enough for the sandbox to deliver a webhook and for the inbox job to act on it. */
const SETTLE_MS = 5_000;

/**
 * A cancel made in the PG's console (not through us) reaches us as a webhook: the service
 * re-asks the PG and records it as a refund with no requester, with F4's effects.
 */
describe('cancels made in the PG console', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  const subscriptionStatus = async (token: string) =>
    (await api.get(token, '/v1/users/me/subscription')).body.status as string;

  it('Toss: a full console cancel becomes a recorded refund, REFUNDED, and revokes the subscription', async () => {
    const token = await api.token('console-toss-full');
    const { order, paymentKey } = await api.purchase(token, PLAN.BASIC);
    await tossConsoleCancel(api, paymentKey, { cancelReason: '고객 요청 (콘솔)' });
    expect((await paymentOf(api, token, order.orderId)).body.status).toBe('APPROVED');

    await api.advanceClock(SETTLE_MS);

    const deliveries = (await api.http().get('/sandbox/toss/webhooks').query({ orderId: order.orderId })).body
      .items;
    expect(deliveries).toContainEqual(
      expect.objectContaining({ paymentStatus: 'CANCELED', status: 'delivered' }),
    );
    const payment = (await paymentOf(api, token, order.orderId)).body;
    expect(payment).toMatchObject({ status: 'REFUNDED', refundedAmount: 9_900 });
    expect(payment.refunds).toEqual([
      expect.objectContaining({
        amount: 9_900,
        status: 'COMPLETED',
        reason: '고객 요청 (콘솔)',
        requestedBy: null,
      }),
    ]);
    expect(await subscriptionStatus(token)).toBe('REVOKED');
    const history = await api.get(token, '/v1/users/me/payments');
    expect(history.body.items[0]).toMatchObject({
      orderId: order.orderId,
      status: 'REFUNDED',
      refundedAmount: 9_900,
    });
    // We learnt of it; we did not cancel anything ourselves.
    expect((await api.tossCalls(order.orderId)).cancel).toBe(0);
  });

  it('Toss: a partial console cancel is PARTIALLY_REFUNDED and leaves the subscription ACTIVE', async () => {
    const token = await api.token('console-toss-partial');
    const { order, paymentKey } = await api.purchase(token, PLAN.BASIC);
    await tossConsoleCancel(api, paymentKey, { cancelReason: '부분 취소', cancelAmount: 2_000 });

    await api.advanceClock(SETTLE_MS);

    const payment = (await paymentOf(api, token, order.orderId)).body;
    expect(payment).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedAmount: 2_000 });
    expect(payment.refunds).toEqual([expect.objectContaining({ amount: 2_000, requestedBy: null })]);
    expect(await subscriptionStatus(token)).toBe('ACTIVE');
    // Our own refund of the rest still works, against the balance the PG has.
    const rest = await refund(api, token, order.orderId);
    expect(rest.status).toBe(201);
    expect(rest.body.amount).toBe(7_900);
    expect((await tossPaymentAtPg(api, paymentKey)).balanceAmount).toBe(0);
  });

  it('Toss: an EVENT console cancel reduces the event fund', async () => {
    const token = await api.token('console-toss-fund');
    const { order, paymentKey } = await api.purchase(token, PLAN.EVENT, 40_000);
    const before = (await api.http().get('/v1/event-fund')).body;

    await tossConsoleCancel(api, paymentKey, { cancelReason: 'fraud', cancelAmount: 15_000 });
    await api.advanceClock(SETTLE_MS);

    expect((await paymentOf(api, token, order.orderId)).body.refundedAmount).toBe(15_000);
    expect((await api.http().get('/v1/event-fund')).body).toEqual({
      total: before.total - 15_000,
      contributions: before.contributions,
    });
  });

  it('PortOne: a full console cancel becomes a recorded refund, REFUNDED, and revokes the subscription', async () => {
    const token = await api.token('console-portone-full');
    const { order, impUid } = await portonePurchase(api, token, PLAN.BASIC);
    await portoneConsoleCancel(api, impUid, { reason: '관리자 취소' });

    await api.advanceClock(SETTLE_MS);

    const deliveries = (await api.http().get('/sandbox/portone/webhooks')).body.response as Array<
      Record<string, unknown>
    >;
    expect(deliveries).toContainEqual(
      expect.objectContaining({ merchant_uid: order.orderId, status: 'cancelled', state: 'delivered' }),
    );
    const payment = (await paymentOf(api, token, order.orderId)).body;
    expect(payment).toMatchObject({ status: 'REFUNDED', refundedAmount: 9_900 });
    expect(payment.refunds).toEqual([
      expect.objectContaining({
        amount: 9_900,
        status: 'COMPLETED',
        reason: '관리자 취소',
        requestedBy: null,
      }),
    ]);
    expect(await subscriptionStatus(token)).toBe('REVOKED');
    const history = await api.get(token, '/v1/users/me/payments');
    expect(history.body.items[0]).toMatchObject({ orderId: order.orderId, status: 'REFUNDED' });
  });

  it('PortOne: a partial console cancel is PARTIALLY_REFUNDED, then our refund of the rest uses the right checksum', async () => {
    const token = await api.token('console-portone-partial');
    const { order, impUid } = await portonePurchase(api, token, PLAN.BASIC);
    await portoneConsoleCancel(api, impUid, { amount: 900 });

    await api.advanceClock(SETTLE_MS);

    expect((await paymentOf(api, token, order.orderId)).body).toMatchObject({
      status: 'PARTIALLY_REFUNDED',
      refundedAmount: 900,
    });
    expect(await subscriptionStatus(token)).toBe('ACTIVE');
    const rest = await refund(api, token, order.orderId);
    expect(rest.status).toBe(201);
    expect(rest.body.amount).toBe(9_000);
    expect(await portonePaymentAtPg(api, impUid)).toMatchObject({
      status: 'cancelled',
      cancel_amount: 9_900,
    });
  });

  it('Toss: a console cancel while our own refund is PENDING records both, each once', async () => {
    const token = await api.token('console-toss-pending');
    const { order, paymentKey } = await api.purchase(token, PLAN.BASIC);
    await api.fault('timeout', 'cancel');
    expect((await refund(api, token, order.orderId, { amount: 2_000 })).status).toBe(202);
    await tossConsoleCancel(api, paymentKey, { cancelReason: 'console', cancelAmount: 1_000 });

    await api.advanceClock(2 * MINUTE);

    const payment = (await paymentOf(api, token, order.orderId)).body;
    expect(
      payment.refunds.map((r: { amount: number; status: string }) => [r.amount, r.status]).sort(),
    ).toEqual([
      [1_000, 'COMPLETED'],
      [2_000, 'COMPLETED'],
    ]);
    expect(payment).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedAmount: 3_000 });
    const atPg = await tossPaymentAtPg(api, paymentKey);
    expect(atPg.cancels.map((c) => c.cancelAmount).sort((a, b) => a - b)).toEqual([1_000, 2_000]);
    expect(atPg.balanceAmount).toBe(6_900);
  });

  it('Toss: a console cancel leaving less than our PENDING refund asks for rejects ours, made nowhere', async () => {
    const token = await api.token('console-toss-unfit');
    const { order, paymentKey } = await api.purchase(token, PLAN.BASIC);
    await api.fault('timeout', 'cancel');
    expect((await refund(api, token, order.orderId)).status).toBe(202); // the full 9,900
    await tossConsoleCancel(api, paymentKey, { cancelReason: 'console', cancelAmount: 1_000 });

    await api.advanceClock(2 * MINUTE);

    const payment = (await paymentOf(api, token, order.orderId)).body;
    expect(payment.refunds).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ amount: 9_900, status: 'REJECTED' }),
        expect.objectContaining({ amount: 1_000, status: 'COMPLETED', requestedBy: null }),
      ]),
    );
    expect(payment).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedAmount: 1_000 });
    expect(await tossPaymentAtPg(api, paymentKey)).toMatchObject({ balanceAmount: 8_900 });
    // The rest can still be refunded.
    expect((await refund(api, token, order.orderId)).body).toMatchObject({
      amount: 8_900,
      status: 'COMPLETED',
    });
  });

  it('PortOne: a console cancel while our own refund is PENDING records both, each once', async () => {
    const token = await api.token('console-portone-pending');
    const { order, impUid } = await portonePurchase(api, token, PLAN.BASIC);
    await api.advanceClock(SETTLE_MS); // the purchase's own `paid` webhook, out of the way
    await pgFault(api, 'portone', 'cancel', 'timeout');
    expect((await refund(api, token, order.orderId, { amount: 2_000 })).status).toBe(202);
    await portoneConsoleCancel(api, impUid, { amount: 1_000 });

    await api.advanceClock(2 * MINUTE);

    const payment = (await paymentOf(api, token, order.orderId)).body;
    expect(payment).toMatchObject({ refundedAmount: 3_000 });
    expect(payment.refunds.every((r: { status: string }) => r.status === 'COMPLETED')).toBe(true);
    const atPg = await portonePaymentAtPg(api, impUid);
    expect(atPg.cancel_history.map((c) => c.amount).sort((a, b) => a - b)).toEqual([1_000, 2_000]);
  });
});
