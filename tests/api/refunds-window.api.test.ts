import { MINUTE, PLAN, startApi, type Api } from './support/harness';
import { paymentOf, readStream, refund, tossPaymentAtPg } from './support/pg-helpers';

const DAY = 24 * 60 * MINUTE;

/** F1: the owner may refund within REFUND_WINDOW_DAYS (3) of approval; an admin at any time. */
describe('the refund window', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('lets the owner refund just before the window closes', async () => {
    const token = await api.token('window-early');
    const { order, paymentKey } = await api.purchase(token, PLAN.BASIC);
    await api.advanceClock(3 * DAY - MINUTE);

    const res = await refund(api, token, order.orderId, { reason: 'changed my mind' });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ amount: 9_900, status: 'COMPLETED' });
    expect((await tossPaymentAtPg(api, paymentKey)).status).toBe('CANCELED');
  });

  it('refuses the owner after 3 days with REFUND_WINDOW_CLOSED, without cancelling at the PG', async () => {
    const token = await api.token('window-late');
    const { order, paymentKey } = await api.purchase(token, PLAN.BASIC);
    await api.advanceClock(3 * DAY);

    const res = await refund(api, token, order.orderId, { reason: 'too late' });

    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'REFUND_WINDOW_CLOSED', status: 409 });
    expect((await api.tossCalls(order.orderId)).cancel).toBe(0);
    const atPg = await tossPaymentAtPg(api, paymentKey);
    expect(atPg).toMatchObject({ status: 'DONE', balanceAmount: 9_900, cancels: [] });
    const payment = await paymentOf(api, token, order.orderId);
    expect(payment.body).toMatchObject({ status: 'APPROVED', refundedAmount: 0, refunds: [] });
  });

  it('lets an admin refund the same payment after the window, really cancelling it at the PG', async () => {
    const token = await api.token('window-admin-case');
    const admin = await api.token('support-admin', 'admin');
    const { order, paymentKey } = await api.purchase(token, PLAN.BASIC);
    await api.advanceClock(3 * DAY + MINUTE);
    expect((await refund(api, token, order.orderId)).body.code).toBe('REFUND_WINDOW_CLOSED');

    const res = await refund(api, admin, order.orderId, { reason: 'goodwill' });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ amount: 9_900, status: 'COMPLETED', reason: 'goodwill' });
    expect(res.body.payment).toMatchObject({ status: 'REFUNDED', refundedAmount: 9_900 });
    const atPg = await tossPaymentAtPg(api, paymentKey);
    expect(atPg.status).toBe('CANCELED');
    expect(atPg.balanceAmount).toBe(0);
    expect(atPg.cancels).toEqual([
      expect.objectContaining({ cancelAmount: 9_900, cancelReason: 'goodwill' }),
    ]);
    const payment = await paymentOf(api, token, order.orderId);
    expect(payment.body.refunds).toEqual([
      expect.objectContaining({
        refundId: res.body.refundId,
        status: 'COMPLETED',
        requestedBy: { userId: 'support-admin', role: 'admin' },
      }),
    ]);
  });

  it('records the window in force with the refund so an audit can re-check it', async () => {
    const token = await api.token('window-recorded');
    const { order } = await api.purchase(token, PLAN.EVENT, 5_000);

    expect((await refund(api, token, order.orderId, { amount: 1_000 })).status).toBe(201);

    // Read from the event store itself: what an auditor replays, not a read model.
    const events = await readStream(api, `payment-${order.orderId}`);
    const requested = events.find((e) => e.type === 'RefundRequested');
    expect(requested?.data).toMatchObject({ amount: 1_000, refundWindowDays: 3 });
  });

  it('does not let another user refund the payment', async () => {
    const owner = await api.token('window-owner');
    const other = await api.token('window-stranger');
    const { order, paymentKey } = await api.purchase(owner, PLAN.BASIC);

    const res = await refund(api, other, order.orderId);

    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect((await tossPaymentAtPg(api, paymentKey)).balanceAmount).toBe(9_900);
  });
});
