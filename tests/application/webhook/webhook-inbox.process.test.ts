import type { WebhookHint } from '../../../src/application/webhook/webhook-inbox';
import { BASIC, EVENT, purchase, refund } from '../support/purchases';
import { DAY, MINUTE, SECOND, startWorld, type ProcessWorld } from '../support/process-harness';
import { pendingOf, recorded } from '../support/recorded';

const admin = { userId: 'ops', role: 'admin' as const };

/** A Toss-like cancel webhook for an order: a hint only. */
const cancelHint = (orderId: string, pgPaymentId: string, deliveryId: string): WebhookHint => ({
  provider: 'toss',
  orderId,
  pgPaymentId,
  eventType: 'PAYMENT_STATUS_CHANGED',
  status: 'CANCELED',
  deliveryId,
  body: { orderId, status: 'CANCELED' },
});

describe('webhook inbox (P3): a hint is re-queried at the PG until it is acted on', () => {
  let world: ProcessWorld;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(() => world.close());

  it('a hint whose PG re-query fails stays owed, then brings a full console cancel to the payment and the subscription', async () => {
    // given a month bought, cancelled in full in the PG's console, and the PG's lookups failing
    const bought = await purchase(world, 'kate', BASIC, 'toss');
    const cancel = world.toss.consoleCancel(bought.pgPaymentId);
    world.toss.failNext('lookup', 'lost-request', 3);

    // when the webhook arrives and the first re-query fails
    await world.app.webhooks.receive(cancelHint(bought.orderId, bought.pgPaymentId, 'd-1'));
    await world.advance(SECOND);

    // then the hint is still owed and nothing is recorded yet
    expect(await pendingOf(world, 'webhook-inbox')).toBe(1);
    expect(await recorded(world, `payment-${bought.orderId}`, 'PgCancelRecorded')).toHaveLength(0);

    // when the lookups recover (before the first slow re-check at 10 minutes)
    await world.advance(5 * MINUTE);

    // then the console cancel reached the payment and the subscription
    const recordedCancels = await recorded(world, `payment-${bought.orderId}`, 'PgCancelRecorded');
    expect(recordedCancels.map((e) => e.data.pgCancelId)).toEqual([cancel.transactionId]);
    expect(world.toss.callsOf('lookup').length).toBeGreaterThanOrEqual(4);
    expect((await world.app.queries.payment(bought.orderId, admin)).status).toBe('REFUNDED');
    expect((await world.app.queries.subscription('kate')).status).toBe('REVOKED');
    expect(await pendingOf(world, 'webhook-inbox')).toBe(0);
  });

  it('a hint whose PG re-query fails stays owed, then brings a console cancel of an EVENT payment to the event fund', async () => {
    // given a 50,000 KRW contribution, 20,000 of it cancelled in the console, and failing lookups
    const bought = await purchase(world, 'liam', EVENT, 'toss', 50_000);
    await world.app.projector.catchUp();
    expect(await world.app.queries.eventFund()).toEqual({ total: 50_000, contributions: 1 });
    world.toss.consoleCancel(bought.pgPaymentId, 20_000);
    world.toss.failNext('lookup', 'lost-request', 3);

    // when the hint arrives and the processes run until the lookups recover
    await world.app.webhooks.receive(cancelHint(bought.orderId, bought.pgPaymentId, 'd-2'));
    await world.advance(SECOND);
    expect((await world.app.queries.eventFund()).total).toBe(50_000);
    await world.advance(5 * MINUTE);

    // then the refund is recorded and the fund is reduced by it (E1)
    expect(await recorded(world, `payment-${bought.orderId}`, 'PgCancelRecorded')).toHaveLength(1);
    expect((await world.app.queries.payment(bought.orderId, admin)).refundedAmount).toBe(20_000);
    expect(await world.app.queries.eventFund()).toEqual({ total: 30_000, contributions: 1 });
  });

  it('a flood of 1,000 hints for one order while one is owed records one, and the next hint after processing is recorded', async () => {
    // given one hint owed for an order
    const bought = await purchase(world, 'mia', BASIC, 'toss');
    const stream = `pgnotice-${bought.orderId}`;
    await world.app.webhooks.receive(cancelHint(bought.orderId, bought.pgPaymentId, 'first'));

    // when 1,000 more hints arrive before it is processed
    for (let i = 0; i < 1_000; i++)
      await world.app.webhooks.receive(cancelHint(bought.orderId, bought.pgPaymentId, `flood-${i}`));

    // then the stream holds one received hint
    expect(await recorded(world, stream, 'PgNotificationReceived')).toHaveLength(1);
    // and once it is processed, the next hint is recorded again
    await world.advance(MINUTE);
    expect(await world.types(stream)).toEqual(['PgNotificationReceived', 'PgNotificationsProcessed']);
    await world.app.webhooks.receive(cancelHint(bought.orderId, bought.pgPaymentId, 'after'));
    expect(await recorded(world, stream, 'PgNotificationReceived')).toHaveLength(2);
  });

  it('a hint arriving while the PG is being re-queried is recorded again after the processing mark', async () => {
    // given an owed hint, and a second hint that arrives during the PG re-query it causes
    const bought = await purchase(world, 'noah', BASIC, 'toss');
    const stream = `pgnotice-${bought.orderId}`;
    await world.app.webhooks.receive(cancelHint(bought.orderId, bought.pgPaymentId, 'before-sync'));
    const lookup = world.toss.getPayment.bind(world.toss);
    const during = jest.spyOn(world.toss, 'getPayment').mockImplementationOnce(async (pgPaymentId) => {
      await world.app.webhooks.receive(cancelHint(bought.orderId, bought.pgPaymentId, 'during-sync'));
      return lookup(pgPaymentId);
    });

    // when the inbox processes the first hint
    await world.advance(SECOND);

    // then the hint that came in meanwhile is not lost: it is owed again after the mark
    expect(during).toHaveBeenCalled();
    const types = await world.types(stream);
    expect(types.slice(0, 3)).toEqual([
      'PgNotificationReceived',
      'PgNotificationsProcessed',
      'PgNotificationReceived',
    ]);
    // and the process acts on it in turn
    await world.advance(MINUTE);
    expect(await world.types(stream)).toEqual([
      'PgNotificationReceived',
      'PgNotificationsProcessed',
      'PgNotificationReceived',
      'PgNotificationsProcessed',
    ]);
  });

  it('a crash before PgNotificationsProcessed records the console cancel once and processes the hint once after a restart', async () => {
    // given a console cancel, its hint, and a crash before the hint is marked processed
    const bought = await purchase(world, 'olga', BASIC, 'toss');
    const cancel = world.toss.consoleCancel(bought.pgPaymentId, 4_000);
    world.store.crashBefore('PgNotificationsProcessed');
    await world.app.webhooks.receive(cancelHint(bought.orderId, bought.pgPaymentId, 'd-crash'));
    await world.advance(SECOND);
    expect(world.store.crashed).toBe(true);
    expect(await recorded(world, `payment-${bought.orderId}`, 'PgCancelRecorded')).toHaveLength(1);

    // when the service restarts and its processes run
    await world.restart();
    await world.advance(5 * MINUTE);

    // then the console cancel is recorded once and the hint processed once
    const recordedCancels = await recorded(world, `payment-${bought.orderId}`, 'PgCancelRecorded');
    expect(recordedCancels.map((e) => e.data.pgCancelId)).toEqual([cancel.transactionId]);
    expect(await recorded(world, `pgnotice-${bought.orderId}`, 'PgNotificationsProcessed')).toHaveLength(1);
    expect((await world.app.queries.payment(bought.orderId, admin)).refundedAmount).toBe(4_000);
    expect(await pendingOf(world, 'webhook-inbox')).toBe(0);
  });

  it("a hint about a pending refund's own cancel (its answer lost) completes that refund, not a console refund", async () => {
    // given a refund the PG applied whose answer was lost, and the PG's webhook about it
    const bought = await purchase(world, 'ruth', EVENT, 'toss', 10_000);
    world.toss.failNext('cancel', 'lost-answer');
    const pending = await refund(world, bought.orderId, admin, 2_000);
    expect(pending.status).toBe('PENDING');
    await world.app.webhooks.receive(cancelHint(bought.orderId, bought.pgPaymentId, 'd-own'));

    // when the refund-execution process and then the inbox act on it
    await world.advance(2 * MINUTE);

    // then our refund is completed by its cancel, and nothing is recorded as made elsewhere
    const stream = `payment-${bought.orderId}`;
    expect((await recorded(world, stream, 'RefundCompleted')).map((e) => e.data.refundId)).toEqual([
      pending.refundId,
    ]);
    expect(await recorded(world, stream, 'PgCancelRecorded')).toHaveLength(0);
    expect((await world.app.queries.payment(bought.orderId, admin)).refundedAmount).toBe(2_000);
  });

  it('a console cancel with no webhook at all is found by the slow re-check within a day of approval', async () => {
    // given a payment cancelled in the PG's console, and no webhook
    const bought = await purchase(world, 'paul', BASIC, 'toss');
    const cancel = world.toss.consoleCancel(bought.pgPaymentId, 3_000);

    // when a day passes
    await world.advance(DAY);

    // then the re-check recorded the cancel exactly once
    const recordedCancels = await recorded(world, `payment-${bought.orderId}`, 'PgCancelRecorded');
    expect(recordedCancels.map((e) => e.data.pgCancelId)).toEqual([cancel.transactionId]);
    expect((await world.app.queries.payment(bought.orderId, admin)).refundedAmount).toBe(3_000);
  });
});
