import { MongoClient } from 'mongodb';
import { decodeCursor, encodeCursor } from '../../src/infrastructure/readmodels/cursor';
import {
  afterCursor,
  assertPlainField,
  indexKeyFor,
  toFilter,
  toSort,
} from '../../src/infrastructure/readmodels/mongodb/mongodb-read-model-query';
import { MongoDbReadModelStore } from '../../src/infrastructure/readmodels/mongodb/mongodb-read-model-store';
import { toBulkOperations } from '../../src/infrastructure/readmodels/mongodb/mongodb-read-model-writes';
import { describeReadModelStoreContract } from './read-model-store.contract';

const url = process.env.MONGODB_URL;
// Needs a replica set (transactions), e.g. mongodb://localhost:27017/?replicaSet=rs0&directConnection=true
const describeIfMongo = url ? describe : describe.skip;

describeIfMongo('MongoDbReadModelStore on MONGODB_URL', () => {
  const dbName = `ledgerline_test_rm_${process.pid}`;
  let client: MongoClient;
  const raw = (name: string) => client.db(dbName).collection<{ _id: string }>(name);

  beforeAll(async () => {
    client = await new MongoClient(url!).connect();
  });

  afterAll(async () => {
    await client.db(dbName).dropDatabase();
    await client.close();
  });

  // The store does not own the shared client, so the contract's close() leaves it open.
  describeReadModelStoreContract('MongoDB', async () => new MongoDbReadModelStore(client, dbName));

  describe('MongoDB specifics', () => {
    let store: MongoDbReadModelStore;
    beforeEach(async () => {
      store = new MongoDbReadModelStore(client, dbName);
      await store.clear();
    });

    it('stores documents as {_id, ...doc} in an rm_ collection', async () => {
      await store.commit([{ collection: 'payments', id: 'p1', doc: { amount: 9900 } }], {
        name: 'h',
        position: 4,
      });
      expect(await raw('rm_payments').findOne({ _id: 'p1' })).toEqual({
        _id: 'p1',
        amount: 9900,
      });
      expect(await raw('checkpoints').findOne({ _id: 'h' })).toEqual({
        _id: 'h',
        position: 4,
      });
    });

    it('creates the compound index of a query shape', async () => {
      await store.commit([{ collection: 'payments', id: 'p1', doc: { userId: 'u', at: 1 } }], {
        name: 'h',
        position: 1,
      });
      await store.query('payments', { where: { userId: 'u' }, orderBy: 'at', direction: 'desc', limit: 5 });
      const keys = (await client.db(dbName).collection('rm_payments').listIndexes().toArray()).map(
        (i) => i.key,
      );
      expect(keys).toContainEqual({ userId: 1, at: 1, _id: 1 });
    });

    it('rolls a failed commit back entirely, checkpoint included', async () => {
      await store.commit([], { name: 'h', position: 1 });
      const commit = store.commit(
        [
          { collection: 'orders', id: 'o1', doc: { ok: true } },
          // The driver refuses an operator-like replacement, inside the transaction, after the first batch.
          { collection: 'payments', id: 'p1', doc: { $set: { x: 1 } } },
        ],
        { name: 'h', position: 2 },
      );
      await expect(commit).rejects.toThrow();
      expect(await store.get('orders', 'o1')).toBeNull();
      expect(await store.checkpoint('h')).toBe(1);
    });

    it('clear() leaves collections that are not read models alone', async () => {
      await raw('idempotency_keys').insertOne({ _id: 'keep' });
      await store.commit([{ collection: 'payments', id: 'p', doc: {} }], { name: 'h', position: 1 });
      await store.clear();
      const names = (await client.db(dbName).listCollections({}, { nameOnly: true }).toArray()).map(
        (c) => c.name,
      );
      expect(names).toContain('idempotency_keys');
      expect(names.filter((n) => n.startsWith('rm_') || n === 'checkpoints')).toEqual([]);
    });
  });
});

// No server needed from here on.
describe('MongoDbReadModelStore status without a reachable server', () => {
  it('reports not ok with a reason instead of throwing', async () => {
    const client = new MongoClient(
      'mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=200&connectTimeoutMS=200',
    );
    const store = new MongoDbReadModelStore(client, 'unused');
    const status = await store.status();
    expect(status).toMatchObject({ kind: 'mongodb', ok: false });
    expect(status.detail).toEqual(expect.any(String));
    await client.close();
  });
});

