import { randomUUID } from 'node:crypto';
import type { EventToAppend } from '../../../src/application/ports/event-store.port';
import {
  checkpointList,
  type ReadModelCheckpoint,
  type ReadModelStore,
  type ReadModelWrite,
} from '../../../src/application/ports/read-model-store.port';
import type { Projection } from '../../../src/application/event-sourcing/projection';
import { LiveReadModelStore } from '../../../src/application/event-sourcing/live-read-model-store';
import { Projector } from '../../../src/application/event-sourcing/projector';
import type { SqliteEventStore } from '../../../src/infrastructure/eventstore/sqlite/sqlite-event-store';
import { MemoryReadModelStore } from '../../../src/infrastructure/readmodels/memory/memory-read-model-store';
import { tempEventStores } from './temp-event-store';

/** A bare projection is a group of its own, checkpointed under its name. */
const CHECKPOINT = 'tally';

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

/** A projection keeping a running total per stream; counts how often it is applied. */
function tallyProjection(options: { failOn?: () => number | null } = {}) {
  const applied: number[] = [];
  const projection: Projection = {
    name: 'tally',
    version: 1,
    collections: ['tallies'],
    async apply(event, writer) {
      const n = Number(event.data.n);
      if (options.failOn?.() === n) throw new Error(`cannot project ${n}`);
      applied.push(event.globalPosition);
      const doc = await writer.get<{ total: number; count: number }>('tallies', event.streamId);
      writer.put('tallies', event.streamId, { total: (doc?.total ?? 0) + n, count: (doc?.count ?? 0) + 1 });
    },
  };
  return { projection, applied };
}

/** Records every commit a store receives. */
function recordCommits(store: ReadModelStore) {
  const commits: Array<{ writes: ReadModelWrite[]; checkpoints: readonly ReadModelCheckpoint[] }> = [];
  const commit = store.commit.bind(store);
  store.commit = async (writes, checkpoints) => {
    commits.push({ writes, checkpoints: checkpointList(checkpoints) });
    return commit(writes, checkpoints);
  };
  return commits;
}

async function appendAll(store: SqliteEventStore, stream: string, ns: number[]): Promise<number> {
  const existing = await store.readStream(stream);
  const expected = existing.length === 0 ? 'no_stream' : existing.length - 1;
  const result = await store.append(stream, ns.map(added), expected);
  return result.globalPosition;
}

