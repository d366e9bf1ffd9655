import { BASIC, purchase } from '../support/purchases';
import { MINUTE, startWorld, type ProcessWorld } from '../support/process-harness';

describe('approval follow-up (C9) across a crash', () => {
  let world: ProcessWorld;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(() => world.close());

  it('opens the payment and applies the purchase exactly once after a crash before the payment is opened', async () => {
    world.store.crashBefore('PaymentApproved');
    const bought = purchase(world, 'alice', BASIC);
    await expect(bought).rejects.toThrow('simulated crash');
    await world.restart();
    const orders = await world.app.queries.history({ userId: 'alice' }, 10);
    const orderId = orders.items[0]?.orderId as string;

    await world.advance(MINUTE);

    expect(await world.types(`order-${orderId}`)).toEqual([
      'OrderPlaced',
      'PaymentAttemptStarted',
      'OrderPaid',
    ]);
    expect(await world.types(`payment-${orderId}`)).toEqual(['PaymentApproved']);
    const applied = (await world.events('subscription-alice')).filter(
      (e) => e.type === 'SubscriptionPurchaseApplied',
    );
    expect(applied.map((e) => e.data.orderId)).toEqual([orderId]);
    expect(world.toss.callsOf('confirm')).toHaveLength(1);
    expect((await world.app.queries.subscription('alice')).status).toBe('ACTIVE');
  });

  it('applies the purchase exactly once after a crash between opening the payment and the subscription', async () => {
    world.store.crashBefore('SubscriptionPurchaseApplied');
    await expect(purchase(world, 'bob', BASIC)).rejects.toThrow('simulated crash');
    await world.restart();

    await world.advance(MINUTE);
    await world.advance(10 * MINUTE);

    const applied = (await world.events('subscription-bob')).filter(
      (e) => e.type === 'SubscriptionPurchaseApplied',
    );
    expect(applied).toHaveLength(1);
    expect(world.toss.callsOf('confirm')).toHaveLength(1);
    expect((await world.app.queries.subscription('bob')).status).toBe('ACTIVE');
  });
});
