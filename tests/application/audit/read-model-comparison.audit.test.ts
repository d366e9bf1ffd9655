import Database from 'better-sqlite3';
import path from 'node:path';
import { compareReadModels } from '../../../src/application/audit/read-model-comparison';
import { Projector } from '../../../src/application/event-sourcing/projector';
import { ORDERS } from '../../../src/application/order/order-read-model';
import { recheckFeed } from '../../../src/application/payment/payment-recheck.process';
import type { EventStore } from '../../../src/application/ports/event-store.port';
import type { ReadModelStore } from '../../../src/application/ports/read-model-store.port';
import { SUBSCRIPTIONS } from '../../../src/application/subscription/subscriptions.projection';
import { sqliteReadModelsForAudit } from '../../../src/infrastructure/composition/compose-audit-report';
import { projectionGroups } from '../../../src/infrastructure/composition/projection-groups';
import { DelegatingEventStore } from '../../../src/infrastructure/eventstore/delegating-event-store';
import { MemoryReadModelStore } from '../../../src/infrastructure/readmodels/memory/memory-read-model-store';
import { SqliteReadModelStore } from '../../../src/infrastructure/readmodels/sqlite/sqlite-read-model-store';
import { BASIC, EVENT, purchase, refund } from '../support/purchases';
import { startWorld, type ProcessWorld } from '../support/process-harness';

const projections = () => projectionGroups(recheckFeed());

/** The event store as it was at `cut`: nothing after it is read. */
class StoreUpTo extends DelegatingEventStore {
  constructor(
    inner: EventStore,
    private readonly cut: number,
  ) {
    super(inner);
  }
  override async readAll(from: number, limit: number) {
    return (await super.readAll(from, limit)).filter((e) => e.globalPosition <= this.cut);
  }
}

