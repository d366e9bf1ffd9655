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
});
