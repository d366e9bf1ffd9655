import { ApiKeys } from '../../../src/application/api-key/api-keys';
import type { ApiKeyStore, StoredApiKey } from '../../../src/application/ports/api-key-store.port';

/** The port in memory: enough to state the service's own rules. */
class MemoryApiKeyStore implements ApiKeyStore {
  readonly keys = new Map<string, StoredApiKey>();
  async insert(key: StoredApiKey) {
    this.keys.set(key.id, { ...key });
  }
  async find(id: string) {
    return this.keys.get(id) ?? null;
  }
  async list() {
    return [...this.keys.values()];
  }
  async revoke(id: string, at: string) {
    const key = this.keys.get(id);
    if (key && key.revokedAt === null) key.revokedAt = at;
    return key ?? null;
  }
  async close() {}
}

const NOW = Date.parse('2025-03-01T00:00:00Z');

describe('ApiKeys', () => {
  const setUp = () => {
    const store = new MemoryApiKeyStore();
    return { store, keys: new ApiKeys(store, { now: () => NOW }) };
  };

  it('shows the secret once and stores only its sha256', async () => {
    const { store, keys } = setUp();
    const { key, secret } = await keys.create({
      name: 'shop',
      scopes: ['payments:read'],
      createdBy: 'admin-1',
    });
    expect(secret).toMatch(/^ll_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(secret).toContain(key.id);
    const stored = store.keys.get(key.id)!;
    expect(JSON.stringify(stored)).not.toContain(secret.slice(20));
    expect(stored.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(key).toEqual({
      id: key.id,
      name: 'shop',
      scopes: ['payments:read'],
      createdBy: 'admin-1',
      createdAt: '2025-03-01T00:00:00.000Z',
      revokedAt: null,
    });
    expect(JSON.stringify(await keys.list())).not.toContain(stored.secretHash);
  });

  it('accepts its own key with its scopes, and refuses a wrong secret, an unknown id or junk', async () => {
    const { keys } = setUp();
    const { key, secret } = await keys.create({
      name: 'shop',
      scopes: ['refunds:write', 'payments:read', 'refunds:write'],
      createdBy: 'admin-1',
    });
    expect(await keys.check(secret)).toEqual({
      ok: true,
      key: { id: key.id, scopes: ['payments:read', 'refunds:write'] },
    });
    const other = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
    expect(await keys.check(other)).toEqual({ ok: false, reason: 'invalid' });
    expect(await keys.check(secret.replace(key.id, '0123456789abcdef'))).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(await keys.check('ll_nonsense')).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a revoked key on its next check', async () => {
    const { keys } = setUp();
    const { key, secret } = await keys.create({
      name: 'shop',
      scopes: ['orders:read'],
      createdBy: 'admin-1',
    });
    expect((await keys.revoke(key.id)).revokedAt).toBe('2025-03-01T00:00:00.000Z');
    expect(await keys.check(secret)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('answers NOT_FOUND when revoking an unknown key', async () => {
    await expect(setUp().keys.revoke('0123456789abcdef')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
