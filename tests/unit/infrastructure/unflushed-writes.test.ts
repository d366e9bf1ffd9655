import { MAX_ABSENT, UnflushedWrites } from '../../../src/infrastructure/readmodels/sqlite/unflushed-writes';

describe('UnflushedWrites', () => {
  it('drops a document the file was seen not to hold without a statement', () => {
    const writes = new UnflushedWrites();
    writes.markAbsent('pending', 'p');
    writes.put('pending', 'p', null);
    expect(writes.empty).toBe(true);
  });

  it('remembers missing ids up to a bound only: reads of unknown ids with no write between cannot grow it for ever', () => {
    const writes = new UnflushedWrites();
    for (let i = 0; i <= MAX_ABSENT; i++) writes.markAbsent('orders', `missing-${i}`);
    // The first ids were forgotten past the bound: dropping one is written (harmless), not skipped.
    writes.put('orders', 'missing-0', null);
    expect(writes.size).toBe(1);
    // The latest one is still known to be missing.
    writes.put('orders', `missing-${MAX_ABSENT}`, null);
    expect(writes.size).toBe(1);
  });

  it('tells which collections have writes waiting (a query of the others needs no flush first)', () => {
    const writes = new UnflushedWrites();
    writes.put('orders', 'o1', { v: 1 });
    writes.move({ name: 'orders', position: 3 });
    writes.markAbsent('pending', 'p');
    writes.put('pending', 'p', null); // never in the file: nothing to write
    expect(writes.touches('orders')).toBe(true);
    expect(writes.touches('pending')).toBe(false);
    expect(writes.touches('subscriptions')).toBe(false);
    writes.clear();
    expect(writes.touches('orders')).toBe(false);
  });
});
