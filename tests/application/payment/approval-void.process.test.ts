import { BASIC, confirm, placeOrder } from '../support/purchases';
import { HOUR, MINUTE, startWorld, type ProcessWorld } from '../support/process-harness';

const count = (types: string[], type: string) => types.filter((t) => t === type).length;

describe('approval void (C7) across a crash and a lost answer', () => {
  let world: ProcessWorld;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(() => world.close());

  /** A PortOne payment whose window was tampered with: the PG took 100 KRW for a 9,900 KRW order. */
  async function tamperedPayment(userId: string) {
    const order = await placeOrder(world, userId, BASIC);
    const impUid = world.portone.authorize(order.orderId, 100);
    return { orderId: order.orderId, impUid, expiresAt: order.expiresAt };
  }

  it('refuses a tampered amount with AMOUNT_MISMATCH and cancels the approval at the PG once', async () => {
    // given a tampered PortOne payment
    const { orderId, impUid } = await tamperedPayment('fay');

    // when the buyer confirms it
    const confirmed = confirm(world, 'portone', 'fay', orderId, impUid, null);

    // then it is refused, and the approval is voided at the PG once
    await expect(confirmed).rejects.toMatchObject({ name: 'DomainError', code: 'AMOUNT_MISMATCH' });
    const events = await world.events(`order-${orderId}`);
    expect(events.find((e) => e.type === 'PgApprovalRefused')?.data.reason).toBe('AMOUNT_MISMATCH');
    expect(
      count(
        events.map((e) => e.type),
        'PgApprovalCancelled',
      ),
    ).toBe(1);
    expect(world.portone.cancelsOf(impUid)).toHaveLength(1);
    expect(await world.types(`payment-${orderId}`)).toEqual([]);
  });

  it('records the void once, with one cancel at the PG, after a crash between the PG cancel and recording it', async () => {
    // given a refused approval cancelled at the PG, and the service dying before it records that
    const { orderId, impUid } = await tamperedPayment('gus');
    world.store.crashBefore('PgApprovalCancelled');
    await expect(confirm(world, 'portone', 'gus', orderId, impUid, null)).rejects.toThrow('simulated crash');
    expect(world.portone.cancelsOf(impUid)).toHaveLength(1);

    // when the service restarts and the void job runs
    await world.restart();
    await world.advance(MINUTE);
    await world.advance(HOUR);

    // then the PG's "already cancelled" answer settles it: recorded once, cancelled once
    const types = await world.types(`order-${orderId}`);
    expect(count(types, 'PgApprovalRefused')).toBe(1);
    expect(count(types, 'PgApprovalCancelled')).toBe(1);
    expect(world.portone.cancelsOf(impUid)).toHaveLength(1);
    const voids = world.app.processes.find((p) => p.name === 'approval-void');
    expect((await voids?.status())?.pending).toBe(0);
    // and the buyer's retry is refused the same way, without another cancel
    await expect(confirm(world, 'portone', 'gus', orderId, impUid, null)).rejects.toMatchObject({
      code: 'AMOUNT_MISMATCH',
    });
    expect(world.portone.cancelsOf(impUid)).toHaveLength(1);
  });

  it('settles a void whose cancel answer was lost on the retry, without a second cancel', async () => {
    // given a PG that cancels the refused approval and loses the answer
    const { orderId, impUid } = await tamperedPayment('hal');
    world.portone.failNext('cancel', 'lost-answer');
    await expect(confirm(world, 'portone', 'hal', orderId, impUid, null)).rejects.toMatchObject({
      code: 'AMOUNT_MISMATCH',
    });
    expect(await world.types(`order-${orderId}`)).not.toContain('PgApprovalCancelled');

    // when the void job retries
    await world.advance(MINUTE);

    // then it is recorded cancelled, and the PG cancelled it once
    expect(count(await world.types(`order-${orderId}`), 'PgApprovalCancelled')).toBe(1);
    expect(world.portone.cancelsOf(impUid)).toHaveLength(1);
    expect(world.portone.callsOf('cancel')).toHaveLength(2);
  });
});

