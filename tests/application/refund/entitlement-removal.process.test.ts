import { BASIC, purchase, refund } from '../support/purchases';
import { DAY, HOUR, MINUTE, startWorld, type ProcessWorld } from '../support/process-harness';
import { recorded } from '../support/recorded';

type Provider = 'toss' | 'portone';
const admin = { userId: 'ops', role: 'admin' as const };

describe('entitlement removal (F4) after a full refund', () => {
  let world: ProcessWorld;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(() => world.close());

  it.each<Provider>(['toss', 'portone'])(
    '%s: a crash before SubscriptionPurchaseRemoved after the refund completed revokes the subscription once after a restart',
    async (provider) => {
      // given a full refund of the only month, recorded COMPLETED, and a crash before its removal
      const bought = await purchase(world, 'gina', BASIC, provider);
      world.store.crashBefore('SubscriptionPurchaseRemoved');
      await refund(world, bought.orderId, admin);
      expect(await recorded(world, `payment-${bought.orderId}`, 'RefundCompleted')).toHaveLength(1);
      expect(await recorded(world, 'subscription-gina', 'SubscriptionPurchaseRemoved')).toHaveLength(0);

      // when the service restarts and its processes run
      await world.restart();
      await world.advance(HOUR);

      // then the month is removed exactly once and the subscription is revoked
      const removed = await recorded(world, 'subscription-gina', 'SubscriptionPurchaseRemoved');
      expect(removed.map((e) => e.data.orderId)).toEqual([bought.orderId]);
      expect(await recorded(world, 'subscription-gina', 'SubscriptionRevoked')).toHaveLength(1);
      expect((await world.app.queries.subscription('gina')).status).toBe('REVOKED');
    },
  );

  it('a refund whose entitlement step fails still answers COMPLETED, and the removal is done after a restart', async () => {
    // given a subscription whose stream cannot be appended to when the refund removes the month
    const bought = await purchase(world, 'hank', BASIC, 'portone');
    world.store.crashBefore('SubscriptionPurchaseRemoved', 'subscription-');

    // when the owner refunds it
    const answer = await refund(world, bought.orderId, { userId: 'hank', role: 'user' });

    // then the refund answers COMPLETED (the PG cancelled it), not an error
    expect(answer.status).toBe('COMPLETED');
    expect(world.portone.cancelsOf(bought.pgPaymentId)).toHaveLength(1);
    // and after a restart the process owes and does the removal
    await world.restart();
    await world.advance(MINUTE);
    expect(await recorded(world, 'subscription-hank', 'SubscriptionPurchaseRemoved')).toHaveLength(1);
    expect((await world.app.queries.subscription('hank')).status).toBe('REVOKED');
  });

  it('an admin refund of a month that has already elapsed leaves the user active until the end of the later month', async () => {
    // given two BASIC months bought back to back, the second while the first is active
    const first = await purchase(world, 'ivy', BASIC, 'toss');
    await world.advance(DAY);
    await purchase(world, 'ivy', BASIC, 'toss');
    await world.app.projector.catchUp();
    const before = await world.app.queries.subscription('ivy');
    expect(before.periods).toHaveLength(2);
    // and the first month over
    await world.advance(32 * DAY);
    expect(Date.parse(before.periods[0]?.end ?? '')).toBeLessThan(world.clock.now());

    // when an admin refunds the elapsed first month in full
    const answer = await refund(world, first.orderId, admin);
    await world.advance(HOUR);

    // then the refund is completed, and the removal changes no current entitlement (history)
    expect(answer.status).toBe('COMPLETED');
    const removed = await recorded(world, 'subscription-ivy', 'SubscriptionPurchaseRemoved');
    expect(removed.map((e) => e.data.effect)).toEqual(['PAST']);
    const after = await world.app.queries.subscription('ivy');
    expect(after.status).toBe('ACTIVE');
    expect(after.periodEnd).toBe(before.periodEnd);
  });

  it("one user's 80 concurrent full refunds all complete and every refunded month is removed", async () => {
    // given 80 PortOne months bought by one user
    const bought = [];
    for (let i = 0; i < 80; i++) bought.push(await purchase(world, 'jack', BASIC, 'portone'));

    // when all 80 are refunded at once
    const answers = await Promise.all(bought.map((b) => refund(world, b.orderId, admin)));

    // then every answer is COMPLETED (no CONCURRENCY_CONFLICT)
    expect(answers.map((a) => a.status)).toEqual(bought.map(() => 'COMPLETED'));
    // and after the processes run every month is gone
    await world.advance(2 * HOUR);
    const removed = await recorded(world, 'subscription-jack', 'SubscriptionPurchaseRemoved');
    expect(new Set(removed.map((e) => e.data.orderId))).toEqual(new Set(bought.map((b) => b.orderId)));
    expect(removed).toHaveLength(80);
    const view = await world.app.queries.subscription('jack');
    expect(view.status).toBe('REVOKED');
    expect(view.periods).toEqual([]);
  }, 20_000);
});