describe('Projector with a SQLite event store and the memory read-model store', () => {
  const stores = tempEventStores();
  const projectors: Projector[] = [];
  const projectorFor = (...args: ConstructorParameters<typeof Projector>) => {
    const projector = new Projector(...args);
    projectors.push(projector);
    return projector;
  };
  afterEach(async () => {
    await Promise.all(projectors.splice(0).map((p) => p.stop()));
    await stores.cleanUp();
  });

  it('catches up from position 0 on start, applying every stored event', async () => {
    const events = stores.open();
    await appendAll(events, 'tally-a', [1, 2]);
    const head = await appendAll(events, 'tally-b', [10]);
    const readModels = new MemoryReadModelStore();
    const { projection } = tallyProjection();

    const projector = projectorFor(events, readModels, [projection], { batchSize: 500, pollMs: 1_000 });
    await projector.start();

    expect(await readModels.get('tallies', 'tally-a')).toEqual({ total: 3, count: 2 });
    expect(await readModels.get('tallies', 'tally-b')).toEqual({ total: 10, count: 1 });
    expect(projector.checkpoint).toBe(head);
    expect(await readModels.checkpoint(CHECKPOINT)).toBe(head);
  });

  it('catches up in pages, committing each page with its checkpoint', async () => {
    const events = stores.open();
    await appendAll(events, 'tally-a', [1, 2, 3, 4, 5]);
    const readModels = new MemoryReadModelStore();
    const commits = recordCommits(readModels);
    const all = await events.readAll(0, 100);

    await projectorFor(events, readModels, [tallyProjection().projection], {
      batchSize: 2,
      pollMs: 1_000,
    }).start();

    expect(commits.map((c) => c.checkpoints[0])).toEqual([
      { name: CHECKPOINT, position: all[1]!.globalPosition },
      { name: CHECKPOINT, position: all[3]!.globalPosition },
      { name: CHECKPOINT, position: all[4]!.globalPosition },
    ]);
    expect(await readModels.get('tallies', 'tally-a')).toEqual({ total: 15, count: 5 });
  });

  it('commits the writes of a batch in the same call as its checkpoint', async () => {
    const events = stores.open();
    const head = await appendAll(events, 'tally-a', [1, 2]);
    const readModels = new MemoryReadModelStore();
    const commits = recordCommits(readModels);

    await projectorFor(events, readModels, [tallyProjection().projection]).start();

    expect(commits).toEqual([
      {
        writes: [{ collection: 'tallies', id: 'tally-a', doc: { total: 3, count: 2 } }],
        checkpoints: [{ name: CHECKPOINT, position: head }],
      },
    ]);
  });

  it('commits neither writes nor checkpoint of a batch in which a projection fails', async () => {
    const events = stores.open();
    await appendAll(events, 'tally-a', [1, 2, 3]);
    const readModels = new MemoryReadModelStore();
    let failOn: number | null = 3;
    const projector = projectorFor(events, readModels, [
      tallyProjection({ failOn: () => failOn }).projection,
    ]);

    await expect(projector.catchUp()).rejects.toThrow('cannot project 3');
    expect(await readModels.get('tallies', 'tally-a')).toBeNull(); // events 1 and 2 not half-applied
    expect(await readModels.checkpoint(CHECKPOINT)).toBe(0);
    expect(projector.checkpoint).toBe(0);

    failOn = null;
    await projector.catchUp();
    expect(await readModels.get('tallies', 'tally-a')).toEqual({ total: 6, count: 3 });
  });

  it('resumes from the stored checkpoint without applying an event twice', async () => {
    const events = stores.open();
    await appendAll(events, 'tally-a', [1, 2]);
    const readModels = new MemoryReadModelStore();
    await projectorFor(events, readModels, [tallyProjection().projection]).start();
    const later = await appendAll(events, 'tally-a', [3]);

    const { projection, applied } = tallyProjection();
    await projectorFor(events, readModels, [projection]).start();

    expect(applied).toEqual([later]);
    expect(await readModels.get('tallies', 'tally-a')).toEqual({ total: 6, count: 3 });
  });

  describe('waitFor (a read right after a command sees its effects)', () => {
    it('resolves true once an append made after start is projected', async () => {
      const events = stores.open();
      const readModels = new MemoryReadModelStore();
      // A long poll interval: only the wake-up from waitFor can make this fast.
      const projector = projectorFor(events, readModels, [tallyProjection().projection], {
        batchSize: 500,
        pollMs: 60_000,
      });
      await projector.start();

      const position = await appendAll(events, 'tally-a', [7]);
      const caughtUp = await projector.waitFor(position, 2_000);

      expect(caughtUp).toBe(true);
      expect(await readModels.get('tallies', 'tally-a')).toEqual({ total: 7, count: 1 });
      expect(await readModels.checkpoint(CHECKPOINT)).toBeGreaterThanOrEqual(position);
    });

    it('resolves true at once for a position already projected', async () => {
      const events = stores.open();
      const position = await appendAll(events, 'tally-a', [1]);
      const projector = projectorFor(events, new MemoryReadModelStore(), [tallyProjection().projection]);
      await projector.start();
      expect(await projector.waitFor(position, 0)).toBe(true);
    });

    it('resolves false when the position is not projected before the timeout', async () => {
      const events = stores.open();
      const head = await appendAll(events, 'tally-a', [1]);
      const projector = projectorFor(events, new MemoryReadModelStore(), [tallyProjection().projection], {
        batchSize: 500,
        pollMs: 20,
      });
      await projector.start();

      const started = Date.now();
      expect(await projector.waitFor(head + 1_000, 80)).toBe(false);
      expect(Date.now() - started).toBeGreaterThanOrEqual(70);
    });

    it('resolves false for the waiters still pending when the projector stops', async () => {
      const events = stores.open();
      const projector = projectorFor(events, new MemoryReadModelStore(), [tallyProjection().projection], {
        batchSize: 500,
        pollMs: 20,
      });
      await projector.start();
      const waiting = projector.waitFor(1_000, 10_000);
      await projector.stop();
      expect(await waiting).toBe(false);
    });
  });

  it('follows appends on its own by polling', async () => {
    const events = stores.open();
    const readModels = new MemoryReadModelStore();
    const projector = projectorFor(events, readModels, [tallyProjection().projection], {
      batchSize: 500,
      pollMs: 10,
    });
    await projector.start();

    const position = await appendAll(events, 'tally-a', [4]);
    const deadline = Date.now() + 2_000;
    while (projector.checkpoint < position && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));

    expect(projector.checkpoint).toBe(position);
    expect(await readModels.get('tallies', 'tally-a')).toEqual({ total: 4, count: 1 });
  });

  it('reads the store once per catch-up when the page is short, and not at all for a projected position', async () => {
    const events = stores.open();
    await appendAll(events, 'tally-a', [1, 2]);
    const readModels = new MemoryReadModelStore();
    const projector = projectorFor(events, readModels, [tallyProjection().projection], {
      batchSize: 500,
      pollMs: 60_000,
    });
    await projector.start();
    await new Promise((resolve) => setTimeout(resolve, 20)); // the follow loop's first look
    const reads: number[] = [];
    const readAll = events.readAll.bind(events);
    events.readAll = (from, limit) => {
      reads.push(from);
      return readAll(from, limit);
    };

    await projector.catchUp();
    expect(reads).toEqual([projector.checkpoint]); // a page of 500 held nothing: no second ask

    projector.wake(projector.checkpoint); // an append it has already projected
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reads).toHaveLength(1);

    const position = await appendAll(events, 'tally-a', [3]);
    projector.wake(position);
    expect(await projector.waitFor(position, 2_000)).toBe(true);
    expect(reads).toHaveLength(2);
    expect(await readModels.get('tallies', 'tally-a')).toEqual({ total: 6, count: 3 });
  });
  it('switches to a rebuilt build although events keep arriving between the live catch-up and the build batch', async () => {
    const events = stores.open();
    await appendAll(events, 'tally-a', [1, 2, 3]);
    const readModels = new MemoryReadModelStore();
    const projector = projectorFor(events, readModels, [tallyProjection().projection], {
      batchSize: 500,
      pollMs: 60_000,
      rebuildInBackground: false,
    });
    await projector.start();
    await projector.rebuild(['tally']);
    // A service under load: an append lands before every read of the log.
    const readAll = events.readAll.bind(events);
    let n = 10;
    events.readAll = async (from, limit) => {
      await appendAll(events, 'tally-b', [n++]);
      return readAll(from, limit);
    };
    let building = true;
    for (let step = 0; step < 5 && building; step++) building = await projector.rebuildStep();
    events.readAll = readAll;
    expect(building).toBe(false);
    expect(projector.rebuilds).toEqual([]);
    await projector.catchUp();
    const a = await new LiveReadModelStore(readModels, projector.live).get('tallies', 'tally-a');
    expect(a).toEqual({ total: 6, count: 3 });
  });
});
