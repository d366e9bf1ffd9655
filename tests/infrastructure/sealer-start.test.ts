import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { merkleRoot, type StreamHead } from '../../src/application/audit/merkle-root';
import { SEAL_STREAM, type SealData } from '../../src/application/audit/seal';
import { Sealer } from '../../src/application/audit/sealer';
import type { EventStore, EventToAppend } from '../../src/application/ports/event-store.port';
import { Ed25519SealSigner } from '../../src/infrastructure/audit/ed25519-seal-signer';
import { MerkleSnapshotFile } from '../../src/infrastructure/audit/merkle-snapshot-file';
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

const sealer = (store: EventStore, dir: string, snapshots?: MerkleSnapshotFile) =>
  new Sealer(
    store,
    { now: () => Date.parse('2026-01-02T00:00:00Z') },
    Ed25519SealSigner.sandbox(dir),
    { intervalMs: 60_000, everyEvents: 1_000 },
    (_source, error) => {
      throw error;
    },
    snapshots,
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

describe('the sealer after a clean shutdown: its Merkle snapshot', () => {
  /** The SQLite store as the sealer sees it, counting the reads of every stream row. */
  const counted = (store: SqliteEventStore) => {
    const reads = { streamHeads: 0 };
    const view: EventStore = {
      ...plain(store),
      streamHeads: (visit) => {
        reads.streamHeads++;
        return store.streamHeads(visit);
      },
      streamOrdinal: (streamId) => store.streamOrdinal(streamId),
      readLast: (streamId) => store.readLast(streamId),
    };
    return { view, reads };
  };
  const snapshotSealer = (store: EventStore, dir: string) =>
    sealer(store, dir, new MerkleSnapshotFile(path.join(dir, 'merkle-snapshot.bin')));

  /** A history sealed and shut down cleanly, then reopened with more appends waiting to be sealed. */
  async function shutDownThenMore(dir: string, file: string): Promise<SqliteEventStore> {
    let store = SqliteEventStore.open(file);
    await store.append('order-b', [event(), event()], 'no_stream');
    await store.append('order-a', [event()], 'no_stream');
    await store.append('payment-c', [event()], 'no_stream');
    const first = snapshotSealer(store, dir);
    await first.sealNow();
    await store.append('payment-c', [event()], 0); // sealed by the shutdown seal
    await first.close();
    await store.close();
    store = SqliteEventStore.open(file);
    await store.append('order-a', [event()], 0);
    await store.append('aaa-new', [event()], 'no_stream');
    return store;
  }

  it('loads the tree the last shutdown kept instead of reading every stream row, and seals the same roots', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'events.db');
    const store = await shutDownThenMore(dir, file);
    expect(fs.existsSync(path.join(dir, 'merkle-snapshot.bin'))).toBe(true);
    const { view, reads } = counted(store);
    const restarted = snapshotSealer(view, dir);
    await restarted.sealNow();
    expect(reads.streamHeads).toBe(0);
    const last = (await seals(store)).at(-1)!;
    expect(last.sequence).toBe(2);
    expect(last.streams.map((s) => s.streamId)).toEqual(['aaa-new', 'order-a']);
    expect(last.eventCount).toBe(7);
    expect(last.merkleRoot).toBe(merkleRoot(await heads(store)));

    // Later changes land on the right leaves too.
    await store.append('order-b', [event()], 1);
    await store.append('zzz-later', [event()], 'no_stream');
    await restarted.sealNow();
    expect((await seals(store)).at(-1)!.merkleRoot).toBe(merkleRoot(await heads(store)));
    await store.close();
  });

  it('keeps no snapshot of leaves taken by name (stream rows out of order): a start would place them by row', async () => {
    const dir = tempDir();
    const store = SqliteEventStore.open(path.join(dir, 'events.db'));
    await store.append('order-b', [event()], 'no_stream');
    await store.append('order-a', [event()], 'no_stream');
    // Rows whose ordinals are not the order the streams appeared in: the sealer falls back to names.
    const shuffled: EventStore = {
      ...plain(store),
      streamHeads: (visit) =>
        store.streamHeads((head) => visit({ ...head, ordinal: (head.ordinal ?? 0) + 7 })),
      streamOrdinal: (streamId) => store.streamOrdinal(streamId),
      readLast: (streamId) => store.readLast(streamId),
    };
    const byName = sealer(shuffled, dir, new MerkleSnapshotFile(path.join(dir, 'merkle-snapshot.bin')));
    await byName.sealNow();
    await byName.close();
    expect(fs.existsSync(path.join(dir, 'merkle-snapshot.bin'))).toBe(false);
    expect(await seals(store)).toHaveLength(1);
    await store.close();
  });

  it.each([
    [
      'of an older seal',
      async (store: SqliteEventStore, dir: string) => {
        // Another sealer, keeping no snapshot, sealed after the shutdown.
        await sealer(store, dir).sealNow();
      },
    ],
    [
      "whose bytes do not give the seal's root",
      async (_store: SqliteEventStore, dir: string) => {
        const snapshot = path.join(dir, 'merkle-snapshot.bin');
        const bytes = fs.readFileSync(snapshot);
        bytes[bytes.length - 40] ^= 0xff; // the last leaf but one
        fs.writeFileSync(snapshot, bytes);
      },
    ],
    [
      'that is not a snapshot at all',
      async (_store: SqliteEventStore, dir: string) => {
        fs.writeFileSync(path.join(dir, 'merkle-snapshot.bin'), 'not a snapshot');
      },
    ],
  ])('does not trust a snapshot %s: reads the stream rows, seals the right root', async (_what, spoil) => {
    const dir = tempDir();
    const file = path.join(dir, 'events.db');
    const store = await shutDownThenMore(dir, file);
    await spoil(store, dir);
    await store.append('order-b', [event()], 1);
    const { view, reads } = counted(store);
    await snapshotSealer(view, dir).sealNow();
    expect(reads.streamHeads).toBe(1);
    expect((await seals(store)).at(-1)!.merkleRoot).toBe(merkleRoot(await heads(store)));
    await store.close();
  });
});
