import { BASIC, confirm, placeOrder } from '../support/purchases';
import { DAY, HOUR, MINUTE, startWorld, type ProcessWorld } from '../support/process-harness';

const count = (types: string[], type: string) => types.filter((t) => t === type).length;
const alice = { userId: 'alice', role: 'user' as const };

describe('order expiry (O3) across a restart', () => {
  let world: ProcessWorld;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(() => world.close());

  it('expires an order exactly once, at its instant, after a crash before the expiry was recorded', async () => {
    // given a pending order, and the service dying as it records the expiry
    const order = await placeOrder(world, 'alice', BASIC);
    world.store.crashBefore('OrderExpired');
    await world.advance(order.expiresAt - world.clock.now() + MINUTE);
    expect(await world.types(`order-${order.orderId}`)).toEqual(['OrderPlaced']);

    // when the service restarts and its jobs run, then restarts again later
    await world.restart();
    await world.advance(MINUTE);
    await world.restart();
    await world.advance(DAY);

    // then the order is expired once, dated at its expiry instant
    const events = await world.events(`order-${order.orderId}`);
    expect(events.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderExpired']);
    expect(Date.parse(String(events[1]?.data.at))).toBe(order.expiresAt);
    expect((await world.app.queries.order(order.orderId, alice)).status).toBe('EXPIRED');
  });

  it('expires an order once, dated at its instant, when the service was down across the expiry', async () => {
    // given a pending order, and the service down from before its expiry until an hour after
    const order = await placeOrder(world, 'alice', BASIC);
    world.clock.moveTo(order.expiresAt + HOUR);

    // when the service starts again
    await world.restart();
    await world.advance(MINUTE);

    // then the order is expired once, at its instant
    const events = await world.events(`order-${order.orderId}`);
    expect(events.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderExpired']);
    expect(Date.parse(String(events[1]?.data.at))).toBe(order.expiresAt);
  });

  it('holds an order whose confirmation outcome is unknown past its expiry, and pays it for an approval made in time', async () => {
    // given a confirm the PG applied (answer lost), and PG lookups failing for a while
    const order = await placeOrder(world, 'alice', BASIC);
    const paymentKey = world.toss.authorize(order.orderId, order.amount);
    world.toss.failNext('confirm', 'lost-answer');
    world.toss.failAlways(paymentKey, 'lookup', 'lost-request');
    expect((await confirm(world, 'toss', 'alice', order.orderId, paymentKey, order.amount)).kind).toBe(
      'pending',
    );

    // when the order's expiry passes, across a restart
    await world.advance(order.expiresAt - world.clock.now() + 5 * MINUTE);
    await world.restart();
    await world.advance(5 * MINUTE);

    // then it is not expired: the outcome is still unknown
    expect(await world.types(`order-${order.orderId}`)).not.toContain('OrderExpired');
    expect((await world.app.queries.order(order.orderId, alice)).status).toBe('PENDING');

    // and when the PG answers again, the approval it made before the expiry pays the order
    world.toss.recover(paymentKey);
    await world.advance(2 * HOUR);
    const types = await world.types(`order-${order.orderId}`);
    expect(count(types, 'OrderPaid')).toBe(1);
    expect(types).not.toContain('OrderExpired');
    expect(types).not.toContain('PgApprovalRefused');
    expect(world.toss.callsOf('cancel')).toHaveLength(0);
  });

  it('expires an order held by an unknown outcome once that outcome is known as not approved', async () => {
    // given a confirm lost on its way to a PG that never got the payment, and lookups failing
    const order = await placeOrder(world, 'alice', BASIC);
    const paymentKey = 'toss-pay-never-reached';
    world.toss.failNext('confirm', 'lost-request');
    world.toss.failAlways(paymentKey, 'lookup', 'lost-request');
    expect((await confirm(world, 'toss', 'alice', order.orderId, paymentKey, order.amount)).kind).toBe(
      'pending',
    );
    await world.advance(order.expiresAt - world.clock.now() + 5 * MINUTE);
    expect(await world.types(`order-${order.orderId}`)).not.toContain('OrderExpired');

    // when the PG answers again (it has no such payment)
    world.toss.recover(paymentKey);
    await world.advance(2 * HOUR);

    // then the attempt is rejected, and the order expires once, when that became known
    const events = await world.events(`order-${order.orderId}`);
    const types = events.map((e) => e.type);
    expect(types.slice(-2)).toEqual(['PaymentAttemptRejected', 'OrderExpired']);
    expect(count(types, 'OrderExpired')).toBe(1);
    const rejectedAt = String(events.at(-2)?.data.at);
    expect(events.at(-1)?.data.at).toBe(rejectedAt);
    expect(Date.parse(rejectedAt)).toBeGreaterThan(order.expiresAt);
  });
});
