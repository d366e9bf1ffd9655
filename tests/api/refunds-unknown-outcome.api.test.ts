import { MINUTE, PLAN, startApi, type Api } from './support/harness';
import {
  paymentOf,
  pgFault,
  portonePaymentAtPg,
  portonePurchase,
  refund,
  tossPaymentAtPg,
} from './support/pg-helpers';

/**
 * F3 with C6's rules: a cancel whose answer is lost is PENDING (202), never failed and never
 * repeated blindly; the reconciler learns what the PG did and finishes it, cancelling once.
 */
describe('refunds whose PG outcome is unknown', () => {
  let api: Api;

  beforeEach(async () => {
    api = await startApi();
  });
  afterEach(() => api.close());

  it('Toss timeout (cancel not applied): 202 PENDING, then the reconciler cancels once and completes it', async () => {
    const token = await api.token('unknown-timeout');
    const { order, paymentKey } = await api.purchase(token, PLAN.BASIC);
    await api.fault('timeout', 'cancel');

    const pending = await refund(api, token, order.orderId, { amount: 4_000 });

    expect(pending.status).toBe(202);
    expect(pending.body).toMatchObject({ status: 'PENDING', amount: 4_000, refundId: expect.any(String) });
    expect((await paymentOf(api, token, order.orderId)).body.refunds).toEqual([
      expect.objectContaining({ refundId: pending.body.refundId, status: 'PENDING' }),
    ]);
    expect((await tossPaymentAtPg(api, paymentKey)).cancels).toHaveLength(0);

    await api.advanceClock(1 * MINUTE);

    const payment = (await paymentOf(api, token, order.orderId)).body;
    expect(payment).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedAmount: 4_000 });
    expect(payment.refunds).toEqual([
      expect.objectContaining({ refundId: pending.body.refundId, status: 'COMPLETED' }),
    ]);
    const atPg = await tossPaymentAtPg(api, paymentKey);
    expect(atPg.cancels.map((c) => c.cancelAmount)).toEqual([4_000]);
    expect(atPg.balanceAmount).toBe(5_900);
  });

  it('Toss approve-then-timeout (cancel applied, answer lost): completes with exactly one cancel at the PG', async () => {
    const token = await api.token('unknown-applied');
    const { order, paymentKey } = await api.purchase(token, PLAN.BASIC);
    await api.fault('approve-then-timeout', 'cancel');

    const pending = await refund(api, token, order.orderId);

    expect(pending.status).toBe(202);
    expect(pending.body.status).toBe('PENDING');
    // The PG has already applied it; we do not know that yet.
    expect((await tossPaymentAtPg(api, paymentKey)).cancels).toHaveLength(1);
    expect((await paymentOf(api, token, order.orderId)).body.refundedAmount).toBe(0);

    await api.advanceClock(1 * MINUTE);

    const payment = (await paymentOf(api, token, order.orderId)).body;
    expect(payment).toMatchObject({ status: 'REFUNDED', refundedAmount: 9_900 });
    expect(payment.refunds).toHaveLength(1);
    expect(payment.refunds[0]).toMatchObject({ refundId: pending.body.refundId, status: 'COMPLETED' });
    const atPg = await tossPaymentAtPg(api, paymentKey);
    expect(atPg.cancels).toHaveLength(1);
    expect(atPg).toMatchObject({ status: 'CANCELED', balanceAmount: 0 });
    expect((await api.get(token, '/v1/users/me/subscription')).body.status).toBe('REVOKED');
  });

  it('Toss http500 on cancel: 202, then completed by the reconciler with one cancel', async () => {
    const token = await api.token('unknown-500');
    const { order, paymentKey } = await api.purchase(token, PLAN.EVENT, 8_000);
    await api.fault('http500', 'cancel');

    const pending = await refund(api, token, order.orderId, { amount: 3_000 });
    expect(pending.status).toBe(202);

    await api.advanceClock(1 * MINUTE);

    expect((await paymentOf(api, token, order.orderId)).body.refundedAmount).toBe(3_000);
    expect((await tossPaymentAtPg(api, paymentKey)).cancels.map((c) => c.cancelAmount)).toEqual([3_000]);
  });

  it('refuses another refund of the payment while one is PENDING, and accepts it once settled', async () => {
    const token = await api.token('unknown-blocking');
    const { order, paymentKey } = await api.purchase(token, PLAN.BASIC);
    await api.fault('timeout', 'cancel');
    expect((await refund(api, token, order.orderId, { amount: 1_000 })).status).toBe(202);

    const meanwhile = await refund(api, token, order.orderId, { amount: 1_000 });
    expect(meanwhile.status).toBe(409);
    expect(meanwhile.body.code).toBe('CONCURRENCY_CONFLICT');

    await api.advanceClock(1 * MINUTE);
    const after = await refund(api, token, order.orderId, { amount: 1_000 });
    expect(after.status).toBe(201);
    expect((await tossPaymentAtPg(api, paymentKey)).cancels.map((c) => c.cancelAmount)).toEqual([
      1_000, 1_000,
    ]);
  });

  it('Toss decline on cancel: 422 PAYMENT_REJECTED with the PG code, the balance unchanged and payable again', async () => {
    const token = await api.token('unknown-decline');
    const { order, paymentKey } = await api.purchase(token, PLAN.BASIC);
    await api.fault('decline', 'cancel');

    const refused = await refund(api, token, order.orderId, { amount: 5_000 });

    expect(refused.status).toBe(422);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ code: 'PAYMENT_REJECTED', pgCode: 'NOT_CANCELABLE_PAYMENT' });
    const atPg = await tossPaymentAtPg(api, paymentKey);
    expect(atPg).toMatchObject({ status: 'DONE', balanceAmount: 9_900, cancels: [] });
    const payment = (await paymentOf(api, token, order.orderId)).body;
    expect(payment).toMatchObject({ status: 'APPROVED', refundedAmount: 0 });
    expect(payment.refunds).toEqual([expect.objectContaining({ amount: 5_000, status: 'REJECTED' })]);
    expect((await api.get(token, '/v1/users/me/subscription')).body.status).toBe('ACTIVE');

    // A refused refund does not use up the balance.
    const again = await refund(api, token, order.orderId);
    expect(again.status).toBe(201);
    expect(again.body.amount).toBe(9_900);
  });

  it('PortOne approve-then-timeout: 202, then COMPLETED, and the checksum keeps the PG from cancelling twice', async () => {
    const token = await api.token('unknown-portone');
    const { order, impUid } = await portonePurchase(api, token, PLAN.BASIC);
    await pgFault(api, 'portone', 'cancel', 'approve-then-timeout');

    const pending = await refund(api, token, order.orderId, { amount: 2_000 });

    expect(pending.status).toBe(202);
    expect((await portonePaymentAtPg(api, impUid)).cancel_history).toHaveLength(1);

    await api.advanceClock(1 * MINUTE);

    const payment = (await paymentOf(api, token, order.orderId)).body;
    expect(payment).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedAmount: 2_000 });
    expect(payment.refunds).toEqual([
      expect.objectContaining({ refundId: pending.body.refundId, status: 'COMPLETED' }),
    ]);
    const atPg = await portonePaymentAtPg(api, impUid);
    expect(atPg.cancel_history.map((c) => c.amount)).toEqual([2_000]);
    expect(atPg).toMatchObject({ status: 'paid', cancel_amount: 2_000 });
  });

  it('PortOne timeout (cancel not applied): 202, then the reconciler cancels exactly once', async () => {
    const token = await api.token('unknown-portone-timeout');
    const { order, impUid } = await portonePurchase(api, token, PLAN.BASIC);
    await pgFault(api, 'portone', 'cancel', 'timeout');

    const pending = await refund(api, token, order.orderId);
    expect(pending.status).toBe(202);
    expect((await portonePaymentAtPg(api, impUid)).cancel_history).toHaveLength(0);

    await api.advanceClock(1 * MINUTE);

    expect((await paymentOf(api, token, order.orderId)).body).toMatchObject({
      status: 'REFUNDED',
      refundedAmount: 9_900,
    });
    const atPg = await portonePaymentAtPg(api, impUid);
    expect(atPg.cancel_history.map((c) => c.amount)).toEqual([9_900]);
    expect(atPg.status).toBe('cancelled');
  });

  it('PortOne decline on cancel: 422 PAYMENT_REJECTED and nothing cancelled', async () => {
    const token = await api.token('unknown-portone-decline');
    const { order, impUid } = await portonePurchase(api, token, PLAN.BASIC);
    await pgFault(api, 'portone', 'cancel', 'decline');

    const refused = await refund(api, token, order.orderId, { amount: 1_000 });

    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('PAYMENT_REJECTED');
    expect(await portonePaymentAtPg(api, impUid)).toMatchObject({ status: 'paid', cancel_amount: 0 });
    expect((await paymentOf(api, token, order.orderId)).body.refundedAmount).toBe(0);
  });
});
