import { MongoClient } from 'mongodb';
import { IDEMPOTENCY_CLAIM_LEASE_MS } from '../../src/application/ports/idempotency-store.port';
import {
  MongoDbIdempotencyStore,
  answerExisting,
  hasLapsed,
  isExpired,
  type IdempotencyKeyDoc,
} from '../../src/infrastructure/idempotency/mongodb-idempotency-store';

const url = process.env.MONGODB_URL;
const describeIfMongo = url ? describe : describe.skip;

const HOUR = 60 * 60 * 1000;
// Near the wall clock, so the server's TTL monitor cannot sweep a record in the middle of a test.
const T0 = Date.now();

describeIfMongo('IdempotencyStore contract: MongoDB', () => {
  const dbName = `ledgerline_test_idem_${process.pid}`;
  let client: MongoClient;
  let store: MongoDbIdempotencyStore;

  beforeAll(async () => {
    client = await new MongoClient(url!).connect();
  });
  beforeEach(async () => {
    await client.db(dbName).collection('idempotency_keys').deleteMany({});
    store = new MongoDbIdempotencyStore(client, dbName);
  });
  afterAll(async () => {
    await client.db(dbName).dropDatabase();
    await client.close();
  });

  it('starts a new key', async () => {
    expect(await store.begin('user-1:POST /v1/orders', 'k1', 'fp-a', T0)).toEqual({ kind: 'started' });
  });

  it('answers in_progress for the same key and body while the first is running', async () => {
    await store.begin('s', 'k1', 'fp-a', T0);
    expect(await store.begin('s', 'k1', 'fp-a', T0 + 1000)).toEqual({ kind: 'in_progress' });
  });

  it('replays the stored response once completed, body keys MongoDB dislikes included', async () => {
    await store.begin('s', 'k1', 'fp-a', T0);
    const body = {
      orderId: 'ord_abc',
      orderName: '월간 베이직',
      amount: 9900,
      odd: { $gt: 1, 'a.b': [1, 2] },
    };
    await store.complete('s', 'k1', { status: 201, body });
    expect(await store.begin('s', 'k1', 'fp-a', T0 + 1000)).toEqual({
      kind: 'replay',
      response: { status: 201, body },
    });
  });

  it('answers mismatch for the same key with another body, completed or not', async () => {
    await store.begin('s', 'k1', 'fp-a', T0);
    expect(await store.begin('s', 'k1', 'fp-b', T0)).toEqual({ kind: 'mismatch' });
    await store.complete('s', 'k1', { status: 200, body: {} });
    expect(await store.begin('s', 'k1', 'fp-b', T0)).toEqual({ kind: 'mismatch' });
  });

  it('keeps keys apart by scope, even when scope and key could be split differently', async () => {
    await store.begin('user-1', 'k1', 'fp-a', T0);
    expect(await store.begin('user-2', 'k1', 'fp-b', T0)).toEqual({ kind: 'started' });
    await store.begin('a:b', 'c', 'fp-a', T0);
    expect(await store.begin('a', 'b:c', 'fp-b', T0)).toEqual({ kind: 'started' });
  });

  it('lets a released claim start again, but never releases a completed one', async () => {
    await store.begin('s', 'k1', 'fp-a', T0);
    await store.release('s', 'k1');
    expect(await store.begin('s', 'k1', 'fp-b', T0)).toEqual({ kind: 'started' });

    await store.complete('s', 'k1', { status: 201, body: { ok: true } });
    await store.release('s', 'k1');
    expect(await store.begin('s', 'k1', 'fp-b', T0)).toEqual({
      kind: 'replay',
      response: { status: 201, body: { ok: true } },
    });
  });

  it('gives exactly one of many simultaneous begins the claim', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => store.begin('s', 'race', 'fp-a', T0)),
    );
    expect(outcomes.filter((o) => o.kind === 'started')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'in_progress')).toHaveLength(19);
  });

  it('treats a record older than 24 hours as gone before the TTL monitor sweeps it', async () => {
    await store.begin('s', 'old', 'fp-a', T0);
    await store.complete('s', 'old', { status: 201, body: {} });
    expect(await store.begin('s', 'old', 'fp-a', T0 + 23 * HOUR)).toMatchObject({ kind: 'replay' });
    expect(await store.begin('s', 'old', 'fp-b', T0 + 24 * HOUR)).toEqual({ kind: 'started' });
    expect(await store.begin('s', 'old', 'fp-b', T0 + 24 * HOUR + 1)).toEqual({ kind: 'in_progress' });
  });

  it('has a TTL index on createdAt of 24 hours', async () => {
    await store.ensureIndexes();
    const indexes = await client.db(dbName).collection('idempotency_keys').listIndexes().toArray();
    expect(indexes).toContainEqual(
      expect.objectContaining({ key: { createdAt: 1 }, expireAfterSeconds: 86_400 }),
    );
  });
});

// No server needed from here on.
describe('MongoDB idempotency decisions', () => {
  const record = (over: Partial<IdempotencyKeyDoc> = {}): IdempotencyKeyDoc => ({
    _id: '["s","k"]',
    fingerprint: 'fp-a',
    createdAt: new Date(T0),
    ...over,
  });

  it('answers mismatch for another fingerprint whatever the state', () => {
    expect(answerExisting(record(), 'fp-b')).toEqual({ kind: 'mismatch' });
    expect(answerExisting(record({ response: '{"status":201,"body":{}}' }), 'fp-b')).toEqual({
      kind: 'mismatch',
    });
  });

  it('answers in_progress for an open claim and replay for a completed one', () => {
    expect(answerExisting(record(), 'fp-a')).toEqual({ kind: 'in_progress' });
    expect(
      answerExisting(record({ response: '{"status":202,"body":{"status":"PENDING"}}' }), 'fp-a'),
    ).toEqual({
      kind: 'replay',
      response: { status: 202, body: { status: 'PENDING' } },
    });
  });

  it('expires a record exactly at createdAt + ttl', () => {
    expect(isExpired(record(), T0 + 24 * HOUR - 1, 24 * HOUR)).toBe(false);
    expect(isExpired(record(), T0 + 24 * HOUR, 24 * HOUR)).toBe(true);
  });

  it('lets an unfinished claim of the same body lapse at its lease, never a completed one', () => {
    const lease = T0 + IDEMPOTENCY_CLAIM_LEASE_MS;
    expect(hasLapsed(record(), 'fp-a', lease - 1)).toBe(false);
    expect(hasLapsed(record(), 'fp-a', lease)).toBe(true);
    expect(hasLapsed(record(), 'fp-b', lease)).toBe(false);
    expect(hasLapsed(record({ response: '{"status":201,"body":{}}' }), 'fp-a', lease)).toBe(false);
  });
});
