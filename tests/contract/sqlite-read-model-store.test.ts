import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Doc, ReadModelWrite } from '../../src/application/ports/read-model-store.port';
import { SqliteReadModelStore } from '../../src/infrastructure/readmodels/sqlite/sqlite-read-model-store';
import { describeReadModelStoreContract } from './read-model-store.contract';

const dirs: string[] = [];
function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-rm-'));
  dirs.push(dir);
  return path.join(dir, 'nested', 'read-models.db');
}
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describeReadModelStoreContract('SQLite', async () => SqliteReadModelStore.open(tempFile()));
// The same behaviour when every read goes to the file.
describeReadModelStoreContract('SQLite without a document cache', async () =>
  SqliteReadModelStore.open(tempFile(), { cacheSize: 0 }),
);

// Every read to the file, and the ids of a collection kept only while it holds at most three.
describeReadModelStoreContract('SQLite keeping the ids of tiny collections only', async () =>
  SqliteReadModelStore.open(tempFile(), { cacheSize: 0, knownIdsLimit: 3 }),
);

/**
 * The message a read fails with. Not `rejects.toThrow`: the SqliteError comes from the realm of
 * the test file that loaded the native addon first, so in a jest worker that ran another SQLite
 * suite before this one it is no `instanceof Error` here, and toThrow says nothing was thrown.
 */
async function failureOf(read: Promise<unknown>): Promise<string> {
  try {
    await read;
    return 'no failure';
  } catch (error) {
    return (error as { message?: string }).message ?? String(error);
  }
}

/** Drops the collection's table behind the store's back: any statement on it fails from here on. */
function dropBehindTheStoresBack(file: string, collection: string): void {
  const other = new Database(file);
  other.exec(`DROP TABLE rm_${collection}`);
  other.close();
}

/**
 * Commits `write` to collection c (position 2) so that it is accepted as a snapshot begins and
 * lands in the file inside it, after the snapshot's view was taken (its window waits for a lock
 * another connection holds until then); answers what the snapshot then reads of `readId`.
 * The store must write at once (flushDelayMs 0).
 */
async function landingInsideASnapshot(
  store: SqliteReadModelStore,
  file: string,
  write: { id: string; doc: Doc },
  readId: string,
): Promise<Doc | null> {
  const locker = new Database(file);
  locker.exec('BEGIN IMMEDIATE');
  const committing = store.commit([{ collection: 'c', ...write }], { name: 'n', position: 2 });
  const read = store.snapshot(async () => {
    locker.exec('COMMIT');
    locker.close();
    await store.flush();
    return store.get('c', readId);
  });
  await committing;
  return read;
}

