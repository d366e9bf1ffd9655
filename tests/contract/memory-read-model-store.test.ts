import type { ReadModelWrite } from '../../src/application/ports/read-model-store.port';
import { MemoryReadModelStore } from '../../src/infrastructure/readmodels/memory/memory-read-model-store';
import { describeReadModelStoreContract } from './read-model-store.contract';

describeReadModelStoreContract('memory', async () => new MemoryReadModelStore());

describe('MemoryReadModelStore specifics', () => {
  it('reports kind memory', async () => {
    expect(await new MemoryReadModelStore().status()).toEqual({ kind: 'memory', ok: true });
  });

  it('refuses a non-JSON value such as a Date, and applies none of that commit', async () => {
    const store = new MemoryReadModelStore();
    const writes: ReadModelWrite[] = [
      { collection: 'c', id: '0', doc: { ok: true } },
      { collection: 'c', id: '1', doc: { approvedAt: new Date('2025-01-31T00:00:00Z') } },
    ];
    await expect(store.commit(writes, { name: 'n', position: 1 })).rejects.toThrow(TypeError);
    expect(await store.get('c', '0')).toBeNull();
    expect(await store.checkpoint('n')).toBe(0);
  });

  it('keeps a field named __proto__ as data', async () => {
    const store = new MemoryReadModelStore();
    const doc = JSON.parse('{"__proto__": {"polluted": true}, "key": "x"}') as Record<string, unknown>;
    await store.commit([{ collection: 'c', id: '1', doc }], { name: 'n', position: 1 });
    const got = (await store.get<Record<string, unknown>>('c', '1'))!;
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
    expect(Object.keys(got)).toEqual(['__proto__', 'key']);
  });

  it('pages through a large filtered set in order (speed is measured by npm run bench, not here)', async () => {
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
  });
});
