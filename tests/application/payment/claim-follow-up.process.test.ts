import { BASIC, confirm, placeOrder } from '../support/purchases';
import { HOUR, startWorld, type ProcessWorld } from '../support/process-harness';

const pendingOf = async (world: ProcessWorld, process: string) =>
  (await Promise.all(world.app.processes.map((p) => p.status()))).find((s) => s.process === process)?.pending;

describe('a claim the order never recorded anything about (crash right after the claim)', () => {
  let world: ProcessWorld;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(() => world.close());

  it('is settled without any PG confirm once the unconfirmed Toss payment can no longer be paid', async () => {
    // given a Toss confirm that died after claiming the payment, and a buyer who never retried
    const order = await placeOrder(world, 'lee', BASIC);
    const payment = world.toss.authorize(order.orderId, order.amount);
    world.store.crashBefore('PaymentAttemptStarted');
    await expect(confirm(world, 'toss', 'lee', order.orderId, payment, order.amount)).rejects.toThrow(
      'simulated crash',
    );
    await world.restart();
    expect(await pendingOf(world, 'claim-follow-up')).toBe(1);

    // when the order's expiry and the grace pass
    await world.advance(3 * HOUR);

    // then the claim is settled (nothing was captured), the order expired, and no confirm was sent
    expect(await world.types(`pgpayment-toss-${payment}`)).toEqual([
      'PgPaymentClaimed',
      'PgPaymentClaimSettled',
    ]);
    expect((await world.types(`order-${order.orderId}`)).at(-1)).toBe('OrderExpired');
    expect(world.toss.callsOf('confirm')).toHaveLength(0);
    expect(await pendingOf(world, 'claim-follow-up')).toBe(0);
  });

  it('pays the order from a PortOne payment captured in the window, once', async () => {
    // given a PortOne confirm that died after claiming the paid payment
    const order = await placeOrder(world, 'min', BASIC);
    const payment = world.portone.authorize(order.orderId, order.amount);
    world.store.crashBefore('PaymentAttemptStarted');
    await expect(confirm(world, 'portone', 'min', order.orderId, payment, null)).rejects.toThrow(
      'simulated crash',
    );
    await world.restart();

    // when the process runs
    await world.advance(HOUR);

    // then the approval the PG holds pays the order, and the follow-up opens the payment
    const types = await world.types(`order-${order.orderId}`);
    expect(types.filter((t) => t === 'OrderPaid')).toHaveLength(1);
    expect(await world.types(`payment-${order.orderId}`)).toEqual(['PaymentApproved']);
    expect(world.portone.cancelsOf(payment)).toHaveLength(0);
    expect(await pendingOf(world, 'claim-follow-up')).toBe(0);
  });
});
