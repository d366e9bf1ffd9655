import type { ReadModelWrite } from '../../src/application/ports/read-model-store.port';
import { MemoryReadModelStore } from '../../src/infrastructure/readmodels/memory/memory-read-model-store';
import { describeReadModelStoreContract } from './read-model-store.contract';

describeReadModelStoreContract('memory', async () => new MemoryReadModelStore());

describe('MemoryReadModelStore specifics', () => {
  it('reports kind memory', async () => {
    expect(await new MemoryReadModelStore().status()).toEqual({ kind: 'memory', ok: true });
  });

  it('copies non-JSON values such as dates instead of sharing them', async () => {
    const store = new MemoryReadModelStore();
    const approvedAt = new Date('2025-01-31T00:00:00Z');
    await store.commit([{ collection: 'c', id: '1', doc: { approvedAt } }], { name: 'n', position: 1 });
    const got = await store.get<{ approvedAt: Date }>('c', '1');
    expect(got!.approvedAt).toEqual(approvedAt);
    got!.approvedAt.setUTCFullYear(1999);
    expect((await store.get<{ approvedAt: Date }>('c', '1'))!.approvedAt.getUTCFullYear()).toBe(2025);
  });

  it('keeps a field named __proto__ as data', async () => {
    const store = new MemoryReadModelStore();
    const doc = JSON.parse('{"__proto__": {"polluted": true}, "key": "x"}') as Record<string, unknown>;
    await store.commit([{ collection: 'c', id: '1', doc }], { name: 'n', position: 1 });
    const got = (await store.get<Record<string, unknown>>('c', '1'))!;
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
    expect(Object.keys(got)).toEqual(['__proto__', 'key']);
  });

  it('serves user history pages from a large collection well above 5,000 reads per second', async () => {
    const store = new MemoryReadModelStore();
    const users = 2_000;
    const writes: ReadModelWrite[] = [];
    for (let i = 0; i < 100_000; i++) {
      const approvedAt = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
      writes.push({
        collection: 'payments',
        id: `order-${i}`,
        doc: {
          orderId: `order-${i}`,
          userId: `user-${i % users}`,
          planId: (i % 3) + 1,
          amount: 9900,
          approvedAt,
        },
      });
    }
    await store.commit(writes, { name: 'history', position: 100_000 });

    const query = (u: number) => ({
      where: { userId: `user-${u}` },
      orderBy: 'approvedAt',
      direction: 'desc' as const,
      limit: 20,
    });
    await store.query('payments', query(0)); // builds the userId index once
    let served = 0;
    const msPerRead = await fastestRound(5, 4_000, async (r) => {
      served += (await store.query('payments', query(r % users))).items.length;
    });
    expect(served).toBe(5 * 4_000 * 20);
    // A full scan per query manages about a hundred reads a second here; the HTTP target is
    // 5,000/s, so the store must take well under a fifth of a request's budget (measured ~40,000/s).
    expect(1000 / msPerRead).toBeGreaterThan(10_000);
  });

  it('pages through a large filtered set without sorting all of it per page', async () => {
    const store = new MemoryReadModelStore();
    const writes: ReadModelWrite[] = Array.from({ length: 50_000 }, (_, i) => ({
      collection: 'payments',
      id: `o${i}`,
      doc: { planId: 1, amount: (i * 7919) % 50_000 },
    }));
    await store.commit(writes, { name: 'n', position: 1 });
    const q = { where: { planId: 1 }, orderBy: 'amount', direction: 'asc' as const, limit: 20 };
    const page1 = await store.query<{ amount: number }>('payments', q);
    expect(page1.items.map((d) => d.amount)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const page2 = await store.query<{ amount: number }>('payments', { ...q, cursor: page1.nextCursor! });
    expect(page2.items[0]!.amount).toBe(20);
    const msPerQuery = await fastestRound(5, 10, () => store.query('payments', q));
    // Measured: ~2.5 ms with one pass over the 50k matches, ~18 ms when each page sorts all of them.
    expect(msPerQuery).toBeLessThan(8);
  });
});

/**
 * Milliseconds per call in the fastest of `rounds` rounds: other processes share this machine,
 * and the best round is the one least disturbed by them.
 */
async function fastestRound(
  rounds: number,
  calls: number,
  call: (i: number) => Promise<unknown>,
): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) await call(i);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6 / calls);
  }
  return best;
}
