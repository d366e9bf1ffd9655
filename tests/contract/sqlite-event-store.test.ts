import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { eventHash } from '../../src/application/event-sourcing/event-hash';
import { RecordedEvent, WrongExpectedRevisionError } from '../../src/application/ports/event-store.port';
import { SqliteEventStore } from '../../src/infrastructure/eventstore/sqlite/sqlite-event-store';
import { aStreamId, anEvent, describeEventStoreContract, waitFor } from './event-store.contract';

const dirs: string[] = [];
function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerline-es-'));
  dirs.push(dir);
  // A nested, missing directory: open() must create it.
  return path.join(dir, 'data', 'events.db');
}
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

describeEventStoreContract('SQLite', async () => SqliteEventStore.open(tempFile()));
describeEventStoreContract('SQLite without group commit', async () =>
  SqliteEventStore.open(tempFile(), { groupCommit: false }),
);

describe('SqliteEventStore', () => {
  it('starts empty: head 0, nothing to read', async () => {
    const store = SqliteEventStore.open(tempFile());
    expect(await store.headPosition()).toBe(0);
    expect(await store.readAll(0, 10)).toEqual([]);
    expect(await store.status()).toEqual({
      kind: 'sqlite',
      ok: true,
      detail: expect.stringContaining('events.db'),
    });
    await store.close();
    expect((await store.status()).ok).toBe(false);
  });

  it('keeps events across close and reopen of the same file', async () => {
    const file = tempFile();
    const stream = aStreamId();
    const first = SqliteEventStore.open(file);
    await first.append(stream, [anEvent('A'), anEvent('B')], 'no_stream');
    const before = await first.readStream(stream);
    await first.close();

    const reopened = SqliteEventStore.open(file);
    expect(await reopened.readStream(stream)).toEqual(before);
    const next = await reopened.append(stream, [anEvent('C')], 1);
    expect(next).toEqual({ nextRevision: 2, globalPosition: 3 });
    await reopened.close();
  });

  it('uses WAL, so another process can read while it writes', async () => {
    const file = tempFile();
    const store = SqliteEventStore.open(file);
    const other = new Database(file, { readonly: true });
    expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
    await store.append(aStreamId(), [anEvent()], 'no_stream');
    expect(other.prepare('SELECT COUNT(*) FROM events').pluck().get()).toBe(1);
    other.close();
    await store.close();
  });

  it('commits an append still waiting for its batch when closed', async () => {
    const file = tempFile();
    const stream = aStreamId();
    const store = SqliteEventStore.open(file);
    const pending = store.append(stream, [anEvent()], 'no_stream');
    await store.close();
    await expect(pending).resolves.toEqual({ nextRevision: 0, globalPosition: 1 });
    const reopened = SqliteEventStore.open(file);
    expect(await reopened.readStream(stream)).toHaveLength(1);
    await reopened.close();
  });

  it('lets a second store on the same file see appends through polling', async () => {
    const file = tempFile();
    const writer = SqliteEventStore.open(file);
    const reader = SqliteEventStore.open(file);
    const seen: RecordedEvent[] = [];
    const subscription = reader.subscribe(0, async (e) => {
      seen.push(e);
    });
    const stream = aStreamId();
    await writer.append(stream, [anEvent('A')], 'no_stream');
    await writer.append(stream, [anEvent('B')], 0);
    await waitFor(() => seen.length === 2, 3000);
    expect(seen.map((e) => e.type)).toEqual(['A', 'B']);
    await subscription.close();
    await Promise.all([reader.close(), writer.close()]);
  });

  it('isolates appends of one batch: a conflict fails alone', async () => {
    const store = SqliteEventStore.open(tempFile());
    const taken = aStreamId();
    await store.append(taken, [anEvent()], 'no_stream');
    const streams = Array.from({ length: 10 }, () => aStreamId());
    const results = await Promise.allSettled([
      ...streams.map((s) => store.append(s, [anEvent(), anEvent()], 'no_stream')),
      store.append(taken, [anEvent()], 'no_stream'),
    ]);
    expect(results.slice(0, 10).every((r) => r.status === 'fulfilled')).toBe(true);
    const last = results[10];
    expect(last.status === 'rejected' && last.reason instanceof WrongExpectedRevisionError).toBe(true);
    expect((await store.readAll(0, 100)).length).toBe(21);
    await store.close();
  });

  it('accepts event ids that are not UUIDs', async () => {
    const store = SqliteEventStore.open(tempFile());
    const event = anEvent();
    event.metadata.eventId = 'order-abc:confirm:1';
    await store.append('order-abc', [event], 'no_stream');
    expect(await store.append('order-abc', [event], 'no_stream')).toEqual({
      nextRevision: 0,
      globalPosition: 1,
    });
    await store.close();
  });
});

