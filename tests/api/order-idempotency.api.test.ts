import { PLAN, startApi, type Api } from './support/harness';

/** The REST Idempotency-Key on POST /v1/orders: a retried create makes one order. */
describe('Idempotency-Key on POST /v1/orders', () => {
  let api: Api;
  let token: string;

  beforeAll(async () => {
    api = await startApi();
    token = await api.token('retrying-client');
  });
  afterAll(() => api.close());

  it('replays the first answer for the same key and body, and places one order', async () => {
    const head = await api.eventHead();
    const key = { 'Idempotency-Key': 'order-attempt-1' };

    const first = await api.createOrder(token, { planId: PLAN.BASIC }, key);
    const afterFirst = await api.eventHead();
    const retry = await api.createOrder(token, { planId: PLAN.BASIC }, key);

    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.orderId).toBe(first.body.orderId);
    expect(retry.body.expiresAt).toBe(first.body.expiresAt);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(afterFirst).toBeGreaterThan(head);
    expect(await api.eventHead()).toBe(afterFirst);
  });

  it('treats the same body with its keys in another order as the same request', async () => {
    const key = { 'Idempotency-Key': 'order-attempt-reordered' };
    const first = await api.createOrder(token, { planId: PLAN.EVENT, amount: 3_000 }, key);
    const retry = await api.createOrder(token, { amount: 3_000, planId: PLAN.EVENT }, key);

    expect(retry.body.orderId).toBe(first.body.orderId);
  });

  it('refuses the same key with another body with IDEMPOTENCY_KEY_REUSED and records nothing', async () => {
    const key = { 'Idempotency-Key': 'order-attempt-2' };
    await api.createOrder(token, { planId: PLAN.BASIC }, key);
    const head = await api.eventHead();

    const reused = await api.createOrder(token, { planId: PLAN.PREMIUM }, key);

    expect(reused.status).toBe(422);
    expect(reused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await api.eventHead()).toBe(head);
  });

  it("scopes keys to the caller: another user's same key places their own order", async () => {
    const key = { 'Idempotency-Key': 'shared-looking-key' };
    const mine = await api.createOrder(token, { planId: PLAN.BASIC }, key);
    const theirs = await api.createOrder(await api.token('other-client'), { planId: PLAN.BASIC }, key);

    expect(theirs.status).toBe(201);
    expect(theirs.body.orderId).not.toBe(mine.body.orderId);
    expect(theirs.body.userId).toBe('other-client');
  });

  it('lets a key whose first request was refused be used again once the body is fixed', async () => {
    const key = { 'Idempotency-Key': 'fix-and-retry' };
    const refused = await api.createOrder(token, { planId: 999 }, key);
    expect(refused.body.code).toBe('PLAN_NOT_FOUND');

    const fixed = await api.createOrder(token, { planId: PLAN.BASIC }, key);

    expect(fixed.status).toBe(201);
  });

  it('places a new order for each request without a key', async () => {
    const a = await api.createOrder(token, { planId: PLAN.BASIC });
    const b = await api.createOrder(token, { planId: PLAN.BASIC });
    expect(a.body.orderId).not.toBe(b.body.orderId);
  });
});
