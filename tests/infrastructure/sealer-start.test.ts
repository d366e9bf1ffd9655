import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { merkleRoot, type StreamHead } from '../../src/application/audit/merkle-root';
import { SEAL_STREAM, type SealData } from '../../src/application/audit/seal';
import { Sealer } from '../../src/application/audit/sealer';
import type { EventStore, EventToAppend } from '../../src/application/ports/event-store.port';
import { Ed25519SealSigner } from '../../src/infrastructure/audit/ed25519-seal-signer';
import { SqliteEventStore } from '../../src/infrastructure/eventstore/sqlite/sqlite-event-store';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-sealer-'));
  dirs.push(dir);
  return dir;
};

let n = 0;
const event = (): EventToAppend => {
  n++;
  return {
    type: 'Noted',
    data: { n },
    metadata: {
      eventId: `e-${n}`,
      correlationId: 'c',
      causationId: 'c',
      actor: { kind: 'system', process: 'test' },
      recordedAt: '2026-01-01T00:00:00.000Z',
      prevHash: '',
      hash: n.toString(16).padStart(64, '0'),
    },
  };
};

/** Every stream's head up to the head of the log, in the order the streams first appear. */
async function heads(store: EventStore): Promise<StreamHead[]> {
  const byStream = new Map<string, StreamHead>();
  for (const e of await store.readAll(0, 10_000)) {
    if (e.streamId === SEAL_STREAM) continue;
    byStream.set(e.streamId, { streamId: e.streamId, count: e.revision + 1, head: e.metadata.hash });
  }
  return [...byStream.values()];
}

/** The port's required methods only: a store with neither streamHeads nor readLast (EventStoreDB's case). */
const plain = (store: EventStore): EventStore => ({
  append: (s, e, x) => store.append(s, e, x),
  readStream: (s) => store.readStream(s),
  readAll: (f, l) => store.readAll(f, l),
  headPosition: () => store.headPosition(),
  subscribe: (f, o, e) => store.subscribe(f, o, e),
  status: () => store.status(),
  close: () => store.close(),
});

const sealer = (store: EventStore, dir: string) =>
  new Sealer(
    store,
    { now: () => Date.parse('2026-01-02T00:00:00Z') },
    Ed25519SealSigner.sandbox(dir),
    { intervalMs: 60_000, everyEvents: 1_000 },
    (_source, error) => {
      throw error;
    },
  );

const seals = async (store: EventStore) =>
  (await store.readStream(SEAL_STREAM)).map((e) => e.data as SealData);

describe('the sealer after a restart: from the stream rows, or from the log without them', () => {
  it.each([
    ['the SQLite stream rows (streamHeads, readLast)', (store: SqliteEventStore) => store],
    ['one read of the log up to the last cut', (store: SqliteEventStore) => plain(store)],
  ])('from %s: lists what changed since the last seal, with the root over every head', async (_how, view) => {
    const dir = tempDir();
    const file = path.join(dir, 'events.db');
    let store = SqliteEventStore.open(file);
    await store.append('order-b', [event(), event()], 'no_stream');
    await store.append('order-a', [event()], 'no_stream');
    await store.append('payment-c', [event()], 'no_stream');
    await sealer(store, dir).sealNow();
    await store.close();

    // A restart, then more: a sealed stream changes, a new one appears (unsealed, as after a crash).
    store = SqliteEventStore.open(file);
    await store.append('order-a', [event()], 0);
    await store.append('aaa-new', [event()], 'no_stream');
    const restarted = sealer(view(store), dir);
    await restarted.sealNow();

    const [first, second] = await seals(store);
    expect(first.streams.map((s) => s.streamId)).toEqual(['order-a', 'order-b', 'payment-c']);
    expect(second).toMatchObject({ sequence: 1, eventCount: 6, streamCount: 4 });
    expect(second.streams).toEqual([
      { streamId: 'aaa-new', count: 1, head: expect.any(String) },
      { streamId: 'order-a', count: 2, head: expect.any(String) },
    ]);
    // Leaves in the order the streams first appeared: b, a, c, then the new one.
    const all = await heads(store);
    expect(all.map((h) => h.streamId)).toEqual(['order-b', 'order-a', 'payment-c', 'aaa-new']);
    expect(second.merkleRoot).toBe(merkleRoot(all));
    expect(second.globalPosition).toBe((await store.headPosition()) - 1);

    // Nothing new: no seal.
    await restarted.sealNow();
    expect(await seals(store)).toHaveLength(2);

    // After the load: a stream loaded from the rows changes and another appears (after the seal
    // stream's row): their leaves are the ones the log's order gives.
    await store.append('order-b', [event()], 1);
    await store.append('aaa-new', [event()], 0);
    await store.append('zzz-later', [event()], 'no_stream');
    await restarted.sealNow();
    const third = (await seals(store))[2];
    const now = await heads(store);
    expect(now.map((h) => h.streamId)).toEqual(['order-b', 'order-a', 'payment-c', 'aaa-new', 'zzz-later']);
    expect(third).toMatchObject({ sequence: 2, streamCount: 5 });
    expect(third.merkleRoot).toBe(merkleRoot(now));
    await store.close();
  });
});
