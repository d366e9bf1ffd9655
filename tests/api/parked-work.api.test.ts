import { MINUTE, PLAN, startApi, type Api } from './support/harness';
import { paymentOf, refund, tossPaymentAtPg } from './support/pg-helpers';

const DAY = 24 * 60 * MINUTE;

/**
 * P2 as operators see it: work a process keeps failing is parked after a bounded number of
 * attempts, shown on /health and /v1/admin/processes with its reason, never retried by itself,
 * and retried when an admin says so.
 */
describe('parked work', () => {
  let api: Api;
  beforeEach(async () => {
    api = await startApi();
  });
  afterEach(() => api.close());

  it('parks a refund whose cancel keeps failing, shows it, and finishes it once an admin retries it', async () => {
    const token = await api.token('parked-refund');
    const admin = await api.token('ops', 'admin');
    const { order, paymentKey } = await api.purchase(token, PLAN.BASIC);
    // The first call and the process's twelve attempts all fail.
    await api.fault('http500', 'cancel', 13);

    const pending = await refund(api, token, order.orderId, { amount: 3_000 });
    expect(pending.status).toBe(202);
    await api.advanceClock(3 * DAY);

    const health = (await api.http().get('/health')).body;
    expect(health.processes.parked).toBe(1);
    const listed = (await api.get(admin, '/v1/admin/processes')).body.items;
    const execution = listed.find((p: { process: string }) => p.process === 'refund-execution');
    expect(execution.parked).toEqual([
      expect.objectContaining({
        id: `${order.orderId}:${pending.body.refundId}`,
        reason: expect.any(String),
      }),
    ]);
    // Parked: a week more of clock makes no further attempt.
    await api.advanceClock(7 * DAY);
    expect((await tossPaymentAtPg(api, paymentKey)).cancels).toHaveLength(0);
    expect((await paymentOf(api, token, order.orderId)).body.refunds[0].status).toBe('PENDING');

    const retried = await api
      .http()
      .post(`/v1/admin/processes/refund-execution/parked/${order.orderId}:${pending.body.refundId}/retry`)
      .set('authorization', `Bearer ${admin}`);
    expect(retried.status).toBe(202);
    await api.advanceClock(MINUTE);

    expect((await paymentOf(api, token, order.orderId)).body).toMatchObject({
      status: 'PARTIALLY_REFUNDED',
      refundedAmount: 3_000,
    });
    expect((await tossPaymentAtPg(api, paymentKey)).cancels).toHaveLength(1);
    expect((await api.http().get('/health')).body.processes.parked).toBe(0);
    // Ten days of clock stepped through every due job: slow on a loaded machine, not a timed assertion.
  }, 120_000);

  it('lets only admins retry, and answers 404 for a process or item it does not know', async () => {
    const user = await api.token('nosy');
    const admin = await api.token('ops', 'admin');
    const path = '/v1/admin/processes/refund-execution/parked/nothing/retry';
    expect((await api.http().post(path).set('authorization', `Bearer ${user}`)).status).toBe(403);
    const unknownItem = await api.http().post(path).set('authorization', `Bearer ${admin}`);
    expect(unknownItem.status).toBe(404);
    expect(unknownItem.headers['content-type']).toContain('application/problem+json');
    const unknownProcess = await api
      .http()
      .post('/v1/admin/processes/no-such-process/parked/x/retry')
      .set('authorization', `Bearer ${admin}`);
    expect(unknownProcess.status).toBe(404);
    expect((await api.get(user, '/v1/admin/processes')).status).toBe(403);
  });
});