describe('SqliteEventStore: what it just wrote', () => {
  const nested = () =>
    anEvent('PaymentApproved', {
      amount: 9900,
      methodDetail: { method: '카드', card: { issuer: '신한', installments: 0 } },
      tags: ['a', 'b'],
      note: null,
    });

  it('hands followers the same events a fresh read of the table gives', async () => {
    const file = tempFile();
    const store = SqliteEventStore.open(file);
    await Promise.all([
      store.append(aStreamId(), [nested(), anEvent('B')], 'no_stream'),
      store.append(aStreamId(), [nested()], 'no_stream'),
    ]);
    const fromMemory = await store.readAll(0, 10);
    const fresh = SqliteEventStore.open(file);
    const fromTable = await fresh.readAll(0, 10);
    expect(fromMemory).toHaveLength(3);
    expect(fromMemory.map((e) => ({ ...e }))).toStrictEqual(fromTable.map((e) => ({ ...e })));
    await Promise.all([store.close(), fresh.close()]);
  });

  it('freezes them, so a follower cannot change the state that produced them', async () => {
    const store = SqliteEventStore.open(tempFile());
    const event = nested();
    await store.append(aStreamId(), [event], 'no_stream');
    const [read] = await store.readAll(0, 1);
    expect(() => {
      (read.data.methodDetail as { method: string }).method = 'changed';
    }).toThrow(TypeError);
    expect(Object.isFrozen(read.metadata.actor)).toBe(true);
    await store.close();
  });

  it('fills a page from the table past an event another process wrote in between', async () => {
    const file = tempFile();
    const mine = SqliteEventStore.open(file);
    const other = SqliteEventStore.open(file);
    await mine.append(aStreamId(), [anEvent('Mine1')], 'no_stream');
    await other.append(aStreamId(), [anEvent('Theirs')], 'no_stream');
    await mine.append(aStreamId(), [anEvent('Mine2'), anEvent('Mine3')], 'no_stream');
    const page = await mine.readAll(0, 10);
    expect(page.map((e) => [e.globalPosition, e.type])).toEqual([
      [1, 'Mine1'],
      [2, 'Theirs'],
      [3, 'Mine2'],
      [4, 'Mine3'],
    ]);
    expect((await mine.readAll(0, 2)).map((e) => e.type)).toEqual(['Mine1', 'Theirs']);
    expect((await mine.readAll(2, 1)).map((e) => e.type)).toEqual(['Mine2']);
    await Promise.all([mine.close(), other.close()]);
  });

  it('keeps only the appends that committed: a conflicting one is never handed out', async () => {
    const store = SqliteEventStore.open(tempFile());
    const stream = aStreamId();
    await store.append(stream, [anEvent('First')], 'no_stream');
    await Promise.allSettled([
      store.append(stream, [anEvent('Loser')], 'no_stream'),
      store.append(aStreamId(), [anEvent('Other')], 'no_stream'),
    ]);
    expect((await store.readAll(0, 10)).map((e) => e.type)).toEqual(['First', 'Other']);
    await store.close();
  });
});

describe('SqliteEventStore: the writer thread', () => {
  it('commits the appends of one event-loop turn together, and those queued behind a batch as the next', async () => {
    const store = SqliteEventStore.open(tempFile());
    const first = Array.from({ length: 50 }, () => store.append(aStreamId(), [anEvent()], 'no_stream'));
    // Next turn: the first batch is on its way, so these wait for it and then go as one.
    await new Promise((resolve) => setImmediate(resolve));
    const second = Array.from({ length: 30 }, () => store.append(aStreamId(), [anEvent()], 'no_stream'));
    const results = await Promise.all([...first, ...second]);
    expect(store.commits).toEqual({ batches: 2, appends: 80 });
    expect(new Set(results.map((r) => r.globalPosition)).size).toBe(80);
    expect(await store.headPosition()).toBe(80);
    await store.close();
  });

  it('commits each append alone without group commit', async () => {
    const store = SqliteEventStore.open(tempFile(), { groupCommit: false });
    await Promise.all(Array.from({ length: 5 }, () => store.append(aStreamId(), [anEvent()], 'no_stream')));
    expect(store.commits).toEqual({ batches: 5, appends: 5 });
    await store.close();
  });

  it('fails every append of a batch whose commit fails, and writes none of them', async () => {
    const file = tempFile();
    const store = SqliteEventStore.open(file, { busyTimeoutMs: 50 });
    await store.append(aStreamId(), [anEvent('Before')], 'no_stream');
    const locker = new Database(file);
    locker.exec('BEGIN IMMEDIATE'); // another process holds the write lock past the busy timeout
    const results = await Promise.allSettled([
      store.append(aStreamId(), [anEvent('Lost1')], 'no_stream'),
      store.append(aStreamId(), [anEvent('Lost2')], 'no_stream'),
    ]);
    locker.exec('ROLLBACK');
    locker.close();
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect(String((result as PromiseRejectedResult).reason)).toMatch(/commit failed: database is locked/);
    }
    // The writer carries on once the lock is free.
    await store.append(aStreamId(), [anEvent('After')], 'no_stream');
    expect((await store.readAll(0, 10)).map((e) => e.type)).toEqual(['Before', 'After']);
    await store.close();
  });

  it('refuses appends once closed, and keeps what it acknowledged', async () => {
    const file = tempFile();
    const store = SqliteEventStore.open(file);
    const stream = aStreamId();
    await store.append(stream, [anEvent()], 'no_stream');
    await store.close();
    await expect(store.append(stream, [anEvent()], 0)).rejects.toThrow('event store is closed');
    const reopened = SqliteEventStore.open(file);
    expect(await reopened.readStream(stream)).toHaveLength(1);
    await reopened.close();
  });

  it('reports a writer thread that died as unhealthy, and refuses appends instead of hanging', async () => {
    const store = SqliteEventStore.open(tempFile());
    await store.append(aStreamId(), [anEvent()], 'no_stream');
    // Reach into the store to kill its writer thread, as a crash of that thread would.
    await (store as unknown as { writer: { worker: Worker } }).writer.worker.terminate();
    await expect(store.append(aStreamId(), [anEvent()], 'no_stream')).rejects.toThrow(/writer has stopped/);
    expect(await store.status()).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/writer has stopped/),
    });
    expect(await store.headPosition()).toBe(1); // reads still work
    await store.close();
  });
});

