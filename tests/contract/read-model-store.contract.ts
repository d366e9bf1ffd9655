import {
  InvalidCursorError,
  type Doc,
  type ReadModelQuery,
  type ReadModelStore,
} from '../../src/application/ports/read-model-store.port';

/**
 * The behaviour every ReadModelStore adapter must show. `open` returns a store the suite may
 * clear and close; each test starts from clear().
 */
export function describeReadModelStoreContract(name: string, open: () => Promise<ReadModelStore>): void {
  describe(`ReadModelStore contract: ${name}`, () => {
    let store: ReadModelStore;

    beforeEach(async () => {
      store = await open();
      await store.clear();
    });

    afterEach(async () => {
      await store.close();
    });

    const put = (collection: string, id: string, doc: Doc | null, position = 1) =>
      store.commit([{ collection, id, doc }], { name: 'test', position });

    /** Reads every page of a query and returns the ids in the order served. */
    async function readAllPages(collection: string, query: Omit<ReadModelQuery, 'cursor'>) {
      const ids: string[] = [];
      const pageSizes: number[] = [];
      let cursor: string | undefined;
      for (let guard = 0; guard < 100; guard++) {
        const page = await store.query<Doc>(collection, { ...query, cursor });
        pageSizes.push(page.items.length);
        ids.push(...page.items.map((doc) => String(doc.key)));
        if (page.nextCursor === null) return { ids, pageSizes };
        cursor = page.nextCursor;
      }
      throw new Error('pagination did not end');
    }

    it('get of a missing document is null', async () => {
      await put('payments', 'a', { key: 'a' });
      expect(await store.get('payments', 'missing')).toBeNull();
      expect(await store.get('never-written', 'a')).toBeNull();
    });

    it('get returns what was committed', async () => {
      const doc = {
        key: 'p1',
        userId: 'u1',
        amount: 9900,
        paid: true,
        refunds: [{ amount: 100 }],
        note: null,
      };
      await put('payments', 'p1', doc);
      expect(await store.get('payments', 'p1')).toEqual(doc);
    });

    it('a commit replaces the whole document', async () => {
      await put('payments', 'p1', { key: 'p1', status: 'PENDING', pgCode: 'X' });
      await put('payments', 'p1', { key: 'p1', status: 'APPROVED' });
      expect(await store.get('payments', 'p1')).toEqual({ key: 'p1', status: 'APPROVED' });
    });

    it('a null doc deletes the document', async () => {
      await put('payments', 'p1', { key: 'p1' });
      await put('payments', 'p2', { key: 'p2' });
      await put('payments', 'p1', null);
      expect(await store.get('payments', 'p1')).toBeNull();
      expect(await store.all('payments')).toEqual([{ key: 'p2' }]);
      await put('payments', 'never-there', null); // deleting nothing is fine
    });

    it('applies the writes of one commit in order', async () => {
      await store.commit(
        [
          { collection: 'payments', id: 'p1', doc: { key: 'p1', v: 1 } },
          { collection: 'payments', id: 'p1', doc: { key: 'p1', v: 2 } },
          { collection: 'subscriptions', id: 's1', doc: { key: 's1' } },
          { collection: 'payments', id: 'p2', doc: { key: 'p2' } },
          { collection: 'payments', id: 'p2', doc: null },
        ],
        { name: 'test', position: 7 },
      );
      expect(await store.get('payments', 'p1')).toEqual({ key: 'p1', v: 2 });
      expect(await store.get('payments', 'p2')).toBeNull();
      expect(await store.get('subscriptions', 's1')).toEqual({ key: 's1' });
      expect(await store.checkpoint('test')).toBe(7);
    });

    it('keeps collections apart', async () => {
      await put('payments', 'x', { key: 'payment' });
      await put('orders', 'x', { key: 'order' });
      expect(await store.get('payments', 'x')).toEqual({ key: 'payment' });
      expect(await store.all('orders')).toEqual([{ key: 'order' }]);
    });

    describe('query', () => {
      beforeEach(async () => {
        const docs = [
          { key: 'b', userId: 'u1', at: '2025-01-02', planId: 1 },
          { key: 'a', userId: 'u1', at: '2025-01-02', planId: 2 },
          { key: 'c', userId: 'u1', at: '2025-01-01', planId: 1 },
          { key: 'd', userId: 'u1', at: '2025-01-03', planId: 1 },
          { key: 'e', userId: 'u2', at: '2025-01-05', planId: 1 },
          { key: 'f', userId: 'u2', at: '2025-01-04', planId: 2 },
        ];
        await store.commit(
          docs.map((doc) => ({ collection: 'payments', id: doc.key, doc })),
          { name: 'test', position: 1 },
        );
      });

      const byUser = (direction: 'asc' | 'desc', userId = 'u1'): ReadModelQuery => ({
        where: { userId },
        orderBy: 'at',
        direction,
        limit: 10,
      });

      it('filters by where and orders ascending, ties broken by id ascending', async () => {
        const page = await store.query('payments', byUser('asc'));
        expect(page.items.map((d) => d.key)).toEqual(['c', 'a', 'b', 'd']);
        expect(page.nextCursor).toBeNull();
      });

      it('orders descending, ties broken by id descending', async () => {
        const page = await store.query('payments', byUser('desc'));
        expect(page.items.map((d) => d.key)).toEqual(['d', 'b', 'a', 'c']);
      });

      it('orders by a number field', async () => {
        const page = await store.query('payments', {
          where: {},
          orderBy: 'planId',
          direction: 'desc',
          limit: 10,
        });
        expect(page.items.map((d) => d.key)).toEqual(['f', 'a', 'e', 'd', 'c', 'b']);
      });

      it('combines where fields and tells a number from a string', async () => {
        const page = await store.query('payments', { ...byUser('asc'), where: { userId: 'u1', planId: 1 } });
        expect(page.items.map((d) => d.key)).toEqual(['c', 'b', 'd']);
        const none = await store.query('payments', {
          ...byUser('asc'),
          where: { userId: 'u1', planId: '1' },
        });
        expect(none.items).toEqual([]);
        expect((await store.query('payments', byUser('asc', 'nobody'))).items).toEqual([]);
      });

      it('sees documents that moved between where values after an earlier query', async () => {
        await store.query('payments', byUser('asc')); // lets an adapter build its index first
        await put('payments', 'e', { key: 'e', userId: 'u1', at: '2025-01-05', planId: 1 });
        await put('payments', 'c', null);
        await put('payments', 'g', { key: 'g', userId: 'u1', at: '2025-01-00', planId: 3 });
        expect((await store.query('payments', byUser('asc'))).items.map((d) => d.key)).toEqual([
          'g',
          'a',
          'b',
          'd',
          'e',
        ]);
        expect((await store.query('payments', byUser('asc', 'u2'))).items.map((d) => d.key)).toEqual(['f']);
      });

      it('returns nothing from a collection never written', async () => {
        expect(await store.query('nothing-here', byUser('asc'))).toEqual({ items: [], nextCursor: null });
      });

      it('throws InvalidCursorError for a cursor it did not make', async () => {
        const notJson = Buffer.from('hello').toString('base64url');
        const wrongShape = Buffer.from(JSON.stringify({ at: 1 })).toString('base64url');
        for (const cursor of ['not a cursor!', notJson, wrongShape, '']) {
          await expect(store.query('payments', { ...byUser('asc'), cursor })).rejects.toBeInstanceOf(
            InvalidCursorError,
          );
        }
        await expect(
          store.query('nothing-here', { ...byUser('asc'), cursor: notJson }),
        ).rejects.toBeInstanceOf(InvalidCursorError);
      });

      it('refuses a page size below one', async () => {
        await expect(store.query('payments', { ...byUser('asc'), limit: 0 })).rejects.toBeInstanceOf(
          RangeError,
        );
      });
    });

    describe('pagination', () => {
      async function seed(count: number, at: (i: number) => string | number | undefined): Promise<string[]> {
        const keys = Array.from({ length: count }, (_, i) => `k${String(i).padStart(2, '0')}`);
        // Written in a scrambled order so insertion order cannot pass for sort order.
        const scrambled = keys.map((_, i) => keys[(i * 7) % count]!);
        await store.commit(
          scrambled.map((key) => {
            const i = keys.indexOf(key);
            const value = at(i);
            const doc: Doc = value === undefined ? { key, userId: 'u1' } : { key, userId: 'u1', at: value };
            return { collection: 'history', id: key, doc };
          }),
          { name: 'test', position: 1 },
        );
        return keys;
      }

      const query = (direction: 'asc' | 'desc', limit = 10) => ({
        where: { userId: 'u1' },
        orderBy: 'at',
        direction,
        limit,
      });

      it('walks 25 documents in pages of 10, 10 and 5 in both directions', async () => {
        const keys = await seed(25, (i) => 1000 + i);
        const asc = await readAllPages('history', query('asc'));
        expect(asc.pageSizes).toEqual([10, 10, 5]);
        expect(asc.ids).toEqual(keys);
        const desc = await readAllPages('history', query('desc'));
        expect(desc.pageSizes).toEqual([10, 10, 5]);
        expect(desc.ids).toEqual([...keys].reverse());
      });

      it('ends with a null cursor when the last page is exactly full', async () => {
        await seed(20, (i) => 1000 + i);
        expect((await readAllPages('history', query('asc'))).pageSizes).toEqual([10, 10]);
      });

      it('breaks ties by id across page boundaries', async () => {
        const keys = await seed(25, (i) => `2025-01-0${Math.floor(i / 7)}`); // runs of 7 equal values
        expect((await readAllPages('history', query('asc', 3))).ids).toEqual(keys);
        expect((await readAllPages('history', query('desc', 4))).ids).toEqual([...keys].reverse());
      });

      it('puts documents without the orderBy field first ascending and last descending', async () => {
        const keys = await seed(12, (i) => (i < 5 ? undefined : `2025-02-${10 + i}`));
        expect((await readAllPages('history', query('asc', 3))).ids).toEqual(keys);
        expect((await readAllPages('history', query('desc', 3))).ids).toEqual([...keys].reverse());
      });

      it('neither repeats nor skips when a document is added before the cursor', async () => {
        const keys = await seed(15, (i) => 1000 + i);
        const first = await store.query<Doc>('history', query('desc', 5));
        await put('history', 'new', { key: 'new', userId: 'u1', at: 5000 }); // sorts before the cursor
        const rest = await readAllPages('history', query('desc', 5));
        expect(rest.ids[0]).toBe('new');
        const second = await store.query<Doc>('history', { ...query('desc', 5), cursor: first.nextCursor! });
        expect(second.items.map((d) => d.key)).toEqual([...keys].reverse().slice(5, 10));
      });
    });

    it('checkpoint starts at 0 and moves with each commit, per name', async () => {
      expect(await store.checkpoint('history')).toBe(0);
      await store.commit([], { name: 'history', position: 3 });
      expect(await store.checkpoint('history')).toBe(3);
      await store.commit([{ collection: 'payments', id: 'p', doc: { key: 'p' } }], {
        name: 'history',
        position: 9,
      });
      expect(await store.checkpoint('history')).toBe(9);
      expect(await store.checkpoint('subscriptions')).toBe(0);
    });

    it('moves several checkpoints with one commit, atomically with its writes', async () => {
      await store.commit(
        [{ collection: 'orders', id: 'o', doc: { key: 'o' } }],
        [
          { name: 'orders', position: 8 },
          { name: 'pending', position: 8 },
        ],
      );
      expect(await store.checkpoint('orders')).toBe(8);
      expect(await store.checkpoint('pending')).toBe(8);
      await store.commit([], [{ name: 'pending', position: 11 }]);
      expect(await store.checkpoint('orders')).toBe(8);
      expect(await store.checkpoint('pending')).toBe(11);
    });

    it('keeps what is stored safe: mutating a committed or returned document changes nothing stored', async () => {
      const committed = { key: 'p1', userId: 'u1', at: 1, refunds: [{ amount: 100 }] };
      await put('payments', 'p1', committed);
      committed.refunds[0]!.amount = -1;
      committed.userId = 'changed';
      // A store may hand out copies or frozen documents: a mutation either fails or stays local.
      const tryTo = (mutate: () => void) => {
        try {
          mutate();
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError);
        }
      };

      const got = await store.get<typeof committed>('payments', 'p1');
      tryTo(() => (got!.refunds[0]!.amount = -2));
      tryTo(() => got!.refunds.push({ amount: 5 }));
      const listed = (
        await store.query<typeof committed>('payments', {
          where: { userId: 'u1' },
          orderBy: 'at',
          direction: 'asc',
          limit: 5,
        })
      ).items[0]!;
      tryTo(() => (listed.refunds[0]!.amount = -3));
      const all = await store.all<typeof committed>('payments');
      tryTo(() => (all[0]!.refunds[0]!.amount = -4));

      expect(await store.get('payments', 'p1')).toEqual({
        key: 'p1',
        userId: 'u1',
        at: 1,
        refunds: [{ amount: 100 }],
      });
    });

    it('all() returns every document of the collection', async () => {
      await store.commit(
        ['c', 'a', 'b'].map((key) => ({ collection: 'payments', id: key, doc: { key } })),
        { name: 'test', position: 1 },
      );
      await put('orders', 'z', { key: 'z' });
      const all = await store.all<Doc>('payments');
      expect(all.map((d) => d.key).sort()).toEqual(['a', 'b', 'c']);
      expect(await store.all('never-written')).toEqual([]);
    });

    it('clear() removes every document and checkpoint', async () => {
      await store.commit(
        [
          { collection: 'payments', id: 'p', doc: { key: 'p', userId: 'u1', at: 1 } },
          { collection: 'orders', id: 'o', doc: { key: 'o' } },
        ],
        { name: 'history', position: 12 },
      );
      await store.clear();
      expect(await store.get('payments', 'p')).toBeNull();
      expect(await store.all('orders')).toEqual([]);
      expect(await store.checkpoint('history')).toBe(0);
      const page = await store.query('payments', {
        where: { userId: 'u1' },
        orderBy: 'at',
        direction: 'asc',
        limit: 5,
      });
      expect(page.items).toEqual([]);
      await put('payments', 'p', { key: 'p2' }); // usable again after clearing
      expect(await store.get('payments', 'p')).toEqual({ key: 'p2' });
    });

    it('applies a commit that moves no checkpoint (a projection build record)', async () => {
      await store.commit([{ collection: 'records', id: 'r', doc: { build: 1 } }], []);
      expect(await store.get('records', 'r')).toEqual({ build: 1 });
      await store.commit([], []);
      expect(await store.count('records')).toBe(1);
    });

    it('counts a collection and drops whole collections and checkpoints, leaving the others', async () => {
      await store.commit(
        [
          { collection: 'old', id: 'a', doc: { v: 1, at: 1 } },
          { collection: 'old', id: 'b', doc: { v: 2, at: 2 } },
          { collection: 'new', id: 'a', doc: { v: 1, at: 1 } },
        ],
        [
          { name: 'old', position: 3 },
          { name: 'new', position: 3 },
        ],
      );
      const q = { where: { v: 1 }, orderBy: 'at', direction: 'asc' as const, limit: 5 };
      expect((await store.query('old', q)).items).toHaveLength(1);
      expect(await store.count('old')).toBe(2);
      expect(await store.count('never-written')).toBe(0);
      await store.drop(['old'], ['old']);
      expect(await store.count('old')).toBe(0);
      expect(await store.get('old', 'a')).toBeNull();
      expect((await store.query('old', q)).items).toEqual([]);
      expect(await store.checkpoint('old')).toBe(0);
      expect(await store.get('new', 'a')).toEqual({ v: 1, at: 1 });
      expect(await store.checkpoint('new')).toBe(3);
      // Usable again under the same name, queries included.
      await put('old', 'c', { v: 1, at: 3 });
      expect((await store.query('old', q)).items).toEqual([{ v: 1, at: 3 }]);
    });

    it('reports its status as ok', async () => {
      const status = await store.status();
      expect(status.ok).toBe(true);
      expect(typeof status.kind).toBe('string');
    });
  });
}
