import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  IDEMPOTENCY_CLAIM_LEASE_MS,
  type IdempotencyStore,
} from '../../src/application/ports/idempotency-store.port';
import { SqliteIdempotencyStore } from '../../src/infrastructure/idempotency/sqlite-idempotency-store';

const HOUR = 60 * 60 * 1000;
const T0 = Date.parse('2025-03-01T00:00:00Z');

describe('IdempotencyStore contract: SQLite', () => {
  let dir: string;
  let file: string;
  let store: SqliteIdempotencyStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerline-idem-'));
    file = path.join(dir, 'nested', 'idempotency.db');
    store = new SqliteIdempotencyStore(file);
  });
  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const port = (): IdempotencyStore => store;

  it('starts a new key', async () => {
    expect(await port().begin('user-1:POST /v1/orders', 'k1', 'fp-a', T0)).toEqual({ kind: 'started' });
  });

  it('answers in_progress for the same key and body while the first is running', async () => {
    await port().begin('s', 'k1', 'fp-a', T0);
    expect(await port().begin('s', 'k1', 'fp-a', T0 + 1000)).toEqual({ kind: 'in_progress' });
  });

  it('lets a claim whose request never finished (a crash) lapse after its lease, for the same body only', async () => {
    await port().begin('s', 'k1', 'fp-a', T0);
    expect(await port().begin('s', 'k1', 'fp-a', T0 + IDEMPOTENCY_CLAIM_LEASE_MS - 1)).toEqual({
      kind: 'in_progress',
    });
    expect(await port().begin('s', 'k1', 'fp-b', T0 + IDEMPOTENCY_CLAIM_LEASE_MS)).toEqual({
      kind: 'mismatch',
    });
    expect(await port().begin('s', 'k1', 'fp-a', T0 + IDEMPOTENCY_CLAIM_LEASE_MS)).toEqual({
      kind: 'started',
    });
    expect(await port().begin('s', 'k1', 'fp-a', T0 + IDEMPOTENCY_CLAIM_LEASE_MS + 1)).toEqual({
      kind: 'in_progress',
    });
  });

  it('never lets a completed answer lapse within the 24 hours', async () => {
    await port().begin('s', 'k1', 'fp-a', T0);
    await port().complete('s', 'k1', { status: 201, body: { ok: true } });
    expect(await port().begin('s', 'k1', 'fp-a', T0 + 2 * IDEMPOTENCY_CLAIM_LEASE_MS)).toMatchObject({
      kind: 'replay',
    });
  });

  it('replays the stored response once completed', async () => {
    await port().begin('s', 'k1', 'fp-a', T0);
    const body = { orderId: 'ord_abc', orderName: '월간 베이직', amount: 9900, nested: { list: [1, 2] } };
    await port().complete('s', 'k1', { status: 201, body });
    expect(await port().begin('s', 'k1', 'fp-a', T0 + 1000)).toEqual({
      kind: 'replay',
      response: { status: 201, body },
    });
  });

  it('answers mismatch for the same key with another body, completed or not', async () => {
    await port().begin('s', 'k1', 'fp-a', T0);
    expect(await port().begin('s', 'k1', 'fp-b', T0)).toEqual({ kind: 'mismatch' });
    await port().complete('s', 'k1', { status: 200, body: {} });
    expect(await port().begin('s', 'k1', 'fp-b', T0)).toEqual({ kind: 'mismatch' });
  });

  it('keeps keys apart by scope', async () => {
    await port().begin('user-1', 'k1', 'fp-a', T0);
    expect(await port().begin('user-2', 'k1', 'fp-b', T0)).toEqual({ kind: 'started' });
  });

  it('lets a released claim start again, but never releases a completed one', async () => {
    await port().begin('s', 'k1', 'fp-a', T0);
    await port().release('s', 'k1');
    expect(await port().begin('s', 'k1', 'fp-b', T0)).toEqual({ kind: 'started' });

    await port().complete('s', 'k1', { status: 201, body: { ok: true } });
    await port().release('s', 'k1');
    expect(await port().begin('s', 'k1', 'fp-b', T0)).toEqual({
      kind: 'replay',
      response: { status: 201, body: { ok: true } },
    });
  });

  it('gives exactly one of many simultaneous begins the claim', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => port().begin('s', 'race', 'fp-a', T0)),
    );
    expect(outcomes.filter((o) => o.kind === 'started')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'in_progress')).toHaveLength(19);
  });

  it('forgets keys older than 24 hours and purges them', async () => {
    await port().begin('s', 'old', 'fp-a', T0);
    await port().complete('s', 'old', { status: 201, body: {} });
    await port().begin('s', 'recent', 'fp-a', T0 + 23 * HOUR);
    expect(await port().begin('s', 'old', 'fp-a', T0 + 23 * HOUR)).toMatchObject({ kind: 'replay' });

    expect(await port().begin('s', 'other', 'fp-a', T0 + 25 * HOUR)).toEqual({ kind: 'started' });
    const raw = new Database(file, { readonly: true });
    const keys = raw.prepare('SELECT key FROM idempotency_keys ORDER BY key').pluck().all();
    raw.close();
    expect(keys).toEqual(['other', 'recent']);
    expect(await port().begin('s', 'old', 'fp-b', T0 + 25 * HOUR)).toEqual({ kind: 'started' });
  });

  it('keeps records across reopening the file', async () => {
    await port().begin('s', 'k1', 'fp-a', T0);
    await port().complete('s', 'k1', { status: 202, body: { status: 'PENDING' } });
    store.close();
    store = new SqliteIdempotencyStore(file);
    expect(await port().begin('s', 'k1', 'fp-a', T0 + 1)).toEqual({
      kind: 'replay',
      response: { status: 202, body: { status: 'PENDING' } },
    });
  });
});
