import { BASIC, EVENT, purchase, refund } from '../support/purchases';
import { HOUR, MINUTE, startWorld, type ProcessWorld } from '../support/process-harness';
import { recorded } from '../support/recorded';

type Provider = 'toss' | 'portone';
const admin = { userId: 'ops', role: 'admin' as const };

describe('refund execution (F3): a refund is completed only by its own PG cancel', () => {
  let world: ProcessWorld;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(() => world.close());

  const pgOf = (provider: Provider) => (provider === 'toss' ? world.toss : world.portone);

  it.each<Provider>(['toss', 'portone'])(
    '%s: a refund whose first cancel was lost completes by its own keyed cancel, not by a console cancel of the same amount',
    async (provider) => {
      // given a 10,000 KRW payment and a 3,000 KRW refund whose PG cancel never reached the PG
      const bought = await purchase(world, 'carol', EVENT, provider, 10_000);
      const pg = pgOf(provider);
      pg.failNext('cancel', 'lost-request');
      const first = await refund(world, bought.orderId, admin, 3_000);
      expect(first.status).toBe('PENDING');
      // and an operator cancelling the same amount in the PG's console
      const byConsole = pg.consoleCancel(bought.pgPaymentId, 3_000);

      // when the processes run
      await world.advance(HOUR);

      // then the buyer's refund is completed by the cancel carrying its own key
      const stream = `payment-${bought.orderId}`;
      const [requested] = await recorded(world, stream, 'RefundRequested');
      const completed = await recorded(world, stream, 'RefundCompleted');
      expect(completed.map((e) => e.data.refundId)).toEqual([first.refundId]);
      const own = pg
        .cancelsOf(bought.pgPaymentId)
        .find((c) => c.requestKey === requested?.data.idempotencyKey);
      expect(own).toBeDefined();
      expect(completed[0]?.data.pgCancelId).toBe(own?.transactionId);
      expect(own?.transactionId).not.toBe(byConsole.transactionId);
      // and the console cancel is a refund of its own
      const elsewhere = await recorded(world, stream, 'PgCancelRecorded');
      expect(elsewhere.map((e) => e.data.pgCancelId)).toEqual([byConsole.transactionId]);
      // and the PG really made both cancels
      expect(pg.cancelsOf(bought.pgPaymentId)).toHaveLength(2);
      const view = await world.app.queries.payment(bought.orderId, admin);
      expect(view.refundedAmount).toBe(6_000);
    },
  );

  it.each<Provider>(['toss', 'portone'])(
    '%s: a crash after the PG cancel, before RefundCompleted, completes the refund once without a second cancel and removes the period',
    async (provider) => {
      // given a subscription payment whose full refund crashes right after the PG cancelled it
      const bought = await purchase(world, 'dave', BASIC, provider);
      const pg = pgOf(provider);
      world.store.crashBefore('RefundCompleted');
      await expect(refund(world, bought.orderId, admin)).rejects.toThrow('simulated crash');
      expect(pg.cancelsOf(bought.pgPaymentId)).toHaveLength(1);

      // when the service restarts and its processes run
      await world.restart();
      await world.advance(HOUR);

      // then the refund is completed exactly once, by that one cancel
      const stream = `payment-${bought.orderId}`;
      const completed = await recorded(world, stream, 'RefundCompleted');
      expect(completed).toHaveLength(1);
      expect(completed[0]?.data.pgCancelId).toBe(pg.cancelsOf(bought.pgPaymentId)[0]?.transactionId);
      expect(pg.cancelsOf(bought.pgPaymentId)).toHaveLength(1);
      expect(await recorded(world, stream, 'PgCancelRecorded')).toHaveLength(0);
      // and the month it bought is gone (F4)
      expect(await recorded(world, 'subscription-dave', 'SubscriptionPurchaseRemoved')).toHaveLength(1);
      expect((await world.app.queries.subscription('dave')).status).toBe('REVOKED');
    },
  );

  it.each<Provider>(['toss', 'portone'])(
    '%s: a refund whose cancel never reached the PG is cancelled exactly once after a restart',
    async (provider) => {
      // given a refund whose PG cancel was lost on the way, and a restart
      const bought = await purchase(world, 'erin', BASIC, provider);
      const pg = pgOf(provider);
      pg.failNext('cancel', 'lost-request');
      expect((await refund(world, bought.orderId, admin)).status).toBe('PENDING');
      await world.restart();

      // when the processes run
      await world.advance(HOUR);

      // then the PG holds exactly one cancel, and it completed the refund
      expect(pg.cancelsOf(bought.pgPaymentId)).toHaveLength(1);
      const completed = await recorded(world, `payment-${bought.orderId}`, 'RefundCompleted');
      expect(completed).toHaveLength(1);
      expect((await world.app.queries.subscription('erin')).status).toBe('REVOKED');
    },
  );

  it.each<Provider>(['toss', 'portone'])(
    '%s: a cancel whose answer was lost, then a crash before RefundOutcomeUnknown, completes the refund once with one cancel',
    async (provider) => {
      // given a partial refund the PG applied, its answer lost, and a crash recording that
      const bought = await purchase(world, 'rita', BASIC, provider);
      const pg = pgOf(provider);
      pg.failNext('cancel', 'lost-answer');
      world.store.crashBefore('RefundOutcomeUnknown');
      await expect(refund(world, bought.orderId, admin, 4_000)).rejects.toThrow('simulated crash');

      // when the service restarts and its processes run
      await world.restart();
      await world.advance(HOUR);

      // then the refund is completed by that cancel, and it is not mistaken for a console cancel
      const stream = `payment-${bought.orderId}`;
      const completed = await recorded(world, stream, 'RefundCompleted');
      expect(completed.map((e) => e.data.pgCancelId)).toEqual(
        pg.cancelsOf(bought.pgPaymentId).map((c) => c.transactionId),
      );
      expect(pg.cancelsOf(bought.pgPaymentId)).toHaveLength(1);
      expect(await recorded(world, stream, 'PgCancelRecorded')).toHaveLength(0);
    },
  );

  it.each<Provider>(['toss', 'portone'])(
    '%s: a crash before the console cancel is recorded, while settling a lost refund, still ends with one refund each',
    async (provider) => {
      // given a lost refund, a console cancel of the same amount, and a crash recording the console cancel
      const bought = await purchase(world, 'sam', EVENT, provider, 10_000);
      const pg = pgOf(provider);
      pg.failNext('cancel', 'lost-request');
      const first = await refund(world, bought.orderId, admin, 3_000);
      const byConsole = pg.consoleCancel(bought.pgPaymentId, 3_000);
      world.store.crashBefore('PgCancelRecorded');
      // (PortOne records it while settling the refund; Toss, at the first slow re-check)
      await world.advance(15 * MINUTE);
      expect(world.store.crashed).toBe(true);

      // when the service restarts and its processes run
      await world.restart();
      await world.advance(HOUR);

      // then the buyer's refund is completed by its own cancel and the console cancel is recorded once
      const stream = `payment-${bought.orderId}`;
      const completed = await recorded(world, stream, 'RefundCompleted');
      expect(completed.map((e) => e.data.refundId)).toEqual([first.refundId]);
      expect(completed[0]?.data.pgCancelId).not.toBe(byConsole.transactionId);
      const elsewhere = await recorded(world, stream, 'PgCancelRecorded');
      expect(elsewhere.map((e) => e.data.pgCancelId)).toEqual([byConsole.transactionId]);
      expect(pg.cancelsOf(bought.pgPaymentId)).toHaveLength(2);
    },
  );

  it.each<Provider>(['toss', 'portone'])(
    '%s: a refund whose retried cancel is refused ends REJECTED with the PG code, and a later refund is accepted',
    async (provider) => {
      // given a refund whose first cancel was lost and whose retry the PG refuses
      const bought = await purchase(world, 'frank', BASIC, provider);
      const pg = pgOf(provider);
      pg.failNext('cancel', 'lost-request');
      pg.failNext('cancel', { refuse: 'NOT_CANCELABLE_PAYMENT' });
      const first = await refund(world, bought.orderId, admin);
      expect(first.status).toBe('PENDING');

      // when the refund-execution process retries it
      await world.advance(10 * MINUTE);

      // then the refund is settled as rejected with the PG's code, not left pending
      const rejected = await recorded(world, `payment-${bought.orderId}`, 'RefundRejected');
      expect(rejected.map((e) => [e.data.refundId, e.data.code])).toEqual([
        [first.refundId, 'NOT_CANCELABLE_PAYMENT'],
      ]);
      const view = await world.app.queries.payment(bought.orderId, admin);
      expect(view.refunds.map((r) => r.status)).toEqual(['REJECTED']);
      // and a later refund of the same payment is accepted and completed
      const second = await refund(world, bought.orderId, admin);
      expect(second.status).toBe('COMPLETED');
      expect(pg.cancelsOf(bought.pgPaymentId)).toHaveLength(1);
    },
  );
});
