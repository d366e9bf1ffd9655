import { MINUTE, PLAN, startApi, type Api } from './support/harness';
import { paymentOf, tossPaymentAtPg } from './support/pg-helpers';

/**
 * A refund POST retried with the same Idempotency-Key (double click, network retry) refunds once:
 * the REST contract's key rules applied to the one command that moves money back.
 */
describe('refund requests retried with an Idempotency-Key', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  const refundWithKey = (token: string, orderId: string, key: string, body: Record<string, unknown>) =>
    api
      .http()
      .post(`/v1/payments/${orderId}/refunds`)
      .set('Authorization', `Bearer ${token}`)
      .set('Idempotency-Key', key)
      .send(body);

  it('replays the first 201 for a retry with the same key and body, cancelling once at the PG', async () => {
    const token = await api.token('idem-replay');
    const { order, paymentKey } = await api.purchase(token, PLAN.BASIC);
    const body = { amount: 1_000, reason: 'double click' };

    const first = await refundWithKey(token, order.orderId, 'refund-key-1', body);
    const retry = await refundWithKey(token, order.orderId, 'refund-key-1', body);

    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.refundId).toBe(first.body.refundId);
    expect((await tossPaymentAtPg(api, paymentKey)).cancels).toHaveLength(1);
    expect((await paymentOf(api, token, order.orderId)).body.refundedAmount).toBe(1_000);
  });

  it('refuses the same key with another body (IDEMPOTENCY_KEY_REUSED) and refunds nothing more', async () => {
    const token = await api.token('idem-reused');
    const { order, paymentKey } = await api.purchase(token, PLAN.BASIC);
    expect(
      (await refundWithKey(token, order.orderId, 'refund-key-2', { amount: 1_000, reason: 'r' })).status,
    ).toBe(201);

    const other = await refundWithKey(token, order.orderId, 'refund-key-2', { amount: 2_000, reason: 'r' });

    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await tossPaymentAtPg(api, paymentKey)).cancels).toHaveLength(1);
  });

  it('makes one refund of ten simultaneous requests with one key', async () => {
    const token = await api.token('idem-race');
    const { order, paymentKey } = await api.purchase(token, PLAN.BASIC);
    const body = { amount: 500, reason: 'impatient' };

    const answers = await Promise.all(
      Array.from({ length: 10 }, () => refundWithKey(token, order.orderId, 'refund-key-3', body)),
    );

    for (const a of answers) expect([201, 409]).toContain(a.status);
    expect(new Set(answers.filter((a) => a.status === 201).map((a) => a.body.refundId)).size).toBe(1);
    expect((await tossPaymentAtPg(api, paymentKey)).cancels).toHaveLength(1);
    expect((await paymentOf(api, token, order.orderId)).body.refundedAmount).toBe(500);
  });

  it('does not refund again when a request answered 202 PENDING is retried with its key after it settled', async () => {
    const token = await api.token('idem-after-pending');
    const { order, paymentKey } = await api.purchase(token, PLAN.BASIC);
    const body = { amount: 1_500, reason: 'lost answer' };
    await api.fault('timeout', 'cancel');

    const pending = await refundWithKey(token, order.orderId, 'refund-key-4', body);
    expect(pending.status).toBe(202);
    await api.advanceClock(1 * MINUTE);
    expect((await tossPaymentAtPg(api, paymentKey)).cancels).toHaveLength(1);

    const retry = await refundWithKey(token, order.orderId, 'refund-key-4', body);

    expect(retry.status).toBeLessThan(300);
    expect(retry.body.refundId).toBe(pending.body.refundId);
    expect(retry.body.status).toBe('COMPLETED');
    expect((await tossPaymentAtPg(api, paymentKey)).cancels).toHaveLength(1);
    expect((await paymentOf(api, token, order.orderId)).body.refundedAmount).toBe(1_500);
  });

  it('answers a retry of a still-PENDING refund with its own 202, not a second refund', async () => {
    const token = await api.token('idem-still-pending');
    const { order, paymentKey } = await api.purchase(token, PLAN.BASIC);
    const body = { amount: 700, reason: 'still waiting' };
    await api.fault('timeout', 'cancel');
    const pending = await refundWithKey(token, order.orderId, 'refund-key-5', body);
    expect(pending.status).toBe(202);

    const retry = await refundWithKey(token, order.orderId, 'refund-key-5', body);

    expect(retry.status).toBe(202);
    expect(retry.body.refundId).toBe(pending.body.refundId);
    await api.advanceClock(1 * MINUTE);
    expect((await tossPaymentAtPg(api, paymentKey)).cancels.map((c) => c.cancelAmount)).toEqual([700]);
  });

  it('refuses the key of a 202 PENDING request reused for another amount (IDEMPOTENCY_KEY_REUSED)', async () => {
    const token = await api.token('idem-pending-reused');
    const { order, paymentKey } = await api.purchase(token, PLAN.BASIC);
    await api.fault('timeout', 'cancel');
    expect(
      (await refundWithKey(token, order.orderId, 'refund-key-6', { amount: 900, reason: 'a' })).status,
    ).toBe(202);
    await api.advanceClock(1 * MINUTE);

    const reused = await refundWithKey(token, order.orderId, 'refund-key-6', { amount: 9_000, reason: 'a' });

    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await tossPaymentAtPg(api, paymentKey)).cancels.map((c) => c.cancelAmount)).toEqual([900]);
  });
});
