import { BASIC, confirm, placeOrder } from '../support/purchases';
import { MINUTE, SECOND, startWorld, type ProcessWorld } from '../support/process-harness';

const count = (types: string[], type: string) => types.filter((t) => t === type).length;

describe('confirming a payment across crashes and lost answers (P1, C2, C6, C8)', () => {
  let world: ProcessWorld;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(() => world.close());

  /** The purchase the follow-up owes after OrderPaid: the payment opened and the subscription applied. */
  async function expectFollowedUp(userId: string, orderId: string) {
    expect(await world.types(`payment-${orderId}`)).toEqual(['PaymentApproved']);
    const applied = (await world.events(`subscription-${userId}`)).filter(
      (e) => e.type === 'SubscriptionPurchaseApplied',
    );
    expect(applied.map((e) => e.data.orderId)).toEqual([orderId]);
    expect((await world.app.queries.subscription(userId)).status).toBe('ACTIVE');
  }

  it('records the approval once, from the PG, when the service died after the PG confirmed it', async () => {
    // given an order confirmed at the PG, and the service dying before it records OrderPaid
    const order = await placeOrder(world, 'alice', BASIC);
    const paymentKey = world.toss.authorize(order.orderId, order.amount);
    world.store.crashBefore('OrderPaid');
    await expect(confirm(world, 'toss', 'alice', order.orderId, paymentKey, order.amount)).rejects.toThrow(
      'simulated crash',
    );
    expect(world.toss.callsOf('confirm')).toHaveLength(1);

    // when the service restarts and its jobs run
    await world.restart();
    await world.advance(MINUTE);

    // then the reconciler found the approval: paid exactly once, the PG confirmed exactly once
    const types = await world.types(`order-${order.orderId}`);
    expect(count(types, 'OrderPaid')).toBe(1);
    expect(types).not.toContain('OrderExpired');
    expect(world.toss.callsOf('confirm')).toHaveLength(1);
    await expectFollowedUp('alice', order.orderId);
    // and the buyer's retry replays the approval without asking the PG to confirm again (C8)
    await expect(
      confirm(world, 'toss', 'alice', order.orderId, paymentKey, order.amount),
    ).resolves.toMatchObject({ kind: 'approved' });
    expect(world.toss.callsOf('confirm')).toHaveLength(1);
  });

  it("lets the buyer's retry pay the order when the service died between claiming the payment and recording the attempt", async () => {
    // given a claim of the PG payment, and the service dying before the attempt is recorded (no PG call yet)
    const order = await placeOrder(world, 'bob', BASIC);
    const paymentKey = world.toss.authorize(order.orderId, order.amount);
    world.store.crashBefore('PaymentAttemptStarted');
    await expect(confirm(world, 'toss', 'bob', order.orderId, paymentKey, order.amount)).rejects.toThrow(
      'simulated crash',
    );
    expect(world.toss.callsOf('confirm')).toHaveLength(0);
    await world.restart();

    // when the buyer retries the confirm
    const result = await confirm(world, 'toss', 'bob', order.orderId, paymentKey, order.amount);

    // then it is approved with one PG confirm, and the claim is held once, by this order (C4)
    expect(result.kind).toBe('approved');
    expect(world.toss.callsOf('confirm')).toHaveLength(1);
    const claims = await world.events(`pgpayment-toss-${paymentKey}`);
    expect(claims.map((e) => [e.type, e.data.orderId])).toEqual([['PgPaymentClaimed', order.orderId]]);
    expect(count(await world.types(`order-${order.orderId}`), 'OrderPaid')).toBe(1);
    await world.advance(MINUTE);
    await expectFollowedUp('bob', order.orderId);
  });

  it('answers pending when the PG confirm answer is lost, then records the approval once without confirming again', async () => {
    // given a PG that applies the confirm and loses the answer
    const order = await placeOrder(world, 'carol', BASIC);
    const paymentKey = world.toss.authorize(order.orderId, order.amount);
    world.toss.failNext('confirm', 'lost-answer');

    // when the buyer confirms, and retries while the outcome is unknown
    const first = await confirm(world, 'toss', 'carol', order.orderId, paymentKey, order.amount);
    const retried = await confirm(world, 'toss', 'carol', order.orderId, paymentKey, order.amount);

    // then both answer pending (C6, C8), with the unknown outcome recorded
    expect(first.kind).toBe('pending');
    expect(retried.kind).toBe('pending');
    expect(await world.types(`order-${order.orderId}`)).toEqual([
      'OrderPlaced',
      'PaymentAttemptStarted',
      'PaymentAttemptOutcomeUnknown',
    ]);

    // and when the reconciler's first check falls due, the approval is recorded once
    await world.advance(30 * SECOND);
    expect(count(await world.types(`order-${order.orderId}`), 'OrderPaid')).toBe(1);
    await world.advance(10 * MINUTE);
    expect(count(await world.types(`order-${order.orderId}`), 'OrderPaid')).toBe(1);
    await expectFollowedUp('carol', order.orderId);
    // the PG was asked to confirm once; any confirm call would have reused the attempt's key (C2)
    const confirms = world.toss.callsOf('confirm');
    expect(confirms).toHaveLength(1);
    expect(new Set(confirms.map((c) => c.key)).size).toBe(1);
    await expect(
      confirm(world, 'toss', 'carol', order.orderId, paymentKey, order.amount),
    ).resolves.toMatchObject({ kind: 'approved' });
    expect(world.toss.callsOf('confirm')).toHaveLength(1);
  });
});
