import { randomUUID } from 'node:crypto';
import type { EventToAppend } from '../../../src/application/ports/event-store.port';
import type { Projection } from '../../../src/application/event-sourcing/projection';
import { Projector } from '../../../src/application/event-sourcing/projector';
import type { SqliteEventStore } from '../../../src/infrastructure/eventstore/sqlite/sqlite-event-store';
import { MemoryReadModelStore } from '../../../src/infrastructure/readmodels/memory/memory-read-model-store';
import { tempEventStores } from './temp-event-store';

const added = (n: number): EventToAppend => ({
  type: 'Added',
  data: { n },
  metadata: {
    eventId: randomUUID(),
    correlationId: 'c',
    causationId: 'c',
    actor: { kind: 'system', process: 'test' },
    recordedAt: '2024-03-01T01:00:00.000Z',
    prevHash: '',
    hash: '',
  },
});

async function append(store: SqliteEventStore, stream: string, ns: number[]): Promise<number> {
  const existing = await store.readStream(stream);
  return (
    await store.append(stream, ns.map(added), existing.length === 0 ? 'no_stream' : existing.length - 1)
  ).globalPosition;
}

/** A running total per stream in its own collection. */
const total = (name: string): Projection => ({
  name,
  version: 1,
  collections: [name],
  async apply(event, writer) {
    const doc = await writer.get<{ total: number }>(name, event.streamId);
    writer.put(name, event.streamId, { total: (doc?.total ?? 0) + Number(event.data.n) });
  },
});

/** Copies the `totals` document as it stands after the same event (it reads another's document). */
const mirror: Projection = {
  name: 'mirror',
  version: 1,
  collections: ['mirror'],
  async apply(event, writer) {
    const doc = await writer.get<{ total: number }>('totals', event.streamId);
    writer.put('mirror', event.streamId, { seen: doc?.total ?? null });
  },
};

describe('Projector with a checkpoint per projection group', () => {
  const stores = tempEventStores();
  const projectors: Projector[] = [];
  const start = async (...args: ConstructorParameters<typeof Projector>) => {
    const projector = new Projector(...args);
    projectors.push(projector);
    await projector.start();
    return projector;
  };
  afterEach(async () => {
    await Promise.all(projectors.splice(0).map((p) => p.stop()));
    await stores.cleanUp();
  });

  it('commits every group checkpoint with the batch and counts the events each projection applied', async () => {
    const events = stores.open();
    const head = await append(events, 's-a', [1, 2, 3]);
    const readModels = new MemoryReadModelStore();

    const projector = await start(events, readModels, [
      { name: 'main', projections: [total('totals'), mirror] },
      total('other'),
    ]);

    expect(await readModels.checkpoint('main')).toBe(head);
    expect(await readModels.checkpoint('other')).toBe(head);
    expect(projector.checkpoints).toEqual({ main: head, other: head });
    expect(projector.appliedEvents).toEqual({ totals: 3, mirror: 3, other: 3 });
    // Within a group, a projection reads another's document as folded up to the same event.
    expect(await readModels.get('mirror', 's-a')).toEqual({ seen: 6 });
  });

  it('starts each group from its own checkpoint: a restart with nothing new applies no event', async () => {
    const events = stores.open();
    await append(events, 's-a', [1, 2]);
    const readModels = new MemoryReadModelStore();
    const groups = () => [total('totals'), total('other')];
    await start(events, readModels, groups());

    const restarted = await start(events, readModels, groups());

    expect(restarted.appliedEvents).toEqual({ totals: 0, other: 0 });
    expect(await readModels.get('totals', 's-a')).toEqual({ total: 3 });
  });

  it('builds a projection added later from the first event, leaving the others where they are', async () => {
    const events = stores.open();
    await append(events, 's-a', [1, 2]);
    const readModels = new MemoryReadModelStore();
    await start(events, readModels, [total('totals')]);
    const head = await append(events, 's-a', [4]);

    const restarted = await start(events, readModels, [total('totals'), total('added')]);

    expect(restarted.appliedEvents).toEqual({ totals: 1, added: 3 });
    expect(await readModels.get('totals', 's-a')).toEqual({ total: 7 });
    expect(await readModels.get('added', 's-a')).toEqual({ total: 7 });
    expect(restarted.checkpoint).toBe(head);
  });

  it('starts every group from the shared checkpoint of a store written before groups had their own', async () => {
    const events = stores.open();
    const old = await append(events, 's-a', [1, 2]);
    const readModels = new MemoryReadModelStore();
    await readModels.commit([{ collection: 'totals', id: 's-a', doc: { total: 3 } }], {
      name: 'projections',
      position: old,
    });
    await append(events, 's-a', [10]);

    const projector = await start(events, readModels, [total('totals')]);

    expect(projector.appliedEvents).toEqual({ totals: 1 });
    expect(await readModels.get('totals', 's-a')).toEqual({ total: 13 });
  });

  it('is caught up once start() reached the head, and no longer once stopped', async () => {
    const events = stores.open();
    await append(events, 's-a', [1]);
    const projector = new Projector(events, new MemoryReadModelStore(), [total('totals')]);
    projectors.push(projector);
    expect(projector.caughtUp).toBe(false);
    const starting = projector.start();
    expect(projector.caughtUp).toBe(false);
    await starting;
    expect(projector.caughtUp).toBe(true);
    await projector.stop();
    expect(projector.caughtUp).toBe(false);
  });

  it('refuses two groups with one name', () => {
    const events = stores.open();
    expect(() => new Projector(events, new MemoryReadModelStore(), [total('x'), total('x')])).toThrow(
      'unique',
    );
  });
});
