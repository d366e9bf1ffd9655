import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ApiKeyStore, StoredApiKey } from '../../application/ports/api-key-store.port';

interface KeyRow {
  id: string;
  name: string;
  scopes: string;
  secret_hash: string;
  created_by: string;
  created_at: string;
  revoked_at: string | null;
}

const fromRow = (row: KeyRow): StoredApiKey => ({
  id: row.id,
  name: row.name,
  scopes: JSON.parse(row.scopes) as string[],
  secretHash: row.secret_hash,
  createdBy: row.created_by,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

/**
 * API keys in SQLite under DATA_DIR (the embedded topology). Every read goes to the file, so
 * a revocation, even one made by another process on the same file, is seen by the next request;
 * a lookup is a primary-key read of one row.
 */
export class SqliteApiKeyStore implements ApiKeyStore {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(filePath: string) {
    fs.mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
    this.db = new Database(filePath);
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('journal_mode = WAL');
    // FULL: a revocation acknowledged to the admin must survive a power cut.
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS api_keys (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        scopes      TEXT NOT NULL,
        secret_hash TEXT NOT NULL,
        created_by  TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        revoked_at  TEXT
      );
    `);
    this.statements = {
      insert: this.db.prepare<[string, string, string, string, string, string]>(
        `INSERT INTO api_keys (id, name, scopes, secret_hash, created_by, created_at, revoked_at)
         VALUES (?, ?, ?, ?, ?, ?, NULL)`,
      ),
      find: this.db.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE id = ?'),
      list: this.db.prepare<[], KeyRow>('SELECT * FROM api_keys ORDER BY created_at, id'),
      revoke: this.db.prepare<[string, string]>(
        'UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
      ),
    };
  }

  async insert(key: StoredApiKey): Promise<void> {
    this.statements.insert.run(
      key.id,
      key.name,
      JSON.stringify(key.scopes),
      key.secretHash,
      key.createdBy,
      key.createdAt,
    );
  }

  async find(id: string): Promise<StoredApiKey | null> {
    const row = this.statements.find.get(id);
    return row ? fromRow(row) : null;
  }

  async list(): Promise<StoredApiKey[]> {
    return this.statements.list.all().map(fromRow);
  }

  async revoke(id: string, at: string): Promise<StoredApiKey | null> {
    this.statements.revoke.run(at, id);
    return this.find(id);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
