import { AWAITING_GRACE_MS } from '../../../src/application/payment/confirmation-reconciler.process';
import { BASIC, confirm, placeOrder } from '../support/purchases';
import { HOUR, MINUTE, SECOND, startWorld, type ProcessWorld } from '../support/process-harness';

describe('confirmation reconciler: an unknown outcome has a deadline (C6, O3, C7)', () => {
  let world: ProcessWorld;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(() => world.close());

  /** An order whose confirm never reached the PG: the Toss payment stays READY (AWAITING) there. */
  async function confirmLost(userId: string) {
    const order = await placeOrder(world, userId, BASIC);
    const paymentKey = world.toss.authorize(order.orderId, order.amount);
    world.toss.failNext('confirm', 'lost-request');
    const result = await confirm(world, 'toss', userId, order.orderId, paymentKey, order.amount);
    expect(result.kind).toBe('pending');
    return { orderId: order.orderId, paymentKey, expiresAt: order.expiresAt };
  }

  it('rejects the attempt and expires the order once the expiry plus the grace has passed with the PG still waiting', async () => {
    // given an attempt whose payment stays waiting at the PG
    const { orderId, expiresAt } = await confirmLost('dana');
    const deadline = expiresAt + AWAITING_GRACE_MS;

    // when time passes the order's expiry, up to just before the deadline
    await world.advance(expiresAt - world.clock.now() + MINUTE);
    const heldAtExpiry = await world.types(`order-${orderId}`);
    await world.advance(deadline - world.clock.now() - SECOND);

    // then the unknown outcome holds the order: neither rejected nor expired
    expect(heldAtExpiry).toEqual(['OrderPlaced', 'PaymentAttemptStarted', 'PaymentAttemptOutcomeUnknown']);
    expect(await world.types(`order-${orderId}`)).toEqual(heldAtExpiry);

    // and when the deadline passes, the attempt counts as not approved and the order expires
    await world.advance(MINUTE);
    const events = await world.events(`order-${orderId}`);
    expect(events.map((e) => e.type)).toEqual([...heldAtExpiry, 'PaymentAttemptRejected', 'OrderExpired']);
    expect(events[3]?.data.code).toBe('PG_PAYMENT_NOT_COMPLETED');
    expect(world.toss.callsOf('confirm')).toHaveLength(1);
    expect(world.toss.callsOf('cancel')).toHaveLength(0);
  });

  it('refuses and voids, once, an approval the PG makes after the deadline and reports by webhook', async () => {
    // given an order expired at the deadline of its waiting attempt
    const { orderId, paymentKey, expiresAt } = await confirmLost('erin');
    await world.advance(expiresAt + AWAITING_GRACE_MS - world.clock.now() + HOUR);
    expect((await world.types(`order-${orderId}`)).at(-1)).toBe('OrderExpired');

    // when the PG approves the payment late, and nobody tells us yet
    world.toss.approveLate(paymentKey);
    await world.advance(HOUR);

    // then the order stays expired
    expect((await world.types(`order-${orderId}`)).at(-1)).toBe('OrderExpired');

    // and when the PG's webhook reports the approval and the inbox acts on it
    await world.app.webhooks.receive({
      provider: 'toss',
      orderId,
      pgPaymentId: paymentKey,
      eventType: 'PAYMENT_STATUS_CHANGED',
      status: 'DONE',
      deliveryId: 'late-approval-1',
      body: null,
    });
    await world.advance(MINUTE);
    await world.advance(HOUR);

    // then the approval is refused as ORDER_EXPIRED and cancelled at the PG exactly once (C7)
    const events = await world.events(`order-${orderId}`);
    const types = events.map((e) => e.type);
    expect(types).not.toContain('OrderPaid');
    expect(types.filter((t) => t === 'PgApprovalRefused')).toHaveLength(1);
    expect(types.filter((t) => t === 'PgApprovalCancelled')).toHaveLength(1);
    expect(events.find((e) => e.type === 'PgApprovalRefused')?.data.reason).toBe('ORDER_EXPIRED');
    expect(world.toss.cancelsOf(paymentKey)).toHaveLength(1);
    expect(world.toss.callsOf('cancel')).toHaveLength(1);
    expect((await world.app.queries.order(orderId, { userId: 'erin', role: 'user' })).status).toBe('EXPIRED');
  });
});
