import { PLAN, startApi, type Api } from './support/harness';
import { refund } from './support/pg-helpers';

/** F4: what a refund does to what the payment bought (a subscription period, the event fund). */
describe('refunds and entitlements', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
    // Mar 10 noon in Seoul: one month ends Apr 10, two months May 10 (no clamping in play).
    await api.setClock('2031-03-10T03:00:00.000Z');
  });
  afterAll(() => api.close());

  const subscriptionOf = async (token: string) => {
    const res = await api.get(token, '/v1/users/me/subscription');
    expect(res.status).toBe(200);
    return res.body as {
      status: string;
      planId: number;
      periodStart: string;
      periodEnd: string;
      periods: unknown[];
    };
  };
  const fund = async () =>
    (await api.http().get('/v1/event-fund')).body as { total: number; contributions: number };

  it('revokes the subscription when its only payment is fully refunded', async () => {
    const token = await api.token('ent-full');
    const { order } = await api.purchase(token, PLAN.BASIC);
    expect((await subscriptionOf(token)).status).toBe('ACTIVE');

    const res = await refund(api, token, order.orderId);

    expect(res.status).toBe(201);
    const subscription = await subscriptionOf(token);
    expect(subscription.status).toBe('REVOKED');
    const history = await api.get(token, '/v1/users/me/payments');
    expect(history.body.items[0]).toMatchObject({ orderId: order.orderId, status: 'REFUNDED' });
  });

  it('changes no entitlement on a partial refund, even one leaving 1 KRW', async () => {
    const token = await api.token('ent-partial');
    const { order } = await api.purchase(token, PLAN.BASIC);
    const before = await subscriptionOf(token);

    expect((await refund(api, token, order.orderId, { amount: 9_899 })).status).toBe(201);

    const after = await subscriptionOf(token);
    expect(after).toMatchObject({
      status: 'ACTIVE',
      planId: PLAN.BASIC,
      periodStart: before.periodStart,
      periodEnd: before.periodEnd,
    });
    expect(after.periods).toEqual(before.periods);
  });

  it('shortens, but keeps ACTIVE, a subscription extended by a later purchase when the earlier one is refunded', async () => {
    const token = await api.token('ent-shorten');
    const { order: first, confirmed } = await api.purchase(token, PLAN.BASIC);
    const approvedAt = confirmed.body.approvedAt as string;
    await api.purchase(token, PLAN.BASIC);
    const extended = await subscriptionOf(token);
    expect(extended.periodEnd).toBe(approvedAt.replace('2031-03-10', '2031-05-10'));

    expect((await refund(api, token, first.orderId, { reason: 'bought twice' })).status).toBe(201);

    const shortened = await subscriptionOf(token);
    expect(shortened.status).toBe('ACTIVE');
    expect(shortened.periodStart).toBe(extended.periodStart);
    expect(shortened.periodEnd).toBe(approvedAt.replace('2031-03-10', '2031-04-10'));
    expect(Date.parse(shortened.periodEnd)).toBeLessThan(Date.parse(extended.periodEnd));
  });

  it('revokes once both purchases backing the subscription are refunded', async () => {
    const token = await api.token('ent-both');
    const { order: first } = await api.purchase(token, PLAN.BASIC);
    const { order: second } = await api.purchase(token, PLAN.BASIC);

    await refund(api, token, second.orderId);
    expect((await subscriptionOf(token)).status).toBe('ACTIVE');
    await refund(api, token, first.orderId);

    expect((await subscriptionOf(token)).status).toBe('REVOKED');
  });

  it('reduces the event fund by each EVENT refund, and drops the contributor when fully refunded', async () => {
    const token = await api.token('ent-fund');
    const start = await fund();
    const { order } = await api.purchase(token, PLAN.EVENT, 50_000);
    expect(await fund()).toEqual({ total: start.total + 50_000, contributions: start.contributions + 1 });

    expect((await refund(api, token, order.orderId, { amount: 20_000 })).status).toBe(201);
    expect(await fund()).toEqual({ total: start.total + 30_000, contributions: start.contributions + 1 });

    expect((await refund(api, token, order.orderId)).status).toBe(201);
    expect(await fund()).toEqual({ total: start.total, contributions: start.contributions });
  });

  it('leaves the event fund alone when a subscription payment is refunded', async () => {
    const token = await api.token('ent-fund-sub');
    const { order } = await api.purchase(token, PLAN.PREMIUM);
    const before = await fund();

    await refund(api, token, order.orderId);

    expect(await fund()).toEqual(before);
  });
});
