import { PLAN, startApi, type Api } from './support/harness';

/** E1 and O1 for EVENT plans: the buyer picks the amount, within the plan's bounds. */
describe('the event fund', () => {
  let api: Api;
  let token: string;

  beforeAll(async () => {
    api = await startApi();
    token = await api.token('donor');
  });
  afterAll(() => api.close());

  it('is empty before any contribution, and readable without a token', async () => {
    const fund = await api.http().get('/v1/event-fund');
    expect(fund.status).toBe(200);
    expect(fund.body).toEqual({ total: 0, contributions: 0 });
  });

  it('sums approved EVENT payments and counts the contributions', async () => {
    const small = await api.purchase(token, PLAN.EVENT, 5_000);
    const large = await api.purchase(await api.token('another-donor'), PLAN.EVENT, 12_000);
    expect(small.order.amount).toBe(5_000);
    expect(large.confirmed.body).toMatchObject({ status: 'APPROVED', amount: 12_000, planType: 'EVENT' });

    const fund = await api.http().get('/v1/event-fund');

    expect(fund.body).toEqual({ total: 17_000, contributions: 2 });
  });

  it('leaves the fund alone for an unpaid EVENT order and a declined one', async () => {
    await api.order(token, PLAN.EVENT, 50_000);
    const declined = await api.order(token, PLAN.EVENT, 70_000);
    const { paymentKey } = await api.tossSession(declined, { outcome: 'decline' });
    const refused = await api.confirm(token, {
      provider: 'toss',
      paymentKey,
      orderId: declined.orderId,
      amount: 70_000,
    });
    expect(refused.status).toBe(422);

    expect((await api.http().get('/v1/event-fund')).body).toEqual({ total: 17_000, contributions: 2 });
  });

  it('gives an EVENT purchase no subscription', async () => {
    const res = await api.get(token, '/v1/users/me/subscription');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('SUBSCRIPTION_NOT_FOUND');
  });

  it.each([
    ['below the minimum', 999],
    ['above the maximum', 1_000_001],
  ])('refuses an EVENT amount %s with VALIDATION_FAILED and records nothing', async (_case, amount) => {
    const head = await api.eventHead();

    const res = await api.createOrder(token, { planId: PLAN.EVENT, amount });

    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(await api.eventHead()).toBe(head);
  });

  it('accepts the bounds themselves', async () => {
    expect((await api.createOrder(token, { planId: PLAN.EVENT, amount: 1_000 })).status).toBe(201);
    expect((await api.createOrder(token, { planId: PLAN.EVENT, amount: 1_000_000 })).status).toBe(201);
  });

  it('requires an amount for an EVENT order, and refuses a client-set price on a subscription (O1)', async () => {
    const missing = await api.createOrder(token, { planId: PLAN.EVENT });
    const cheaper = await api.createOrder(token, { planId: PLAN.BASIC, amount: 100 });

    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('VALIDATION_FAILED');
    expect(cheaper.status).toBe(400);
    expect(cheaper.body.code).toBe('VALIDATION_FAILED');
  });
});
