import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteApiKeyStore } from '../../src/infrastructure/api-keys/sqlite-api-key-store';
import { apiKeyStoreContract } from './api-key-store.contract';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

apiKeyStoreContract('SQLite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerline-keys-'));
  dirs.push(dir);
  return new SqliteApiKeyStore(path.join(dir, 'nested', 'api-keys.db'));
});

describe('SqliteApiKeyStore', () => {
  it('sees a revocation made through another connection to the same file at once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerline-keys-'));
    dirs.push(dir);
    const file = path.join(dir, 'api-keys.db');
    const [a, b] = [new SqliteApiKeyStore(file), new SqliteApiKeyStore(file)];
    await a.insert({
      id: '00000000000000c3',
      name: 'backend',
      scopes: ['payments:read'],
      secretHash: 'cd'.repeat(32),
      createdBy: 'admin-1',
      createdAt: '2025-03-01T00:00:00.000Z',
      revokedAt: null,
    });
    expect((await b.find('00000000000000c3'))?.revokedAt).toBeNull();
    await a.revoke('00000000000000c3', '2025-03-02T00:00:00.000Z');
    expect((await b.find('00000000000000c3'))?.revokedAt).toBe('2025-03-02T00:00:00.000Z');
    await a.close();
    await b.close();
  });
});
