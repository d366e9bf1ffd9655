import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { replayDigest, stateHash, type StateHash } from '../../src/application/audit/replay-summary';
import { pgNotificationDecider } from '../../src/domain/notification/pg-notification.decider';
import { orderDecider } from '../../src/domain/order/order.decider';
import { paymentDecider } from '../../src/domain/payment/payment.decider';
import { pgPaymentClaimDecider } from '../../src/domain/payment/pg-payment-claim.decider';
import { subscriptionDecider } from '../../src/domain/subscription';
import {
  replaySqliteEventStore,
  SqliteParallelReplay,
} from '../../src/infrastructure/eventstore/sqlite/sqlite-parallel-replay';
import { workerFile } from '../../src/infrastructure/sqlite/worker-file';
import { SqliteEventStore } from '../../src/infrastructure/eventstore/sqlite/sqlite-event-store';
import { metadata, readEverything, recordHistory } from './replay-history.fixture';

type Evolver = { initialState: unknown; evolve: (state: unknown, event: unknown) => unknown };
const deciders = {
  order: orderDecider,
  payment: paymentDecider,
  subscription: subscriptionDecider,
  pgpayment: pgPaymentClaimDecider,
  pgnotice: pgNotificationDecider,
} as unknown as Record<string, Evolver>;

/** The plain fold the parallel replay must agree with: one thread, one Map, the port's readAll. */
async function plainFold(store: SqliteEventStore) {
  const streams = new Map<string, { kind: string; state: unknown; revision: number; events: number }>();
  for (const event of await readEverything(store)) {
    const kind = event.streamId.slice(0, event.streamId.indexOf('-'));
    const decider = deciders[kind];
    const stream = streams.get(event.streamId) ?? {
      kind,
      state: decider.initialState,
      revision: -1,
      events: 0,
    };
    stream.state = decider.evolve(stream.state, { type: event.type, data: event.data });
    stream.revision = event.revision;
    stream.events++;
    streams.set(event.streamId, stream);
  }
  const byKind: Record<string, { streams: number; events: number }> = {};
  const hashes: StateHash[] = [];
  for (const [streamId, { kind, state, revision, events }] of streams) {
    byKind[kind] ??= { streams: 0, events: 0 };
    byKind[kind].streams++;
    byKind[kind].events += events;
    hashes.push([streamId, revision, stateHash(state)]);
  }
  return { streams: streams.size, byKind, digest: replayDigest(hashes) };
}

const dirs: string[] = [];
function tempStore(): { file: string; store: SqliteEventStore } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerline-replay-'));
  dirs.push(dir);
  const file = path.join(dir, 'events.db');
  return { file, store: SqliteEventStore.open(file) };
}
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

describe('SqliteParallelReplay', () => {
  let file: string;
  let store: SqliteEventStore;
  let expected: Awaited<ReturnType<typeof plainFold>>;
  let total: number;

  beforeAll(async () => {
    ({ file, store } = tempStore());
    await recordHistory(store);
    expected = await plainFold(store);
    total = (await readEverything(store)).length;
  });
  afterAll(() => store.close());

  it('runs its workers from the compiled worker file', () => {
    const dir = path.resolve(__dirname, '../../src/infrastructure/eventstore/sqlite');
    expect(workerFile(dir, 'sqlite-replay-worker.js')).toMatch(
      /dist[\\/]src[\\/]infrastructure[\\/]eventstore[\\/]sqlite[\\/]sqlite-replay-worker\.js$/,
    );
  });

  it('records a history with several streams of every kind', () => {
    for (const kind of Object.keys(deciders)) expect(expected.byKind[kind]?.streams).toBeGreaterThan(1);
  });

  it.each([1, 2, 3])(
    'folds every stream to the states a plain fold reaches, with %i worker(s)',
    async (workers) => {
      const summary = await replaySqliteEventStore(file, { workers, digest: true });

      expect(summary.digest).toBe(expected.digest);
      expect(summary.byKind).toEqual(expected.byKind);
      expect(summary).toMatchObject({
        events: total,
        eventsFolded: total,
        streams: expected.streams,
        headPosition: total,
        failures: [],
        unknownKinds: [],
      });
      // Every worker folded a share, and the shares add up to the whole log.
      expect(summary.partitions).toHaveLength(workers);
      expect(summary.partitions.every((p) => p.events > 0)).toBe(true);
      expect(summary.partitions.reduce((n, p) => n + p.events, 0)).toBe(total);
      expect(summary.partitions.reduce((n, p) => n + p.streams, 0)).toBe(expected.streams);
    },
  );

  it('replays again, each time up to the head it finds', async () => {
    const replay = new SqliteParallelReplay(file, { workers: 2, digest: true });
    try {
      const before = await replay.replay();
      const [placed] = await store.readAll(0, 1); // the first order's OrderPlaced
      const revision = (await store.readStream(placed.streamId)).length - 1;
      const expiry = { type: 'OrderExpired', data: { at: '2024-03-01T02:00:00.000Z' }, metadata: metadata() };
      await store.append(placed.streamId, [expiry], revision);
      const after = await replay.replay();

      expect(before.digest).toBe(expected.digest);
      expect(after.events).toBe(before.events + 1);
      expect(after.headPosition).toBe(before.headPosition + 1);
      expect(after.digest).not.toBe(before.digest);
      expect(after.digest).toBe((await plainFold(store)).digest);
    } finally {
      await replay.close();
    }
  });
});