describe('SqliteReadModelStore specifics', () => {
  it('keeps documents and checkpoints in the file across a reopen', async () => {
    const file = tempFile();
    const first = SqliteReadModelStore.open(file);
    await first.commit(
      [{ collection: 'orders', id: 'o1', doc: { userId: 'u1', at: 1 } }],
      [
        { name: 'orders', position: 5 },
        { name: 'pending', position: 4 },
      ],
    );
    await first.close();

    const second = SqliteReadModelStore.open(file);
    expect(await second.get('orders', 'o1')).toEqual({ userId: 'u1', at: 1 });
    expect(await second.checkpoint('orders')).toBe(5);
    expect(await second.checkpoint('pending')).toBe(4);
    const page = await second.query('orders', {
      where: { userId: 'u1' },
      orderBy: 'at',
      direction: 'desc',
      limit: 5,
    });
    expect(page.items).toEqual([{ userId: 'u1', at: 1 }]);
    await second.close();
  });

  it('refuses a non-JSON value such as a Date, and applies none of that commit', async () => {
    const store = SqliteReadModelStore.open(tempFile());
    const writes: ReadModelWrite[] = [
      { collection: 'c', id: '0', doc: { ok: true } },
      { collection: 'c', id: '1', doc: { approvedAt: new Date('2025-01-31T00:00:00Z') } },
    ];
    await expect(store.commit(writes, { name: 'n', position: 1 })).rejects.toThrow(TypeError);
    expect(await store.get('c', '0')).toBeNull();
    expect(await store.checkpoint('n')).toBe(0);
    await store.close();
  });

  it('refuses a checkpoint position that is not a whole number, and applies none of that commit', async () => {
    const store = SqliteReadModelStore.open(tempFile());
    await store.commit([{ collection: 'c', id: 'a', doc: { v: 1 } }], { name: 'n', position: 1 });
    await expect(
      store.commit(
        [{ collection: 'c', id: 'a', doc: { v: 2 } }],
        [
          { name: 'n', position: 2 },
          { name: 'm', position: Number.NaN },
        ],
      ),
    ).rejects.toThrow('position');
    expect(await store.get('c', 'a')).toEqual({ v: 1 });
    expect(await store.checkpoint('n')).toBe(1);
    await store.close();
  });

  it('writes accepted commits together later; a failed write keeps them served and whole, then lands', async () => {
    const file = tempFile();
    const store = SqliteReadModelStore.open(file, { busyTimeoutMs: 0, flushDelayMs: 60_000 });
    await store.commit([{ collection: 'c', id: 'a', doc: { v: 1 } }], { name: 'n', position: 1 });
    await store.flush();
    await store.commit([{ collection: 'c', id: 'a', doc: { v: 2 } }], { name: 'n', position: 2 });
    await store.commit([{ collection: 'd', id: 'b', doc: { v: 3 } }], [{ name: 'm', position: 2 }]);
    const fileNow = () => {
      const db = new Database(file, { readonly: true });
      try {
        return {
          a: db.prepare('SELECT doc FROM rm_c WHERE id = ?').pluck().get('a'),
          d: db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'rm_d'").pluck().get(),
          n: db.prepare("SELECT position FROM checkpoints WHERE name = 'n'").pluck().get(),
        };
      } finally {
        db.close();
      }
    };
    // Accepted, not yet written: served from memory, the file still at the first commit.
    expect(await store.get('c', 'a')).toEqual({ v: 2 });
    expect(await store.checkpoint('n')).toBe(2);
    expect(fileNow()).toEqual({ a: '{"v":1}', d: 0, n: 1 });

    // Another connection holds the write lock: the write fails inside its transaction.
    const locker = new Database(file);
    locker.exec('BEGIN IMMEDIATE');
    await expect(store.flush()).rejects.toThrow();
    expect((await store.status()).ok).toBe(false);
    expect(await store.get('d', 'b')).toEqual({ v: 3 });
    locker.exec('ROLLBACK');
    locker.close();
    expect(fileNow()).toEqual({ a: '{"v":1}', d: 0, n: 1 });

    // A query writes what waits first, so the file's index answers it.
    const page = await store.query('d', { where: {}, orderBy: 'v', direction: 'asc', limit: 5 });
    expect(page.items).toEqual([{ v: 3 }]);
    expect(fileNow()).toEqual({ a: '{"v":2}', d: 1, n: 2 });
    expect((await store.status()).ok).toBe(true);
    await store.close();
  });

  it('a query of a collection with nothing waiting writes nothing first, and answers while the file refuses writes', async () => {
    const file = tempFile();
    const store = SqliteReadModelStore.open(file, { busyTimeoutMs: 0, flushDelayMs: 60_000 });
    await store.commit([{ collection: 'c', id: 'a', doc: { v: 1 } }], { name: 'n', position: 1 });
    await store.flush();
    await store.commit([{ collection: 'd', id: 'b', doc: { v: 3 } }], { name: 'n', position: 2 });
    const fileHoldsD = () => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'rm_d'").pluck().get() === 1;
      } finally {
        db.close();
      }
    };
    const byV = { where: {}, orderBy: 'v', direction: 'asc', limit: 5 } as const;
    // Reads of `c` leave `d`'s commit gathering with the next ones.
    expect((await store.query('c', byV)).items).toEqual([{ v: 1 }]);
    expect(await store.count('c')).toBe(1);
    expect(await store.all('c')).toEqual([{ v: 1 }]);
    expect(fileHoldsD()).toBe(false);

    // The file refuses writes: `c` still answers, and `d`'s documents are still served by id.
    const locker = new Database(file);
    locker.exec('BEGIN IMMEDIATE');
    try {
      expect((await store.query('c', byV)).items).toEqual([{ v: 1 }]);
      expect(await store.count('c')).toBe(1);
      expect(await store.get('d', 'b')).toEqual({ v: 3 });
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
    }
    // Read-your-writes: the query of `d` writes what waits first.
    expect((await store.query('d', byV)).items).toEqual([{ v: 3 }]);
    expect(fileHoldsD()).toBe(true);
    await store.close();
  });

  it('a snapshot reads one moment of the file while another connection commits and drops; it refuses writes', async () => {
    const file = tempFile();
    const writer = SqliteReadModelStore.open(file, { flushDelayMs: 0 });
    await writer.commit([{ collection: 'c', id: 'a', doc: { v: 1 } }], { name: 'n', position: 1 });
    const reader = SqliteReadModelStore.open(file);
    const seen = await reader.snapshot(async () => {
      const first = { a: await reader.get('c', 'a'), n: await reader.checkpoint('n') };
      await writer.commit([{ collection: 'c', id: 'a', doc: { v: 2 } }], { name: 'n', position: 2 });
      await writer.drop(['c'], []);
      await expect(reader.commit([], { name: 'n', position: 3 })).rejects.toThrow('inside a snapshot');
      return { first, all: await reader.all('c'), n: await reader.checkpoint('n') };
    });
    expect(seen).toEqual({ first: { a: { v: 1 }, n: 1 }, all: [{ v: 1 }], n: 1 });
    // The next snapshot reads the file as it is now: the table is gone.
    expect(await reader.snapshot(() => reader.all('c'))).toEqual([]);
    await reader.close();
    await writer.close();
  });

  it('writes a new collection again after a failed window that had made its table', async () => {
    const file = tempFile();
    const store = SqliteReadModelStore.open(file, { flushDelayMs: 60_000 });
    await store.commit([{ collection: 'c', id: 'a', doc: { v: 1 } }], { name: 'n', position: 1 });
    await store.flush();
    const other = new Database(file);
    // The write fails after the window's new table was made (a full disk does the same).
    other.exec("CREATE TRIGGER boom BEFORE UPDATE ON rm_c BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    await store.commit(
      [
        { collection: 'd', id: 'b', doc: { v: 1 } },
        { collection: 'c', id: 'a', doc: { v: 2 } },
      ],
      { name: 'n', position: 2 },
    );
    await expect(store.flush()).rejects.toThrow('disk full');
    other.exec('DROP TRIGGER boom');
    other.close();
    await store.flush();
    expect((await store.status()).ok).toBe(true);
    await store.close();
    const reopened = SqliteReadModelStore.open(file);
    expect(await reopened.get('d', 'b')).toEqual({ v: 1 });
    expect(await reopened.checkpoint('n')).toBe(2);
    await reopened.close();
  });

  it('never fails a commit it has accepted: a failed write is retried, not folded again by the caller', async () => {
    const file = tempFile();
    const store = SqliteReadModelStore.open(file, { flushDelayMs: 0 });
    await store.commit([{ collection: 'c', id: 'a', doc: { v: 1 } }], { name: 'n', position: 1 });
    const other = new Database(file);
    other.exec("CREATE TRIGGER boom BEFORE UPDATE ON rm_c BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    // Accepted (reads and the checkpoint show it), so it must resolve: a rejection would make the
    // projector apply the same events again on top of it (a refund listed twice).
    await expect(
      store.commit([{ collection: 'c', id: 'a', doc: { v: 2 } }], { name: 'n', position: 2 }),
    ).resolves.toBeUndefined();
    expect(await store.get('c', 'a')).toEqual({ v: 2 });
    expect((await store.status()).ok).toBe(false);
    other.exec('DROP TRIGGER boom');
    other.close();
    await store.flush();
    expect(await store.checkpoint('n')).toBe(2);
    await store.close();
  });

  it('writes nothing for a document made and dropped within one window, and still drops one the file holds', async () => {
    const file = tempFile();
    const store = SqliteReadModelStore.open(file, { flushDelayMs: 60_000 });
    await store.commit([{ collection: 'kept', id: 'k', doc: { v: 1 } }], { name: 'n', position: 1 });
    await store.flush();
    expect(await store.get('pending', 'p')).toBeNull(); // the projector reads before it writes
    await store.commit([{ collection: 'pending', id: 'p', doc: { v: 1 } }], { name: 'n', position: 2 });
    await store.commit([{ collection: 'pending', id: 'p', doc: { v: 2 } }], { name: 'n', position: 3 });
    await store.commit(
      [
        { collection: 'pending', id: 'p', doc: null },
        { collection: 'kept', id: 'k', doc: null },
      ],
      { name: 'n', position: 4 },
    );
    await store.flush();
    expect(await store.get('pending', 'p')).toBeNull();
    expect(await store.get('kept', 'k')).toBeNull();
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      const tables = db
        .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table'")
        .pluck()
        .all();
      expect(tables).not.toContain('rm_pending');
      expect(db.prepare('SELECT count(*) FROM rm_kept').pluck().get()).toBe(0);
      expect(db.prepare("SELECT position FROM checkpoints WHERE name = 'n'").pluck().get()).toBe(4);
    } finally {
      db.close();
    }
  });

  it('serves the window the writer thread is writing, and keeps newer commits over it when it fails', async () => {
    const file = tempFile();
    const store = SqliteReadModelStore.open(file, { busyTimeoutMs: 0, flushDelayMs: 60_000 });
    await store.commit([{ collection: 'c', id: 'a', doc: { v: 0 } }], { name: 'n', position: 1 });
    await store.flush();
    const locker = new Database(file);
    locker.exec('BEGIN IMMEDIATE');
    await store.commit(
      [
        { collection: 'c', id: 'a', doc: { v: 1 } },
        { collection: 'c', id: 'b', doc: { v: 1 } },
      ],
      { name: 'n', position: 2 },
    );
    const inFlight = store.flush(); // sent to the writer thread, which finds the file locked
    // Accepted while that window is in flight: newer than it.
    await store.commit([{ collection: 'c', id: 'a', doc: { v: 2 } }], { name: 'n', position: 3 });
    expect(await store.get('c', 'b')).toEqual({ v: 1 });
    await expect(inFlight).rejects.toThrow();
    expect(await store.get('c', 'a')).toEqual({ v: 2 });
    expect(await store.get('c', 'b')).toEqual({ v: 1 });
    expect(await store.checkpoint('n')).toBe(3);
    locker.exec('ROLLBACK');
    locker.close();
    await store.close();

    const reopened = SqliteReadModelStore.open(file);
    expect(await reopened.get('c', 'a')).toEqual({ v: 2 });
    expect(await reopened.get('c', 'b')).toEqual({ v: 1 });
    expect(await reopened.checkpoint('n')).toBe(3);
    await reopened.close();
  });

  it('writes a burst far larger than one window (a rebuild) whole, window after window', async () => {
    const file = tempFile();
    const store = SqliteReadModelStore.open(file, { flushDelayMs: 60_000 });
    const n = 10_000;
    for (let i = 0; i < n; i++) {
      await store.commit([{ collection: 'c', id: `d${i}`, doc: { i } }], { name: 'n', position: i + 1 });
    }
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM rm_c').pluck().get()).toBe(n);
      expect(db.prepare("SELECT position FROM checkpoints WHERE name = 'n'").pluck().get()).toBe(n);
    } finally {
      db.close();
    }
  });

  it('drops a collection only with no window in flight: a burst accepted meanwhile never brings it back', async () => {
    const file = tempFile();
    const store = SqliteReadModelStore.open(file, { flushDelayMs: 60_000 });
    await store.commit([{ collection: 'c', id: 'a', doc: { v: 1 } }], { name: 'n', position: 1 });
    await store.commit([{ collection: 'kept', id: 'k', doc: { v: 1 } }], { name: 'm', position: 1 });
    const inFlight = store.flush(); // a window on its way to the writer thread
    const dropped = store.drop(['c'], ['n']);
    // A rebuild's burst to the same collection, accepted while the drop waits: a full window.
    const burst = Array.from({ length: 5_000 }, (_, i) =>
      store.commit([{ collection: 'c', id: `b${i}`, doc: { i } }], { name: 'n', position: i + 2 }),
    );
    await Promise.all([inFlight, dropped, ...burst]);
    // What was accepted before the drop went with the collection; later commits start it afresh.
    await store.commit([{ collection: 'c', id: 'after', doc: { v: 9 } }], { name: 'n', position: 1 });
    await store.close();

    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT id FROM rm_c').pluck().all()).toEqual(['after']);
      expect(db.prepare("SELECT position FROM checkpoints WHERE name = 'n'").pluck().get()).toBe(1);
      expect(db.prepare("SELECT position FROM checkpoints WHERE name = 'm'").pluck().get()).toBe(1);
    } finally {
      db.close();
    }
  });

  it('hands out the same frozen object until the document changes', async () => {
    const store = SqliteReadModelStore.open(tempFile());
    await store.commit([{ collection: 'c', id: 'a', doc: { v: 1, userId: 'u', at: 1 } }], {
      name: 'n',
      position: 1,
    });
    const first = await store.get('c', 'a');
    expect(Object.isFrozen(first)).toBe(true);
    expect(await store.get('c', 'a')).toBe(first);
    const q = { where: { userId: 'u' }, orderBy: 'at', direction: 'asc' as const, limit: 1 };
    expect((await store.query('c', q)).items[0]).toBe(first);
    await store.commit([{ collection: 'c', id: 'a', doc: { v: 2, userId: 'u', at: 1 } }], {
      name: 'n',
      position: 2,
    });
    expect(await store.get('c', 'a')).not.toBe(first);
    expect(await store.get('c', 'a')).toEqual({ v: 2, userId: 'u', at: 1 });
    await store.close();
  });

  it('answers a read of an id a small collection does not hold without a statement, its ids taken with the waiting writes', async () => {
    const file = tempFile();
    const store = SqliteReadModelStore.open(file, { cacheSize: 0, flushDelayMs: 60_000 });
    await store.commit([{ collection: 'pending', id: 'a', doc: { v: 1 } }], { name: 'n', position: 1 });
    await store.flush();
    await store.commit([{ collection: 'pending', id: 'b', doc: { v: 2 } }], { name: 'n', position: 2 });
    // The first miss takes the collection's ids: 'a' from the file, 'b' from the waiting window.
    expect(await store.get('pending', 'none')).toBeNull();
    await store.flush();
    // Neither cached nor waiting any more: found because its id was taken from the window.
    expect(await store.get('pending', 'b')).toEqual({ v: 2 });
    await store.commit([{ collection: 'pending', id: 'a', doc: null }], { name: 'n', position: 3 });
    await store.flush();

    dropBehindTheStoresBack(file, 'pending');
    // No statement runs for an id the collection does not hold (one would fail now)...
    expect(await store.get('pending', 'a')).toBeNull();
    expect(await store.get('pending', 'other')).toBeNull();
    // ...while one it holds is read from the file.
    expect(await failureOf(store.get('pending', 'b'))).toMatch(/no such table/);
    await store.close();
  });

  it('asks the file for every id of a collection larger than the ids it keeps', async () => {
    const file = tempFile();
    const store = SqliteReadModelStore.open(file, { cacheSize: 0, knownIdsLimit: 2 });
    const docs = ['a', 'b', 'c'].map((id) => ({ collection: 'large', id, doc: { id } }));
    await store.commit(docs, { name: 'n', position: 1 });
    await store.flush();
    expect(await store.get('large', 'none')).toBeNull();
    expect(await store.get('large', 'c')).toEqual({ id: 'c' });

    dropBehindTheStoresBack(file, 'large');
    expect(await failureOf(store.get('large', 'none'))).toMatch(/no such table/);
    await store.close();
  });

  it('takes the ids of a window in flight with the collection, and stops keeping them once it grows past the limit', async () => {
    const file = tempFile();
    const store = SqliteReadModelStore.open(file, { cacheSize: 0, flushDelayMs: 60_000, knownIdsLimit: 2 });
    await store.commit([{ collection: 'c', id: 'a', doc: { v: 1 } }], { name: 'n', position: 1 });
    await store.flush();
    await store.commit([{ collection: 'c', id: 'b', doc: { v: 2 } }], { name: 'n', position: 2 });
    // The window with 'b' goes in flight, and stays there while another connection holds the lock.
    const locker = new Database(file);
    locker.exec('BEGIN IMMEDIATE');
    const writing = store.flush();
    expect(await store.get('c', 'none')).toBeNull();
    locker.exec('COMMIT');
    locker.close();
    await writing;
    expect(await store.get('c', 'b')).toEqual({ v: 2 });

    // A third document: past the limit, the collection's ids are no longer kept.
    await store.commit([{ collection: 'c', id: 'd', doc: { v: 3 } }], { name: 'n', position: 3 });
    await store.flush();
    dropBehindTheStoresBack(file, 'c');
    expect(await failureOf(store.get('c', 'none'))).toMatch(/no such table/);
    await store.close();
  });

  it('keeps no ids inside a snapshot: a window that lands meanwhile is found after it', async () => {
    const file = tempFile();
    const store = SqliteReadModelStore.open(file, { cacheSize: 0, flushDelayMs: 0 });
    await store.commit([{ collection: 'c', id: 'a', doc: { v: 1 } }], { name: 'n', position: 1 });
    expect(await landingInsideASnapshot(store, file, { id: 'x', doc: { v: 2 } }, 'none')).toBeNull();
    expect(await store.get('c', 'x')).toEqual({ v: 2 });
    await store.close();
  });

  it('trusts nothing a snapshot read once it ends: a document written meanwhile, then deleted, is deleted from the file', async () => {
    const file = tempFile();
    const store = SqliteReadModelStore.open(file, { cacheSize: 0, flushDelayMs: 0 });
    await store.commit([{ collection: 'c', id: 'a', doc: { v: 1 } }], { name: 'n', position: 1 });
    // Read inside, 'x' is not in the snapshot's view of the file.
    expect(await landingInsideASnapshot(store, file, { id: 'x', doc: { v: 2 } }, 'x')).toBeNull();
    await store.commit([{ collection: 'c', id: 'x', doc: null }], { name: 'n', position: 3 });
    await store.close();

    const reopened = SqliteReadModelStore.open(file);
    expect(await reopened.get('c', 'x')).toBeNull();
    expect(await reopened.count('c')).toBe(1);
    await reopened.close();
  });

  it('keeps no document read inside a snapshot once it ends: one rewritten meanwhile reads new', async () => {
    const file = tempFile();
    const store = SqliteReadModelStore.open(file, { flushDelayMs: 0 });
    await store.commit([{ collection: 'c', id: 'a', doc: { v: 1 } }], { name: 'n', position: 1 });
    expect(await landingInsideASnapshot(store, file, { id: 'a', doc: { v: 2 } }, 'a')).toEqual({ v: 1 });
    expect(await store.get('c', 'a')).toEqual({ v: 2 });
    await store.close();
  });

  it('keeps no ids in a store that only reads a file another process writes', async () => {
    const file = tempFile();
    const writer = SqliteReadModelStore.open(file);
    await writer.commit([{ collection: 'c', id: 'a', doc: { v: 1 } }], { name: 'n', position: 1 });
    await writer.flush();
    const reader = SqliteReadModelStore.open(file, { cacheSize: 0 });
    expect(await reader.get('c', 'none')).toBeNull();
    await writer.commit([{ collection: 'c', id: 'y', doc: { v: 2 } }], { name: 'n', position: 2 });
    await writer.flush();
    expect(await reader.get('c', 'y')).toEqual({ v: 2 });
    expect(await reader.snapshot(() => reader.get('c', 'y'))).toEqual({ v: 2 });
    await Promise.all([reader.close(), writer.close()]);
  });

  it('reads a collection whose table was made behind its back before its first window', async () => {
    const file = tempFile();
    const store = SqliteReadModelStore.open(file, { cacheSize: 0 });
    // As a writer thread that committed a window making the table and died before replying leaves it.
    const other = new Database(file);
    other.exec('CREATE TABLE rm_c (id TEXT PRIMARY KEY, doc TEXT NOT NULL)');
    other.close();
    await store.commit([{ collection: 'c', id: 'a', doc: { v: 1 } }], { name: 'n', position: 1 });
    await store.flush();
    expect(await store.get('c', 'a')).toEqual({ v: 1 });
    expect(await store.count('c')).toBe(1);
    await store.close();
  });

  it('refuses a limit of kept ids that is not a whole number', () => {
    expect(() => SqliteReadModelStore.open(tempFile(), { knownIdsLimit: 2.5 })).toThrow('knownIdsLimit');
    expect(() => SqliteReadModelStore.open(tempFile(), { knownIdsLimit: -1 })).toThrow('knownIdsLimit');
  });

  it('makes one covering index per query shape, used by the query', async () => {
    const file = tempFile();
    const store = SqliteReadModelStore.open(file);
    await store.commit([{ collection: 'orders', id: 'o', doc: { userId: 'u', paid: true, at: 1 } }], {
      name: 'n',
      position: 1,
    });
    await store.query('orders', {
      where: { userId: 'u', paid: true },
      orderBy: 'at',
      direction: 'desc',
      limit: 5,
    });
    await store.query('orders', {
      where: { paid: true, userId: 'u' },
      orderBy: 'at',
      direction: 'asc',
      limit: 5,
    });
    await store.close();
    const db = new Database(file, { readonly: true });
    const indexes = db
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'rm_orders' AND sql IS NOT NULL",
      )
      .all();
    expect(indexes.map((i) => i.name)).toEqual(['ix:rm_orders:paid,userId:at']);
    db.close();
  });

  it('refuses field names it cannot put in a JSON path', async () => {
    const store = SqliteReadModelStore.open(tempFile());
    await store.commit([{ collection: 'c', id: 'a', doc: { v: 1 } }], { name: 'n', position: 1 });
    const q = { where: {}, orderBy: 'v', direction: 'asc' as const, limit: 1 };
    await expect(store.query('c', { ...q, orderBy: "v') --" })).rejects.toThrow('field name');
    await expect(store.query('c', { ...q, where: { 'a.b': 1 } })).rejects.toThrow('field name');
    await store.close();
  });
});
