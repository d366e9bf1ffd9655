import { PLAN, startApi, type Api } from './support/harness';

const DAY = 86_400_000;
const PRICE = { BASIC: 9_900, PREMIUM: 19_900 };
const ms = (iso: string): number => Date.parse(iso);

/** S2 and S3 through the API: a renewal extends the end; an upgrade carries the unused days. */
describe('subscription renewal and upgrade', () => {
  let api: Api;
  let token: string;

  beforeAll(async () => {
    api = await startApi();
    token = await api.token('subscriber');
    // Mar 10 noon in Seoul: no month-end clamping in the periods below.
    await api.setClock('2031-03-10T03:00:00.000Z');
  });
  afterAll(() => api.close());

  const subscription = async () => (await api.get(token, '/v1/users/me/subscription')).body;

  it('moves the end one month further when the same plan is bought while active (S2)', async () => {
    const first = await api.purchase(token, PLAN.BASIC);
    const start = first.confirmed.body.approvedAt as string;
    expect((await subscription()).periodEnd).toBe(start.replace('2031-03-10', '2031-04-10'));

    await api.advanceClock(5 * DAY);
    const renewal = await api.purchase(token, PLAN.BASIC);

    const after = await subscription();
    expect(after).toMatchObject({ status: 'ACTIVE', planId: PLAN.BASIC, periodStart: start });
    // Counted from the anchor: two months after the first approval, not one after the renewal.
    expect(after.periodEnd).toBe(start.replace('2031-03-10', '2031-05-10'));
    expect(after.periods.map((p: { orderId: string }) => p.orderId)).toEqual([
      first.order.orderId,
      renewal.order.orderId,
    ]);
  });

  it('starts PREMIUM at the upgrade and credits the unused BASIC days at the price ratio (S3)', async () => {
    const before = await subscription();
    await api.advanceClock(5 * DAY);

    const upgrade = await api.purchase(token, PLAN.PREMIUM);

    const approvedAt = upgrade.confirmed.body.approvedAt as string;
    expect(approvedAt.startsWith('2031-03-20T')).toBe(true);
    const unusedMs = ms(before.periodEnd) - ms(approvedAt);
    const creditDays = Math.floor((unusedMs * PRICE.BASIC) / (DAY * PRICE.PREMIUM));
    expect(creditDays).toBe(25); // 51 unused days × 9,900 / 19,900 = 25.37
    const oneMonthLater = ms(approvedAt.replace('2031-03-20', '2031-04-20'));

    const after = await subscription();
    expect(after).toMatchObject({ status: 'ACTIVE', planId: PLAN.PREMIUM, periodStart: approvedAt });
    expect(after.periodEnd).toBe(new Date(oneMonthLater + creditDays * DAY).toISOString());
    const last = after.periods[after.periods.length - 1];
    expect(last).toMatchObject({ planId: PLAN.PREMIUM, orderId: upgrade.order.orderId, start: approvedAt });
    // The BASIC periods stop where the upgrade took over.
    for (const period of after.periods.slice(0, -1))
      expect(ms(period.end)).toBeLessThanOrEqual(ms(approvedAt));
  });

  it('reads the subscription as EXPIRED from its end instant on (S5)', async () => {
    const { periodEnd } = await subscription();
    await api.setClock(periodEnd);

    const after = await subscription();

    expect(after).toMatchObject({ status: 'EXPIRED', periodEnd });
  });
});