/** Issue #10 point 4: the stored read models against the audit's own fold of the events. */
describe('the read-model comparison', () => {
  let world: ProcessWorld;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    world = await startWorld(undefined, { readModels: 'sqlite' });
    alice = (await purchase(world, 'alice', BASIC)).orderId;
    bob = (await purchase(world, 'bob', EVENT, 'portone', 10_000)).orderId;
    await refund(world, bob, { userId: 'ops', role: 'admin' }, 3_000);
    await world.app.projector.catchUp();
  });
  afterAll(() => world.close());

  /** A second connection to the world's SQLite read models, with no cache of the first's. */
  const storedReadModels = () => SqliteReadModelStore.open(path.join(world.dir, 'read-models.db'));
  const edit = (sql: string, ...params: unknown[]) => {
    const db = new Database(path.join(world.dir, 'read-models.db'));
    try {
      db.prepare(sql).run(...params);
    } finally {
      db.close();
    }
  };

  const storedDoc = (table: string, id: string): string | undefined => {
    const db = new Database(path.join(world.dir, 'read-models.db'));
    try {
      return db.prepare(`SELECT doc FROM ${table} WHERE id = ?`).pluck().get(id) as string | undefined;
    } finally {
      db.close();
    }
  };

  it('finds nothing when the read models are what the events make, and says what it compared', async () => {
    const head = await world.store.headPosition();
    const comparison = await compareReadModels(world.store, world.app.readModels, projections());
    expect(comparison.findings).toEqual([]);
    expect(comparison.store).toBe('sqlite');
    const orders = comparison.groups.find((g) => g.name === 'orders')!;
    expect(orders).toMatchObject({ compared: true, position: head, differences: 0 });
    expect(orders.collections).toEqual(expect.arrayContaining([ORDERS, 'event_fund', 'event_fund_entries']));
    expect(comparison.documents).toBeGreaterThanOrEqual(4); // two orders, two subscriptions at least
  });

  it('reports a changed field, with the document and the event that last changed it', async () => {
    const before = storedDoc('rm_orders', alice)!;
    edit(`UPDATE rm_orders SET doc = json_set(doc, '$.status', 'EXPIRED') WHERE id = ?`, alice);
    const stored = storedReadModels();
    try {
      const { findings } = await compareReadModels(world.store, stored, projections());
      const lastOfPayment = (await world.events(`payment-${alice}`)).at(-1)!;
      expect(findings).toEqual([
        expect.objectContaining({
          kind: 'read-model-differs',
          collection: ORDERS,
          documentId: alice,
          fields: ['status'],
          streamId: `payment-${alice}`,
          revision: lastOfPayment.revision,
          globalPosition: lastOfPayment.globalPosition,
        }),
      ]);
    } finally {
      await stored.close();
      edit(`UPDATE rm_orders SET doc = ? WHERE id = ?`, before, alice);
    }
  });

  it('reports a missing document and an extra one', async () => {
    const subscription = storedDoc('rm_subscriptions', 'bob');
    const row = storedDoc('rm_subscriptions', 'alice')!;
    edit('DELETE FROM rm_subscriptions WHERE id = ?', 'alice');
    edit(
      'INSERT INTO rm_subscriptions (id, doc) VALUES (?, ?)',
      'mallory',
      JSON.stringify({ userId: 'mallory' }),
    );
    const stored = storedReadModels();
    try {
      const { findings } = await compareReadModels(world.store, stored, projections());
      expect(subscription).toBeUndefined(); // an EVENT payment buys no subscription
      expect(findings).toEqual([
        expect.objectContaining({
          collection: SUBSCRIPTIONS,
          documentId: 'alice',
          fields: ['(document)'],
          streamId: 'subscription-alice',
          detail: expect.stringContaining('missing'),
        }),
        expect.objectContaining({
          collection: SUBSCRIPTIONS,
          documentId: 'mallory',
          streamId: '',
          globalPosition: null,
          detail: expect.stringContaining('no event made it'),
        }),
      ]);
    } finally {
      await stored.close();
      edit('DELETE FROM rm_subscriptions WHERE id = ?', 'mallory');
      edit('INSERT INTO rm_subscriptions (id, doc) VALUES (?, ?)', 'alice', row);
    }
  });

  it('compares a read model behind the cut at its own checkpoint: being behind is no difference', async () => {
    const head = await world.store.headPosition();
    const alicePaid = (await world.events(`payment-${alice}`)).at(-1)!.globalPosition;
    expect(alicePaid).toBeLessThan(head);
    const behind = new MemoryReadModelStore();
    await new Projector(new StoreUpTo(world.store, alicePaid), behind, projections()).catchUp();

    const comparison = await compareReadModels(world.store, behind, projections());
    expect(comparison.findings).toEqual([]);
    for (const group of comparison.groups)
      expect(group).toMatchObject({ compared: true, position: alicePaid });
    expect(await behind.get(ORDERS, bob)).toBeNull(); // bob's order came after: not compared, not a finding
  });

  it('leaves a group uncompared, saying why, when its projection cannot fold an event; the others go on', async () => {
    const head = await world.store.headPosition();
    const unreadable = {
      name: 'unreadable',
      version: 1,
      collections: [],
      apply: async (event: { type: string }) => {
        if (event.type === 'OrderPaid') throw new Error('cannot read this event');
      },
    };
    const groups = [...projections(), unreadable];
    const stored = new MemoryReadModelStore();
    await new Projector(world.store, stored, projections()).catchUp();
    await stored.commit([], { name: 'unreadable', position: head });

    const comparison = await compareReadModels(world.store, stored, groups);
    expect(comparison.findings).toEqual([]);
    const failed = comparison.groups.find((g) => g.name === 'unreadable')!;
    expect(failed.compared).toBe(false);
    expect(failed.reason).toMatch(
      /^unreadable threw on order-.* revision \d+ at position \d+: Error: cannot read this event$/,
    );
    expect(comparison.groups.find((g) => g.name === 'orders')).toMatchObject({
      compared: true,
      position: head,
    });
  });
});

/**
 * Read models kept by a real projector over a log that grows by one event each time the orders
 * collection is read (`moves` times): a service writing while the audit compares.
 */
class LiveReadModels extends MemoryReadModelStore {
  private readonly view: { cut: number };
  private readonly projector: Projector;

  constructor(
    events: EventStore,
    start: number,
    private moves: number,
  ) {
    super();
    this.view = { cut: start };
    const view = this.view;
    const growing = new (class extends DelegatingEventStore {
      override async readAll(from: number, limit: number) {
        return (await super.readAll(from, limit)).filter((e) => e.globalPosition <= view.cut);
      }
    })(events);
    this.projector = new Projector(growing, this, projections());
  }

  start(): Promise<void> {
    return this.projector.catchUp();
  }

  override async all<T extends Record<string, unknown>>(collection: string): Promise<T[]> {
    const docs = await super.all<T>(collection);
    if (collection === ORDERS && this.moves > 0) {
      this.moves--;
      this.view.cut++;
      await this.projector.catchUp();
    }
    return docs;
  }
}