describe('a tampered PortOne payment reported by webhook before the confirm (issue case 7)', () => {
  let world: ProcessWorld;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(() => world.close());

  it("refuses the buyer's later confirm with AMOUNT_MISMATCH, not pending, and lets the order expire at its instant", async () => {
    // given a tampered PortOne payment whose `paid` webhook arrives first
    const order = await placeOrder(world, 'ida', BASIC);
    const impUid = world.portone.authorize(order.orderId, 100);
    await world.app.webhooks.receive({
      provider: 'portone',
      orderId: order.orderId,
      pgPaymentId: impUid,
      eventType: 'paid',
      status: 'paid',
      deliveryId: null,
      body: { imp_uid: impUid, merchant_uid: order.orderId, status: 'paid' },
    });

    // when the inbox acts on it (it re-queries the PG, refuses the approval and voids it)
    await world.advance(MINUTE);
    const afterHint = await world.events(`order-${order.orderId}`);

    // then the approval is refused for the amount and cancelled at the PG once
    expect(afterHint.find((e) => e.type === 'PgApprovalRefused')?.data.reason).toBe('AMOUNT_MISMATCH');
    expect(
      count(
        afterHint.map((e) => e.type),
        'PgApprovalCancelled',
      ),
    ).toBe(1);
    expect(world.portone.cancelsOf(impUid)).toHaveLength(1);

    // and when the buyer confirms, it is refused for the amount (not left pending)
    await expect(confirm(world, 'portone', 'ida', order.orderId, impUid, null)).rejects.toMatchObject({
      code: 'AMOUNT_MISMATCH',
    });
    expect(await world.types(`order-${order.orderId}`)).not.toContain('PaymentAttemptStarted');

    // and the order expires at its instant
    await world.advance(order.expiresAt - world.clock.now());
    const expired = (await world.events(`order-${order.orderId}`)).at(-1);
    expect(expired?.type).toBe('OrderExpired');
    expect(Date.parse(String(expired?.data.at))).toBe(order.expiresAt);
    expect(world.portone.cancelsOf(impUid)).toHaveLength(1);
  });
  it('acts on the hint once, with one cancel at the PG, after a crash before the hint was marked processed', async () => {
    // given the inbox refusing and voiding a tampered payment, and dying before it marks the hint processed
    const order = await placeOrder(world, 'ivy', BASIC);
    const impUid = world.portone.authorize(order.orderId, 100);
    world.store.crashBefore('PgNotificationsProcessed');
    await world.app.webhooks.receive({
      provider: 'portone',
      orderId: order.orderId,
      pgPaymentId: impUid,
      eventType: 'paid',
      status: 'paid',
      deliveryId: null,
      body: { imp_uid: impUid, merchant_uid: order.orderId, status: 'paid' },
    });
    await world.advance(MINUTE);
    expect(await world.types(`pgnotice-${order.orderId}`)).toEqual(['PgNotificationReceived']);

    // when the service restarts and the inbox acts on the hint again
    await world.restart();
    await world.advance(HOUR);

    // then the hint is processed, and the approval was refused and cancelled once
    expect(await world.types(`pgnotice-${order.orderId}`)).toEqual([
      'PgNotificationReceived',
      'PgNotificationsProcessed',
    ]);
    const types = await world.types(`order-${order.orderId}`);
    expect(count(types, 'PgApprovalRefused')).toBe(1);
    expect(count(types, 'PgApprovalCancelled')).toBe(1);
    expect(world.portone.callsOf('cancel')).toHaveLength(1);
  });
});

describe('a PortOne buyer paying one order twice (issue case 13)', () => {
  let world: ProcessWorld;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(() => world.close());

  it('refuses the second payment with ORDER_ALREADY_PAID and cancels it at the PG once', async () => {
    // given two PortOne payments made in the window for one order, the first confirmed
    const order = await placeOrder(world, 'jay', BASIC);
    const first = world.portone.authorize(order.orderId, order.amount);
    const second = world.portone.authorize(order.orderId, order.amount);
    await expect(confirm(world, 'portone', 'jay', order.orderId, first, null)).resolves.toMatchObject({
      kind: 'approved',
    });

    // when the buyer confirms the second one
    const again = confirm(world, 'portone', 'jay', order.orderId, second, null);

    // then it is refused, recorded as refused for ORDER_ALREADY_PAID, and cancelled at the PG once
    await expect(again).rejects.toMatchObject({ code: 'ORDER_ALREADY_PAID' });
    const events = await world.events(`order-${order.orderId}`);
    const refused = events.filter((e) => e.type === 'PgApprovalRefused');
    expect(refused.map((e) => [e.data.pgPaymentId, e.data.reason])).toEqual([[second, 'ORDER_ALREADY_PAID']]);
    expect(
      count(
        events.map((e) => e.type),
        'PgApprovalCancelled',
      ),
    ).toBe(1);
    expect(world.portone.cancelsOf(second)).toHaveLength(1);
    // and the first payment, which paid the order, stays whole
    expect(world.portone.cancelsOf(first)).toHaveLength(0);
    expect(
      count(
        events.map((e) => e.type),
        'OrderPaid',
      ),
    ).toBe(1);
    await world.advance(HOUR);
    expect(world.portone.cancelsOf(second)).toHaveLength(1);
    expect(world.portone.cancelsOf(first)).toHaveLength(0);
  });

  it('cancels the second payment once after a crash between claiming it and recording the refusal', async () => {
    // given two PortOne payments made in the window for one order, the first confirmed
    const order = await placeOrder(world, 'kim', BASIC);
    const first = world.portone.authorize(order.orderId, order.amount);
    const second = world.portone.authorize(order.orderId, order.amount);
    await confirm(world, 'portone', 'kim', order.orderId, first, null);

    // when the service dies after claiming the second payment, before recording its refusal
    world.store.crashBefore('PgApprovalRefused');
    await expect(confirm(world, 'portone', 'kim', order.orderId, second, null)).rejects.toThrow(
      'simulated crash',
    );
    await world.restart();
    await world.advance(HOUR);

    // then the claim's process finds the captured payment, refuses it and cancels it, once
    const events = await world.events(`order-${order.orderId}`);
    expect(events.filter((e) => e.type === 'PgApprovalRefused').map((e) => e.data.reason)).toEqual([
      'ORDER_ALREADY_PAID',
    ]);
    expect(world.portone.cancelsOf(second)).toHaveLength(1);
    expect(world.portone.cancelsOf(first)).toHaveLength(0);
    await world.advance(7 * 24 * HOUR);
    expect(world.portone.cancelsOf(second)).toHaveLength(1);
  });
});
