import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** The events file's format (its `user_version`): a file of another format is refused. */
export const EVENT_STORE_FORMAT = 1;

/**
 * Opens (creating if needed) the events database with the durability settings the store
 * promises: WAL so readers in another process (the audit CLI) never block the writer, and
 * synchronous=FULL so an acknowledged commit survives a power cut.
 */
export function openEventDatabase(filePath: string, busyTimeoutMs = 5000): Database.Database {
  fs.mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
  const db = new Database(filePath);
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS events (
      global_position INTEGER PRIMARY KEY AUTOINCREMENT,
      stream_id       TEXT    NOT NULL,
      revision        INTEGER NOT NULL,
      event_id        TEXT    NOT NULL,
      type            TEXT    NOT NULL,
      data            TEXT    NOT NULL,
      metadata        TEXT    NOT NULL,
      UNIQUE (stream_id, revision)
    );
  `);
  return db;
}

/** A row as selected in raw (array) mode: cheaper than objects on the replay path. */
export type EventRow = [
  globalPosition: number,
  streamId: string,
  revision: number,
  type: string,
  data: string,
  metadata: string,
];

const columns = 'global_position, stream_id, revision, type, data, metadata';

/** Every statement the store runs, prepared once. */
export function prepareEventStatements(db: Database.Database) {
  return {
    lastRevision: db
      .prepare<[string], number | null>('SELECT MAX(revision) FROM events WHERE stream_id = ?')
      .pluck(),
    lastPositionOf: db
      .prepare<[string], number | null>('SELECT MAX(global_position) FROM events WHERE stream_id = ?')
      .pluck(),
    idsAfter: db.prepare<[string, number, number], { event_id: string; global_position: number }>(
      `SELECT event_id, global_position FROM events
        WHERE stream_id = ? AND revision > ? ORDER BY revision LIMIT ?`,
    ),
    insert: db.prepare<[string, number, string, string, string, string]>(
      `INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    readStream: db
      .prepare<[string], EventRow>(`SELECT ${columns} FROM events WHERE stream_id = ? ORDER BY revision`)
      .raw(true),
    readAll: db
      .prepare<[number, number], EventRow>(
        `SELECT ${columns} FROM events WHERE global_position > ? ORDER BY global_position LIMIT ?`,
      )
      .raw(true),
    head: db.prepare<[], number>('SELECT COALESCE(MAX(global_position), 0) FROM events').pluck(),
  };
}

export type EventStatements = ReturnType<typeof prepareEventStatements>;
