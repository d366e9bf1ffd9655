import path from 'node:path';
import Database from 'better-sqlite3';
import { LiveReadModelStore } from '../../../src/application/event-sourcing/live-read-model-store';
import type { Projection } from '../../../src/application/event-sourcing/projection';
import { recordedLiveCollections } from '../../../src/application/event-sourcing/projection-builds';
import { SqliteReadModelStore } from '../../../src/infrastructure/readmodels/sqlite/sqlite-read-model-store';
import { DAY, startWorld, type ProcessWorld, type WorldOptions } from '../support/process-harness';
import { BASIC, EVENT, PREMIUM, purchase } from '../support/purchases';
import { FailingReadModelStore } from '../support/failing-read-model-store';

/** Version 2 of the orders projection: the same documents, each marked with the version that built it. */
function ordersV2(projection: Projection): Projection {
  if (projection.name !== 'orders') return projection;
  return {
    ...projection,
    version: 2,
    apply: (event, writer) =>
      projection.apply(event, {
        get: (collection, id) => writer.get(collection, id),
        put: (collection, id, doc) => writer.put(collection, id, { ...doc, builtBy: 2 }),
        delete: (collection, id) => writer.delete(collection, id),
      }),
  };
}

const v2: WorldOptions = { mapProjection: ordersV2, rebuildInBackground: false, projectorBatchSize: 5 };

async function makeHistory(world: ProcessWorld): Promise<string[]> {
  const orders: string[] = [];
  for (const user of ['ana', 'ben', 'cho', 'dae']) orders.push((await purchase(world, user, BASIC)).orderId);
  orders.push((await purchase(world, 'ana', PREMIUM)).orderId);
  orders.push((await purchase(world, 'ben', EVENT, 'portone', 5_000)).orderId);
  await world.advance(DAY);
  await world.app.projector.catchUp();
  return orders;
}

/** The read-model tables and checkpoints in the file. */
function fileState(dir: string): { tables: string[]; checkpoints: Record<string, number> } {
  const db = new Database(path.join(dir, 'read-models.db'), { readonly: true });
  try {
    const tables = db
      .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rm_orders%'")
      .pluck()
      .all();
    const rows = db
      .prepare<[], { name: string; position: number }>('SELECT name, position FROM checkpoints')
      .all();
    return { tables: tables.sort(), checkpoints: Object.fromEntries(rows.map((r) => [r.name, r.position])) };
  } finally {
    db.close();
  }
}