describe('SqliteParallelReplay with a damaged history', () => {
  it('reports each stream whose fold fails, skips its later events and folds the rest', async () => {
    const { file, store } = tempStore();
    await recordHistory(store, 6);
    const healthy = (await readEverything(store)).length;
    const broken = 'order-broken_order_id_0000000000001';
    const [placed] = await store.readAll(0, 1);
    await store.append(
      broken,
      [
        { type: 'OrderPlaced', data: placed.data, metadata: metadata() },
        { type: 'OrderTeleported', data: {}, metadata: metadata() },
        { type: 'OrderExpired', data: { at: '2024-03-01T02:00:00.000Z' }, metadata: metadata() },
      ],
      'no_stream',
    );
    await store.append('x', [{ type: 'Noted', data: {}, metadata: metadata() }], 'no_stream');
    // Data that is not JSON can only get in behind the store's back.
    const raw = new Database(file);
    const stream = raw
      .prepare(
        `INSERT INTO streams (name, revision, last) VALUES ('payment-garbled_payment_id_00000000001', 0, 0)`,
      )
      .run().lastInsertRowid;
    raw.prepare(`INSERT OR IGNORE INTO event_types (name) VALUES ('PaymentApproved')`).run();
    const type = raw.prepare(`SELECT id FROM event_types WHERE name = 'PaymentApproved'`).pluck().get();
    raw
      .prepare(
        `INSERT INTO events (stream, revision, event_id, type, data, correlation, actor, recorded_at, prev_hash, hash)
         VALUES (?, 0, 'e-garbled', ?, '{"orderId":', 'c', 1, 0, '', '')`,
      )
      .run(stream, type);
    raw.close();

    const summary = await replaySqliteEventStore(file, { workers: 2 });

    expect(summary.events).toBe(healthy + 5);
    expect(summary.eventsFolded).toBe(healthy + 1); // OrderPlaced of the broken order only
    expect(summary.unknownKinds).toEqual(['x']);
    expect(summary.failures).toEqual([
      {
        streamId: broken,
        revision: 1,
        globalPosition: healthy + 2,
        type: 'OrderTeleported',
        error: expect.stringContaining('unexpected value'),
        eventsSkipped: 1,
      },
      {
        streamId: 'payment-garbled_payment_id_00000000001',
        revision: 0,
        globalPosition: healthy + 5,
        type: 'PaymentApproved',
        error: expect.stringContaining('JSON'),
        eventsSkipped: 0,
      },
    ]);
    await store.close();
  });

  it('fails when the store file does not exist', async () => {
    await expect(
      replaySqliteEventStore(path.join(os.tmpdir(), 'ledgerline-no-such-dir', 'events.db')),
    ).rejects.toThrow();
  });
});
