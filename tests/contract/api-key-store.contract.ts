import type { ApiKeyStore, StoredApiKey } from '../../src/application/ports/api-key-store.port';

const key = (id: string, createdAt: string): StoredApiKey => ({
  id,
  name: `key ${id}`,
  scopes: ['payments:read', 'refunds:write'],
  secretHash: 'ab'.repeat(32),
  createdBy: 'admin-1',
  createdAt,
  revokedAt: null,
});

/** One suite for every ApiKeyStore adapter. */
export function apiKeyStoreContract(name: string, open: () => Promise<ApiKeyStore>): void {
  describe(`ApiKeyStore contract: ${name}`, () => {
    let store: ApiKeyStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(() => store.close());

    it('finds a key it stored, as stored, and nothing for an unknown id', async () => {
      await store.insert(key('00000000000000a1', '2025-03-01T00:00:00.000Z'));
      expect(await store.find('00000000000000a1')).toEqual(
        key('00000000000000a1', '2025-03-01T00:00:00.000Z'),
      );
      expect(await store.find('00000000000000ff')).toBeNull();
    });

    it('never overwrites a key with the same id', async () => {
      await store.insert(key('00000000000000a1', '2025-03-01T00:00:00.000Z'));
      // Not rejects.toThrow(): a driver's error may come from another realm than jest's Error.
      const outcome = await store
        .insert({ ...key('00000000000000a1', '2025-03-02T00:00:00.000Z'), secretHash: 'cd'.repeat(32) })
        .then(
          () => 'inserted',
          () => 'refused',
        );
      expect(outcome).toBe('refused');
      expect(await store.find('00000000000000a1')).toMatchObject({
        createdAt: '2025-03-01T00:00:00.000Z',
        secretHash: 'ab'.repeat(32),
      });
    });

    it('lists every key, oldest first, revoked ones included', async () => {
      await store.insert(key('00000000000000b2', '2025-03-02T00:00:00.000Z'));
      await store.insert(key('00000000000000a1', '2025-03-01T00:00:00.000Z'));
      await store.revoke('00000000000000b2', '2025-03-03T00:00:00.000Z');
      expect((await store.list()).map((k) => [k.id, k.revokedAt])).toEqual([
        ['00000000000000a1', null],
        ['00000000000000b2', '2025-03-03T00:00:00.000Z'],
      ]);
    });

    it('revokes once: a second revocation keeps the first instant; an unknown id is null', async () => {
      await store.insert(key('00000000000000a1', '2025-03-01T00:00:00.000Z'));
      expect((await store.revoke('00000000000000a1', '2025-03-05T00:00:00.000Z'))?.revokedAt).toBe(
        '2025-03-05T00:00:00.000Z',
      );
      expect((await store.revoke('00000000000000a1', '2025-03-06T00:00:00.000Z'))?.revokedAt).toBe(
        '2025-03-05T00:00:00.000Z',
      );
      expect((await store.find('00000000000000a1'))?.revokedAt).toBe('2025-03-05T00:00:00.000Z');
      expect(await store.revoke('00000000000000ff', '2025-03-05T00:00:00.000Z')).toBeNull();
    });
  });
}