describe('the read-model comparison against a service still writing', () => {
  let world: ProcessWorld;
  beforeAll(async () => {
    world = await startWorld();
    await purchase(world, 'dora', BASIC);
    await purchase(world, 'erin', BASIC);
  });
  afterAll(() => world.close());

  it('reads a group again when its checkpoint moved while its documents were read', async () => {
    const head = await world.store.headPosition();
    const live = new LiveReadModels(world.store, head - 2, 1);
    await live.start();
    const comparison = await compareReadModels(world.store, live, projections());
    expect(comparison.findings).toEqual([]);
    const orders = comparison.groups.find((g) => g.name === 'orders')!;
    expect(orders).toMatchObject({ compared: true, position: head - 1 });
  });

  it('gives up on a group whose checkpoint never holds still, without a finding', async () => {
    const head = await world.store.headPosition();
    const live = new LiveReadModels(world.store, head - 8, 8);
    await live.start();
    const comparison = await compareReadModels(world.store, live, projections());
    const orders = comparison.groups.find((g) => g.name === 'orders')!;
    expect(orders).toMatchObject({ compared: false, differences: 0 });
    expect(orders.reason).toContain('moved on');
    expect(comparison.findings).toEqual([]);
  });
});

/** The store, its `all(collection)` running `interrupt` first (the service at work meanwhile). */
function interrupted(
  store: ReadModelStore,
  collection: string,
  interrupt: () => Promise<void>,
  { snapshots }: { snapshots: boolean },
): ReadModelStore {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'snapshot' && !snapshots) return undefined; // a store without them (MongoDB)
      if (property === 'all') {
        return async (name: string) => {
          if (name === collection) await interrupt();
          return target.all(name);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('the CLI audit’s comparison while the service rebuilds or writes (review)', () => {
  let world: ProcessWorld;
  let stored: ReadModelStore;
  beforeEach(async () => {
    world = await startWorld(undefined, { readModels: 'sqlite', readModelFlushDelayMs: 0 });
    await purchase(world, 'fay', BASIC);
    await purchase(world, 'gus', EVENT, 'portone', 5_000);
    await world.app.projector.catchUp();
    stored = await sqliteReadModelsForAudit(path.join(world.dir, 'read-models.db'));
  });
  afterEach(async () => {
    await stored.close();
    await world.close();
  });

  /** The service rebuilds the orders group and switches to the new build (the old table is dropped). */
  const switchOrders = async () => {
    await world.app.projector.rebuild(['orders']);
    while (world.app.projector.rebuilds.length > 0) await world.app.projector.rebuildStep();
  };
  let writes = 0;
  const newOrder = async () => {
    await purchase(world, `writer-${++writes}`, BASIC);
    await world.app.projector.catchUp();
  };
  const group = (comparison: { groups: Array<{ name: string }> }, name: string) =>
    comparison.groups.find((g) => g.name === name) as Record<string, unknown>;

  it('without snapshots, a switch that drops the table being read leaves that group not compared, not a failed audit', async () => {
    let switched = false;
    const store = interrupted(
      stored,
      ORDERS,
      async () => {
        if (!switched) await switchOrders();
        switched = true;
      },
      { snapshots: false },
    );
    const comparison = await compareReadModels(world.store, store, projections());
    expect(group(comparison, 'orders')).toMatchObject({
      compared: false,
      reason: expect.stringContaining('rebuilt'),
    });
    expect(group(comparison, 'subscriptions')).toMatchObject({ compared: true, differences: 0 });
    expect(comparison.findings).toEqual([]);
  });

  it('with SQLite snapshots, a switch during the read is not seen, and the next audit compares the new build', async () => {
    let switched = false;
    const store = interrupted(
      stored,
      ORDERS,
      async () => {
        if (!switched) await switchOrders();
        switched = true;
      },
      { snapshots: true },
    );
    const comparison = await compareReadModels(world.store, store, projections());
    expect(switched).toBe(true);
    expect(group(comparison, 'orders')).toMatchObject({ compared: true, differences: 0 });
    expect(comparison.findings).toEqual([]);

    const after = await compareReadModels(world.store, stored, projections());
    expect(group(after, 'orders')).toMatchObject({ compared: true, differences: 0 });
    expect(after.findings).toEqual([]);
  });

  it('with SQLite snapshots, a group is compared however often the checkpoint moves while it is read', async () => {
    const head = await world.store.headPosition();
    const store = interrupted(stored, ORDERS, newOrder, { snapshots: true });
    const comparison = await compareReadModels(world.store, store, projections());
    expect(writes).toBeGreaterThanOrEqual(1);
    expect(group(comparison, 'orders')).toMatchObject({ compared: true, position: head, differences: 0 });
    expect(comparison.findings).toEqual([]);
  });
});