describe('projection versions (issue #11 point 3)', () => {
  let world: ProcessWorld;
  beforeEach(async () => {
    world = await startWorld(undefined, { readModels: 'sqlite' });
  });
  afterEach(() => world.close());

  it('a version bump builds the new version beside the live one, which answers until the switch', async () => {
    const orders = await makeHistory(world);
    const head = await world.store.headPosition();
    const historyBefore = await world.app.queries.history({ userId: 'ana' }, 10);

    await world.restart(v2);
    const { projector, readModels } = world.app;
    // Ready at once: the live build was already caught up, nothing of it was folded again.
    expect(projector.caughtUp).toBe(true);
    expect(projector.appliedEvents.orders).toBe(0);
    expect(projector.rebuilds).toEqual([{ group: 'orders', build: 1, position: 0, disagreement: null }]);

    // One batch of the new build: reads still answer from version 1.
    expect(await projector.rebuildStep()).toBe(true);
    expect(projector.rebuilds[0]!.position).toBeGreaterThan(0);
    expect(projector.rebuilds[0]!.position).toBeLessThan(head);
    expect(await readModels.get('orders', orders[0]!)).not.toHaveProperty('builtBy');
    expect(await world.app.queries.history({ userId: 'ana' }, 10)).toEqual(historyBefore);

    // A command during the rebuild: its response and the next read reflect it (read-your-writes).
    const late = await purchase(world, 'eun', BASIC);
    const eunHistory = await world.app.queries.history({ userId: 'eun' }, 10);
    expect(eunHistory.items.map((i) => i.orderId)).toEqual([late.orderId]);
    // The live build folds new events with the code there is (version 2); its older documents
    // stay as version 1 made them until the switch.
    expect(await readModels.get('orders', late.orderId)).toHaveProperty('builtBy', 2);
    expect(await readModels.get('orders', orders[1]!)).not.toHaveProperty('builtBy');

    while (await projector.rebuildStep());
    // Switched: version 2 answers, the late order included; version 1's table is gone.
    expect(projector.rebuilds).toEqual([]);
    for (const orderId of [...orders, late.orderId]) {
      expect(await readModels.get('orders', orderId)).toHaveProperty('builtBy', 2);
    }
    expect(await world.app.queries.history({ userId: 'ana' }, 10)).toEqual(historyBefore);
    expect(await world.app.queries.eventFund()).toEqual({ total: 5_000, contributions: 1 });
    expect(projector.rebuiltEvents.orders).toBe(await world.store.headPosition());

    // A restart on version 2 folds nothing again.
    await world.restart(v2);
    expect(world.app.projector.rebuilds).toEqual([]);
    expect(world.app.projector.appliedEvents.orders).toBe(0);
    expect(await world.app.readModels.get('orders', orders[0]!)).toHaveProperty('builtBy', 2);
    const state = fileState(world.dir);
    expect(state.tables).toEqual(['rm_orders_b1']);
    expect(state.checkpoints).not.toHaveProperty('orders');
    expect(state.checkpoints['orders@1']).toBe(await world.store.headPosition());
  });

  it('a crash in the middle of a rebuild resumes from the rebuild’s own checkpoint', async () => {
    await makeHistory(world);
    const head = await world.store.headPosition();
    // Commit 1 records the new build; 2 and 3 are its first batches; 4 fails: the process dies.
    await world.restart({
      ...v2,
      readModelFlushDelayMs: 0,
      wrapReadModels: (store) => new FailingReadModelStore(store, 4),
    });
    await world.app.projector.rebuildStep();
    await world.app.projector.rebuildStep();
    await expect(world.app.projector.rebuildStep()).rejects.toThrow('read-model commit 4 failed');
    const resumedFrom = fileState(world.dir).checkpoints['orders@1']!;
    expect(resumedFrom).toBe(10); // two batches of 5 events

    await world.restart(v2);
    expect(world.app.projector.rebuilds).toEqual([
      { group: 'orders', build: 1, position: resumedFrom, disagreement: null },
    ]);
    while (await world.app.projector.rebuildStep());
    // Only what the crash left was folded after the restart, by each projection of the group.
    expect(world.app.projector.rebuiltEvents.orders).toBe(head - resumedFrom);
    expect(world.app.projector.rebuiltEvents['event-fund']).toBe(head - resumedFrom);
    expect(world.app.projector.rebuilds).toEqual([]);
    expect(await world.app.queries.eventFund()).toEqual({ total: 5_000, contributions: 1 });
  });

  it('a forced rebuild of the same version switches to an identical build and drops the old one', async () => {
    const orders = await makeHistory(world);
    await world.restart({ rebuildInBackground: false });
    const before = await world.app.readModels.all('orders');
    expect(await world.app.projector.rebuild(['event-fund'])).toEqual(['orders']);
    await expect(world.app.projector.rebuild(['no-such-projection'])).rejects.toThrow('no-such-projection');
    while (await world.app.projector.rebuildStep());
    expect(await world.app.readModels.all('orders')).toEqual(before);
    expect(await world.app.readModels.get('orders', orders[0]!)).toEqual(
      before.find((d) => d.orderId === orders[0]),
    );
    expect(fileState(world.dir).tables).toEqual(['rm_orders_b1']);

    // A reader without a projector (the auditor's) finds the live builds from the store's record.
    await world.restart({ rebuildInBackground: false });
    const raw = SqliteReadModelStore.open(path.join(world.dir, 'read-models.db'));
    try {
      const reader = new LiveReadModelStore(raw, await recordedLiveCollections(raw));
      expect(await reader.all('orders')).toEqual(before);
      // The group's checkpoint by its name is the live build's.
      expect(await reader.checkpoint('orders')).toBe(await world.store.headPosition());
      expect(await raw.checkpoint('orders')).toBe(0);
    } finally {
      await raw.close();
    }
  });

  it('a new build whose counts disagree with the live one is not switched, and says why', async () => {
    const orders = await makeHistory(world);
    // A faulty version 2 that loses one user's orders.
    const lossy = (projection: Projection): Projection =>
      projection.name !== 'orders'
        ? projection
        : {
            ...projection,
            version: 2,
            apply: (event, writer) =>
              projection.apply(event, {
                get: (collection, id) => writer.get(collection, id),
                put: (collection, id, doc) => {
                  if (doc.userId !== 'dae') writer.put(collection, id, doc);
                },
                delete: (collection, id) => writer.delete(collection, id),
              }),
          };
    await world.restart({ ...v2, mapProjection: lossy });
    while (await world.app.projector.rebuildStep());
    const [rebuild] = world.app.projector.rebuilds;
    expect(rebuild).toMatchObject({ group: 'orders', build: 1, position: await world.store.headPosition() });
    expect(rebuild!.disagreement).toBe('orders: 5 documents, the live build has 6');
    // Version 1 still serves every order.
    expect((await world.app.readModels.all('orders')).map((d) => d.orderId).sort()).toEqual(
      [...orders].sort(),
    );
    expect(world.app.projector.failure).toBeNull();
  });
});
