import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DAY, startWorld, type ProcessWorld } from '../support/process-harness';
import { BASIC, EVENT, PREMIUM, purchase, refund } from '../support/purchases';
import { FailingReadModelStore } from '../support/failing-read-model-store';

const admin = { userId: 'ops', role: 'admin' as const };

/** A history touching every read model: subscriptions, an upgrade, the event fund, a full refund. */
async function makeHistory(world: ProcessWorld): Promise<void> {
  for (const user of ['ana', 'ben', 'cho', 'dae']) await purchase(world, user, BASIC);
  await purchase(world, 'ana', PREMIUM);
  await purchase(world, 'ben', EVENT, 'portone', 5_000);
  const refunded = await purchase(world, 'cho', BASIC, 'portone');
  await refund(world, refunded.orderId, admin);
  await world.advance(DAY);
  await world.app.projector.catchUp();
}

/** Every read-model table and checkpoint in the file, as stored. */
function dump(dir: string): Record<string, unknown> {
  const db = new Database(path.join(dir, 'read-models.db'), { readonly: true });
  try {
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all() as unknown as string[];
    return Object.fromEntries(
      tables.map((table) => [table, db.prepare(`SELECT * FROM "${table}" ORDER BY 1`).all()]),
    );
  } finally {
    db.close();
  }
}

function removeReadModels(dir: string): void {
  for (const suffix of ['', '-wal', '-shm'])
    fs.rmSync(path.join(dir, `read-models.db${suffix}`), { force: true });
}

describe('persistent read models across restarts (issue #11)', () => {
  let world: ProcessWorld;
  beforeEach(async () => {
    world = await startWorld(undefined, { readModels: 'sqlite' });
  });
  afterEach(() => world.close());

  it('a restart with the read models already caught up applies no event and serves the same reads', async () => {
    await makeHistory(world);
    const before = {
      history: await world.app.queries.history({ userId: 'ana' }, 10),
      subscription: await world.app.queries.subscription('ana'),
      fund: await world.app.queries.eventFund(),
      checkpoint: world.app.projector.checkpoint,
    };
    expect(before.history.items).toHaveLength(2);

    await world.restart();

    const applied = world.app.projector.appliedEvents;
    expect(Object.keys(applied)).toContain('orders');
    expect(Object.values(applied).every((count) => count === 0)).toBe(true);
    expect(world.app.projector.caughtUp).toBe(true);
    expect(world.app.projector.checkpoint).toBe(before.checkpoint);
    expect(await world.app.queries.history({ userId: 'ana' }, 10)).toEqual(before.history);
    expect(await world.app.queries.subscription('ana')).toEqual(before.subscription);
    expect(await world.app.queries.eventFund()).toEqual({ total: 5_000, contributions: 1 });
  });

  it('a crash between catch-up batches resumes from the last committed checkpoint and ends as a full build does', async () => {
    await makeHistory(world);
    const head = await world.store.headPosition();
    // What a build from the first event in one go leaves in the file.
    // Every commit is written at once in this test, so the file can be read while it runs.
    removeReadModels(world.dir);
    await world.restart({ projectorBatchSize: 10, readModelFlushDelayMs: 0 });
    const built = dump(world.dir);

    // A build from scratch whose third commit fails: the process dies after two batches.
    removeReadModels(world.dir);
    await expect(
      world.restart({
        projectorBatchSize: 10,
        readModelFlushDelayMs: 0,
        wrapReadModels: (store) => new FailingReadModelStore(store, 3),
      }),
    ).rejects.toThrow('read-model commit 3 failed');
    const committed = (dump(world.dir).checkpoints as Array<{ name: string; position: number }>).find(
      (c) => c.name === 'orders',
    )!.position;
    expect(committed).toBeGreaterThan(0);
    expect(committed).toBeLessThan(head);

    await world.restart({ projectorBatchSize: 10, readModelFlushDelayMs: 0 });

    const remaining = (await world.store.readAll(committed, 100_000)).length;
    expect(world.app.projector.appliedEvents.orders).toBe(remaining);
    expect(world.app.projector.checkpoint).toBe(head);
    expect(dump(world.dir)).toEqual(built);
  });
});
