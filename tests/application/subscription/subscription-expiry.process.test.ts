import { BASIC, purchase } from '../support/purchases';
import { DAY, MINUTE, startWorld, type ProcessWorld } from '../support/process-harness';
import { recorded } from '../support/recorded';

describe('subscription expiry (S5) across a restart', () => {
  let world: ProcessWorld;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(() => world.close());

  it('an active subscription expires exactly at its end after a restart, recorded once at the end instant', async () => {
    // given an active month, and a restart in the middle of it
    await purchase(world, 'quinn', BASIC, 'toss');
    await world.advance(10 * DAY);
    const active = await world.app.queries.subscription('quinn');
    expect(active.status).toBe('ACTIVE');
    const end = Date.parse(active.periodEnd);
    await world.restart();

    // when time moves to just before the end, then past it
    await world.advance(end - world.clock.now() - MINUTE);
    expect(await recorded(world, 'subscription-quinn', 'SubscriptionExpired')).toHaveLength(0);
    expect((await world.app.queries.subscription('quinn')).status).toBe('ACTIVE');
    await world.advance(2 * DAY);

    // then one expiry is recorded, dated at the end instant itself
    const expired = await recorded(world, 'subscription-quinn', 'SubscriptionExpired');
    expect(expired.map((e) => e.data.at)).toEqual([active.periodEnd]);
    // and recorded by the scheduler at that instant, not when time next happened to move
    expect(expired.map((e) => e.metadata.recordedAt)).toEqual([active.periodEnd]);
    const view = await world.app.queries.subscription('quinn');
    expect(view.status).toBe('EXPIRED');
    expect(view.periodEnd).toBe(active.periodEnd);
  });
});