describe('MongoDB query translation', () => {
  const query = { where: { userId: 'u1', planId: 2 }, orderBy: 'approvedAt', limit: 10 };

  it('filters by the where fields alone without a cursor', () => {
    expect(toFilter({ ...query, direction: 'asc' }, undefined)).toEqual({ userId: 'u1', planId: 2 });
  });

  it('adds the cursor condition with $and, so a where on the orderBy field survives', () => {
    const after = { value: 'x', id: 'p9' };
    const filter = toFilter({ ...query, where: { approvedAt: 'x' }, direction: 'asc' }, after);
    expect(filter).toEqual({ $and: [{ approvedAt: 'x' }, afterCursor('approvedAt', 'asc', after)] });
  });

  it('continues after (value, id) ascending', () => {
    expect(afterCursor('at', 'asc', { value: 5, id: 'p9' })).toEqual({
      $or: [{ at: { $gt: 5 } }, { at: 5, _id: { $gt: 'p9' } }],
    });
  });

  it('continues after (value, id) descending, then through documents missing the field', () => {
    expect(afterCursor('at', 'desc', { value: 'b', id: 'p9' })).toEqual({
      $or: [{ at: { $lt: 'b' } }, { at: 'b', _id: { $lt: 'p9' } }, { at: null }],
    });
  });

  it('continues after a missing value: every valued document ascending, only missing ones descending', () => {
    expect(afterCursor('at', 'asc', { value: null, id: 'p9' })).toEqual({
      $or: [{ at: { $ne: null } }, { at: null, _id: { $gt: 'p9' } }],
    });
    expect(afterCursor('at', 'desc', { value: null, id: 'p9' })).toEqual({ at: null, _id: { $lt: 'p9' } });
  });

  it('sorts by the orderBy field then _id, both in the query direction', () => {
    expect(toSort({ ...query, direction: 'desc' })).toEqual({ approvedAt: -1, _id: -1 });
    expect(Object.keys(toSort({ ...query, direction: 'asc' }))).toEqual(['approvedAt', '_id']);
  });

  it('indexes equality fields (sorted) first, then the sort field, then _id', () => {
    const key = indexKeyFor(['userId', 'planId'], 'approvedAt');
    expect(Object.entries(key)).toEqual([
      ['planId', 1],
      ['userId', 1],
      ['approvedAt', 1],
      ['_id', 1],
    ]);
  });

  it('refuses field names MongoDB would read as operators or paths', () => {
    expect(() => assertPlainField('$where')).toThrow();
    expect(() => assertPlainField('a.b')).toThrow();
    expect(() =>
      toFilter({ ...query, where: { $where: 'sleep(1)' }, direction: 'asc' }, undefined),
    ).toThrow();
    expect(() => assertPlainField('approvedAt')).not.toThrow();
  });

  it('reads the same cursor the memory store writes', () => {
    expect(decodeCursor(encodeCursor('2025-01-01T00:00:00.000Z', 'ord_1'))).toEqual({
      value: '2025-01-01T00:00:00.000Z',
      id: 'ord_1',
    });
  });
});

describe('MongoDB commit translation', () => {
  it('groups writes per collection, keeping their order, as upserting replaces and deletes', () => {
    const batches = toBulkOperations([
      { collection: 'payments', id: 'p1', doc: { v: 1 } },
      { collection: 'orders', id: 'o1', doc: { v: 2 } },
      { collection: 'payments', id: 'p1', doc: null },
      { collection: 'payments', id: 'p1', doc: { v: 3, _id: 'ignored' } },
    ]);
    expect([...batches.keys()]).toEqual(['payments', 'orders']);
    expect(batches.get('payments')).toEqual([
      { replaceOne: { filter: { _id: 'p1' }, replacement: { v: 1 }, upsert: true } },
      { deleteOne: { filter: { _id: 'p1' } } },
      { replaceOne: { filter: { _id: 'p1' }, replacement: { v: 3 }, upsert: true } },
    ]);
    expect(batches.get('orders')).toEqual([
      { replaceOne: { filter: { _id: 'o1' }, replacement: { v: 2 }, upsert: true } },
    ]);
  });
});