describe('SqliteEventStore format 2: small rows, read back as written', () => {
  /** An event hashed as the application hashes it (event-hash.ts). */
  function hashed(streamId: string, revision: number, prevHash: string, data: Record<string, unknown>) {
    const event = anEvent('PaymentApproved', data);
    const { hash: _unset, ...metadata } = { ...event.metadata, prevHash };
    const hash = eventHash({ streamId, revision, type: event.type, data, metadata });
    return { ...event, metadata: { ...metadata, hash } };
  }

  it('finds exactly the events whose stored content no longer gives their hash, over the stored bytes', async () => {
    const file = tempFile();
    const store = SqliteEventStore.open(file);
    const stream = aStreamId();
    const first = hashed(stream, 0, '', { orderId: 'o-1', amount: 9_900, methodDetail: { method: '카드' } });
    const second = hashed(stream, 1, first.metadata.hash, {
      refunds: [1, 'two', null],
      note: 'a "quoted" \u0001 text',
    });
    const system = hashed(stream, 2, second.metadata.hash, { at: '2025-01-31T03:00:00.000Z' });
    system.metadata = { ...system.metadata, actor: { kind: 'system', process: 'reconciler' } };
    const { hash: _h, ...systemMeta } = system.metadata;
    system.metadata.hash = eventHash({
      streamId: stream,
      revision: 2,
      type: system.type,
      data: system.data,
      metadata: systemMeta,
    });
    await store.append(stream, [first, second, system], 'no_stream');
    const head = await store.headPosition();
    expect(await store.findHashMismatches(head)).toEqual([]);
    // What the application reads back hashes the same, key order aside.
    for (const event of await store.readStream(stream)) {
      const { hash, ...rest } = event.metadata;
      expect(
        eventHash({
          streamId: stream,
          revision: event.revision,
          type: event.type,
          data: event.data,
          metadata: rest,
        }),
      ).toBe(hash);
    }

    const raw = new Database(file);
    raw
      .prepare('UPDATE events SET data = replace(data, ?, ?) WHERE global_position = ?')
      .run('9900', '9901', head - 2);
    raw.close();
    expect(await store.findHashMismatches(head)).toEqual([
      { streamId: stream, revision: 0, globalPosition: head - 2, type: 'PaymentApproved' },
    ]);
    await store.close();
  });

  it('keeps an event under 200 bytes that took 500 as JSON text, and refuses a file of the old format', async () => {
    const file = tempFile();
    const store = SqliteEventStore.open(file);
    const stream = aStreamId();
    let prev = '';
    const events = Array.from({ length: 200 }, (_, i) => {
      const event = hashed(stream, i, prev, {
        orderId: `o-${i}`,
        amount: 9_900,
        approvedAt: '2025-01-31T03:00:00.000Z',
      });
      prev = event.metadata.hash;
      return event;
    });
    await store.append(stream, events, 'no_stream');
    await store.close();
    const raw = new Database(file);
    const bytes = raw
      .prepare(
        `SELECT AVG(length(event_id) + length(data) + length(correlation) + length(prev_hash) + length(hash) + 8) FROM events`,
      )
      .pluck()
      .get() as number;
    raw.close();
    expect(bytes).toBeLessThan(200);
    expect(JSON.stringify(events[1]).length).toBeGreaterThan(500);

    const old = tempFile();
    fs.mkdirSync(path.dirname(old), { recursive: true });
    const v1 = new Database(old);
    v1.exec('CREATE TABLE events (global_position INTEGER PRIMARY KEY, stream_id TEXT)');
    v1.close();
    expect(() => SqliteEventStore.open(old)).toThrow(/event store format 1, this version reads format 2/);
  });
});
