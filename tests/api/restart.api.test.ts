import { PLAN, freshDataDir, removeDataDir, startApi, type Api } from './support/harness';

const DAY = 86_400_000;

async function allEvents(api: Api) {
  const events = await api.service.app.eventStore.readAll(0, 10_000);
  return events.map((event) => ({ ...event }));
}

/**
 * Everything is in DATA_DIR: a new process on the same directory sees the same world. With the
 * SQLite read models (READ_MODELS=sqlite) they are in DATA_DIR too and nothing is folded again;
 * the memory ones are rebuilt from the event store.
 */
describe.each(['sqlite', 'memory'] as const)(
  'a restart on the same DATA_DIR (read models: %s)',
  (readModels) => {
    const dataDir = freshDataDir();
    const env = { READ_MODELS: readModels };
    let api: Api | null = null;

    afterEach(async () => {
      await api?.close({ keepData: true });
      api = null;
    });
    afterAll(() => removeDataDir(dataDir));

    it('keeps the order, payment, history, subscription, event fund and the sandbox clock', async () => {
      api = await startApi(dataDir, env);
      await api.advanceClock(3 * DAY);
      const token = await api.token('loyal-user');
      const { order, paymentKey, confirmed } = await api.purchase(token, PLAN.PREMIUM);
      await api.purchase(token, PLAN.EVENT, 7_000);
      const pendingOrder = await api.order(token, PLAN.BASIC);
      const before = {
        order: (await api.get(token, `/v1/orders/${order.orderId}`)).body,
        payment: (await api.get(token, `/v1/payments/${order.orderId}`)).body,
        history: (await api.get(token, '/v1/users/me/payments')).body,
        subscription: (await api.get(token, '/v1/users/me/subscription')).body,
        head: await api.eventHead(),
        clock: await api.clockNow(),
        // Served from what this process just committed (the store keeps it for its followers).
        events: await allEvents(api),
      };
      await api.close({ keepData: true });

      api = await startApi(dataDir, env);

      expect(api.service.app.projector.caughtUp).toBe(true);
      const applied = Object.values(api.service.app.projector.appliedEvents);
      // SQLite: the read models are in DATA_DIR too, so the start folded no event again; memory:
      // every event was folded again.
      if (readModels === 'sqlite') expect(applied.every((n) => n === 0)).toBe(true);
      else expect(Math.max(...applied)).toBeGreaterThanOrEqual(before.head);
      expect(await api.clockNow()).toBeGreaterThanOrEqual(before.clock);
      expect(await api.clockNow()).toBeGreaterThanOrEqual(Date.now() + 3 * DAY - 60_000);
      // The clean shutdown sealed everything written before it (A2): one seal, and nothing else new.
      expect(await api.eventHead()).toBe(before.head + 1);
      const events = await allEvents(api);
      const sealed = events.slice(before.events.length);
      expect(sealed.map((e) => [e.streamId, e.type, e.data.globalPosition])).toEqual([
        ['audit-seals', 'HistorySealed', before.head],
      ]);
      // Read back from the file: the same events, field for field, as the projections were fed.
      expect(events.slice(0, before.events.length)).toStrictEqual(before.events);
      const after = await api.get(token, `/v1/orders/${order.orderId}`);
      expect(after.body).toEqual(before.order);
      expect(after.body.status).toBe('PAID');
      const payment = await api.get(token, `/v1/payments/${order.orderId}`);
      expect(payment.body).toEqual(before.payment);
      expect(payment.body).toMatchObject({ status: 'APPROVED', approvedAt: confirmed.body.approvedAt });
      const history = await api.get(token, '/v1/users/me/payments');
      expect(history.body.items.map((p: { orderId: string }) => p.orderId)).toEqual(
        before.history.items.map((p: { orderId: string }) => p.orderId),
      );
      expect(history.body.items).toHaveLength(2);
      const subscription = await api.get(token, '/v1/users/me/subscription');
      expect(subscription.body).toEqual(before.subscription);
      expect(subscription.body).toMatchObject({ status: 'ACTIVE', planId: PLAN.PREMIUM });
      expect((await api.http().get('/v1/event-fund')).body).toEqual({ total: 7_000, contributions: 1 });
      expect((await api.get(token, `/v1/orders/${pendingOrder.orderId}`)).body.status).toBe('PENDING');

      // A refresh after the restart still returns the first result, without a second PG call.
      const refresh = await api.confirm(token, {
        provider: 'toss',
        paymentKey,
        orderId: order.orderId,
        amount: order.amount,
      });
      expect(refresh.status).toBe(200);
      expect((await api.tossCalls(order.orderId)).confirm).toBe(1);
    });

    it('keeps expiring orders on the restored clock after the restart', async () => {
      api = await startApi(dataDir, env);
      const token = await api.token('late-user');
      const order = await api.order(token, PLAN.BASIC);
      await api.close({ keepData: true });

      api = await startApi(dataDir, env);
      const head = await api.eventHead();
      await api.advanceClock(31 * 60_000);

      // The expiry job found the order in the rebuilt read models and recorded its expiry.
      expect(await api.eventHead()).toBeGreaterThan(head);

      expect((await api.get(token, `/v1/orders/${order.orderId}`)).body.status).toBe('EXPIRED');
      const { paymentKey } = await api.tossSession(order);
      const res = await api.confirm(token, {
        provider: 'toss',
        paymentKey,
        orderId: order.orderId,
        amount: order.amount,
      });
      expect(res.body.code).toBe('ORDER_EXPIRED');
    });
  },
);
