import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * The read-model file's layout: one table per collection (`rm_<collection>`: id and the
 * document as JSON text), a `checkpoints` table, and expression indexes made on first use of a
 * query shape. A `where` field is matched on its JSON text (`doc -> '$.f'`), which tells 1 from
 * "1" and from true as the other adapters do; the orderBy field is sorted on its SQL value
 * (`doc ->> '$.f'`): null/missing first, then numbers, then strings, ties by id.
 */

const TABLE_PREFIX = 'rm_';
/** Plain identifiers only: the name goes into a JSON path and an index expression as a literal. */
const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function openReadModelDatabase(filePath: string, busyTimeoutMs: number): Database.Database {
  fs.mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
  const db = new Database(filePath, { timeout: busyTimeoutMs });
  db.pragma('journal_mode = WAL');
  // NORMAL: a power cut may lose the last commits, never half of one. Each commit carries its
  // checkpoint, so what is lost is simply projected again from the event store at start.
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -16000'); // 16 MB of pages: the hot part of the indexes stays in memory
  db.exec('CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL)');
  return db;
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function tableName(collection: string): string {
  if (collection.length === 0 || collection.includes('\0')) {
    throw new Error(`read-model collection name not supported: ${JSON.stringify(collection)}`);
  }
  return TABLE_PREFIX + collection;
}

/** The collections that have a table, from the file's schema. */
export function existingCollections(db: Database.Database): string[] {
  const rows = db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rm\\_%' ESCAPE '\\'",
    )
    .all();
  return rows.map((row) => row.name.slice(TABLE_PREFIX.length));
}

export function createTableSql(collection: string): string {
  return `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(tableName(collection))} (id TEXT PRIMARY KEY, doc TEXT NOT NULL)`;
}

export function assertField(field: string): void {
  if (!FIELD.test(field)) {
    throw new Error(`read-model field name not supported by SQLite: ${JSON.stringify(field)}`);
  }
}

/** The document's field as JSON text: `"u1"`, `1`, `true`; NULL when missing. */
export const whereExpression = (field: string): string => `doc -> '$.${field}'`;

/** The document's field as an SQL value (numbers, text; true/false as 1/0); NULL when missing. */
export const orderExpression = (field: string): string => `doc ->> '$.${field}'`;

/**
 * The covering index of a query shape: equality fields (sorted), the sort key, the id. Walked
 * backwards it serves the descending order too.
 */
export function createIndexSql(collection: string, whereFields: readonly string[], orderBy: string): string {
  const table = tableName(collection);
  const name = `ix:${table}:${whereFields.join(',')}:${orderBy}`;
  const columns = [...whereFields.map(whereExpression), orderExpression(orderBy), 'id'];
  return `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(name)} ON ${quoteIdentifier(table)} (${columns.join(', ')})`;
}
