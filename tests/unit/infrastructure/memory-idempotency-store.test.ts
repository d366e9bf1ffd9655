import { IDEMPOTENCY_CLAIM_LEASE_MS } from '../../../src/application/ports/idempotency-store.port';
import { MemoryIdempotencyStore } from '../../../src/infrastructure/idempotency/memory-idempotency-store';

const HOUR = 60 * 60 * 1000;
const T0 = Date.parse('2025-03-01T00:00:00Z');

describe('MemoryIdempotencyStore', () => {
  it('starts a key, reports it in progress, then replays the completed response', async () => {
    const store = new MemoryIdempotencyStore();
    expect(await store.begin('s', 'k', 'fp-a', T0)).toEqual({ kind: 'started' });
    expect(await store.begin('s', 'k', 'fp-a', T0)).toEqual({ kind: 'in_progress' });
    await store.complete('s', 'k', { status: 201, body: { orderId: 'ord_1' } });
    expect(await store.begin('s', 'k', 'fp-a', T0 + 1)).toEqual({
      kind: 'replay',
      response: { status: 201, body: { orderId: 'ord_1' } },
    });
  });

  it('lets a claim whose request never finished (a crash) lapse after its lease, for the same body only', async () => {
    const store = new MemoryIdempotencyStore();
    await store.begin('s', 'k1', 'fp-a', T0);
    expect(await store.begin('s', 'k1', 'fp-a', T0 + IDEMPOTENCY_CLAIM_LEASE_MS - 1)).toEqual({
      kind: 'in_progress',
    });
    expect(await store.begin('s', 'k1', 'fp-b', T0 + IDEMPOTENCY_CLAIM_LEASE_MS)).toEqual({
      kind: 'mismatch',
    });
    expect(await store.begin('s', 'k1', 'fp-a', T0 + IDEMPOTENCY_CLAIM_LEASE_MS)).toEqual({
      kind: 'started',
    });
    expect(await store.begin('s', 'k1', 'fp-a', T0 + IDEMPOTENCY_CLAIM_LEASE_MS + 1)).toEqual({
      kind: 'in_progress',
    });
  });

  it('never lets a completed answer lapse within the 24 hours', async () => {
    const store = new MemoryIdempotencyStore();
    await store.begin('s', 'k1', 'fp-a', T0);
    await store.complete('s', 'k1', { status: 201, body: { ok: true } });
    expect(await store.begin('s', 'k1', 'fp-a', T0 + 2 * IDEMPOTENCY_CLAIM_LEASE_MS)).toMatchObject({
      kind: 'replay',
    });
  });

  it('answers mismatch for another fingerprint, in progress or completed', async () => {
    const store = new MemoryIdempotencyStore();
    await store.begin('s', 'k', 'fp-a', T0);
    expect(await store.begin('s', 'k', 'fp-b', T0)).toEqual({ kind: 'mismatch' });
    await store.complete('s', 'k', { status: 200, body: {} });
    expect(await store.begin('s', 'k', 'fp-b', T0)).toEqual({ kind: 'mismatch' });
  });

  it('keeps scopes apart, even when scope and key could be split differently', async () => {
    const store = new MemoryIdempotencyStore();
    await store.begin('a b', 'c', 'fp', T0);
    expect(await store.begin('a', 'b c', 'fp', T0)).toEqual({ kind: 'started' });
    expect(await store.begin('other', 'c', 'fp', T0)).toEqual({ kind: 'started' });
  });

  it('lets a released claim start again but never releases a completed one', async () => {
    const store = new MemoryIdempotencyStore();
    await store.begin('s', 'k', 'fp-a', T0);
    await store.release('s', 'k');
    expect(await store.begin('s', 'k', 'fp-b', T0)).toEqual({ kind: 'started' });
    await store.complete('s', 'k', { status: 201, body: { ok: true } });
    await store.release('s', 'k');
    expect(await store.begin('s', 'k', 'fp-b', T0)).toMatchObject({ kind: 'replay' });
  });

  it('gives exactly one of many simultaneous begins the claim', async () => {
    const store = new MemoryIdempotencyStore();
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => store.begin('s', 'race', 'fp', T0)));
    expect(outcomes.filter((o) => o.kind === 'started')).toHaveLength(1);
  });

  it('does not let a caller mutate a stored response', async () => {
    const store = new MemoryIdempotencyStore();
    await store.begin('s', 'k', 'fp', T0);
    const body = { items: [1] };
    await store.complete('s', 'k', { status: 200, body });
    body.items.push(2);
    const replay = await store.begin('s', 'k', 'fp', T0);
    expect(replay).toEqual({ kind: 'replay', response: { status: 200, body: { items: [1] } } });
  });

  it('forgets keys 24 hours after their first use', async () => {
    const store = new MemoryIdempotencyStore();
    await store.begin('s', 'old', 'fp-a', T0);
    await store.complete('s', 'old', { status: 201, body: {} });
    await store.begin('s', 'recent', 'fp-a', T0 + 23 * HOUR);
    expect(await store.begin('s', 'old', 'fp-a', T0 + 23 * HOUR)).toMatchObject({ kind: 'replay' });
    expect(await store.begin('s', 'old', 'fp-b', T0 + 24 * HOUR)).toEqual({ kind: 'started' });
    expect(store.size).toBe(2); // 'recent' and the new 'old'
  });
});
