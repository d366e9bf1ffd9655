import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { StoredId } from './sqlite-event-codec';

/** The events file's format (its `user_version`): a file of another format is refused. */
export const EVENT_STORE_FORMAT = 2;

/** A file written before this version: refused with one line rather than misread. */
export class EventStoreFormatError extends Error {
  constructor(file: string, found: number) {
    super(
      `${file} is in event store format ${found}, this version reads format ${EVENT_STORE_FORMAT} ` +
        '(smaller rows, see README "Event store on disk"); start with an empty DATA_DIR or keep running the earlier version on it',
    );
    this.name = 'EventStoreFormatError';
  }
}

/**
 * Format 2: a row per stream (its name, last revision and last event's position), a row per
 * event with numbers and bytes where text was (see sqlite-event-codec.ts), and small tables of
 * event types, actors and JSON keys.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS streams (
    id        INTEGER PRIMARY KEY,
    name      TEXT    NOT NULL UNIQUE,
    revision  INTEGER NOT NULL,
    last      INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS event_types (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
  CREATE TABLE IF NOT EXISTS actors (id INTEGER PRIMARY KEY, actor TEXT NOT NULL UNIQUE);
  CREATE TABLE IF NOT EXISTS json_keys (code TEXT PRIMARY KEY, key TEXT NOT NULL UNIQUE) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS events (
    global_position INTEGER PRIMARY KEY AUTOINCREMENT,
    stream          INTEGER NOT NULL,
    revision        INTEGER NOT NULL,
    event_id        BLOB    NOT NULL,
    type            INTEGER NOT NULL,
    data            TEXT    NOT NULL,
    correlation     BLOB    NOT NULL,
    causation       BLOB,
    actor           INTEGER NOT NULL,
    recorded_at     ANY     NOT NULL,
    prev_hash       BLOB    NOT NULL,
    hash            BLOB    NOT NULL,
    UNIQUE (stream, revision)
  );
`;

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
  const format = db.pragma('user_version', { simple: true }) as number;
  const hasEvents =
    db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'events'").pluck().get() === 1;
  if ((format === 0 && hasEvents) || (format !== 0 && format !== EVENT_STORE_FORMAT)) {
    db.close();
    throw new EventStoreFormatError(filePath, format === 0 ? 1 : format);
  }
  if (format === 0) {
    db.transaction(() => {
      db.exec(SCHEMA);
      db.pragma(`user_version = ${EVENT_STORE_FORMAT}`);
    }).immediate();
  }
  return db;
}

/** A row as selected in raw (array) mode: cheaper than objects on the replay path. */
export type EventRow = [
  globalPosition: number,
  streamId: string,
  revision: number,
  type: number,
  data: string,
  eventId: StoredId,
  correlation: StoredId,
  causation: StoredId | null,
  actor: string,
  recordedAt: number | string,
  prevHash: StoredId,
  hash: StoredId,
];

/** A row whose stream or actor row is gone (only an edit behind the store's back) still reads, never vanishes. */
export const STREAM_NAME_SQL = "COALESCE(s.name, 'stream#' || e.stream)";
/**
 * Ids and hashes come out as text, made by SQLite (no Buffer per column for the reader to make
 * and collect): a 16-byte id as a UUID, a 32-byte hash (or the empty genesis one) as hex; text
 * stored as text comes out as it is.
 */
const idText = (column: string) => `CASE typeof(${column}) WHEN 'blob' THEN lower(
    substr(hex(${column}), 1, 8) || '-' || substr(hex(${column}), 9, 4) || '-' || substr(hex(${column}), 13, 4) || '-' ||
    substr(hex(${column}), 17, 4) || '-' || substr(hex(${column}), 21)) ELSE ${column} END`;
export const hashText = (column: string) =>
  `CASE typeof(${column}) WHEN 'blob' THEN lower(hex(${column})) ELSE ${column} END`;
const columns = `e.global_position, ${STREAM_NAME_SQL}, e.revision, e.type, e.data, ${idText('e.event_id')},
  ${idText('e.correlation')}, ${idText('e.causation')}, COALESCE(a.actor, 'null'), e.recorded_at,
  ${hashText('e.prev_hash')}, ${hashText('e.hash')}`;
const joined = 'events e LEFT JOIN streams s ON s.id = e.stream LEFT JOIN actors a ON a.id = e.actor';

/** Every statement the store runs, prepared once. */
export function prepareEventStatements(db: Database.Database) {
  return {
    stream: db.prepare<[string], { id: number; revision: number; last: number }>(
      'SELECT id, revision, last FROM streams WHERE name = ?',
    ),
    insertStream: db.prepare<[string]>('INSERT INTO streams (name, revision, last) VALUES (?, -1, 0)'),
    moveStream: db.prepare<[number, number, number]>(
      'UPDATE streams SET revision = ?, last = ? WHERE id = ?',
    ),
    actor: db.prepare<[string], number>('SELECT id FROM actors WHERE actor = ?').pluck(),
    insertActor: db.prepare<[string]>('INSERT INTO actors (actor) VALUES (?)'),
    idsAfter: db.prepare<[number, number, number], { event_id: StoredId; global_position: number }>(
      `SELECT event_id, global_position FROM events
        WHERE stream = ? AND revision > ? ORDER BY revision LIMIT ?`,
    ),
    insert: db.prepare<
      [
        number,
        number,
        StoredId,
        number,
        string,
        StoredId,
        StoredId | null,
        number,
        number | string,
        StoredId,
        StoredId,
      ]
    >(
      `INSERT INTO events (stream, revision, event_id, type, data, correlation, causation, actor, recorded_at, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    readStream: db
      .prepare<[string], EventRow>(
        `SELECT ${columns} FROM ${joined} WHERE e.stream = (SELECT id FROM streams WHERE name = ?) ORDER BY e.revision`,
      )
      .raw(true),
    readLast: db
      .prepare<[string], EventRow>(
        `SELECT ${columns} FROM ${joined} WHERE e.stream = (SELECT id FROM streams WHERE name = ?)
          ORDER BY e.revision DESC LIMIT 1`,
      )
      .raw(true),
    readAll: db
      .prepare<[number, number], EventRow>(
        `SELECT ${columns} FROM ${joined} WHERE e.global_position > ? ORDER BY e.global_position LIMIT ?`,
      )
      .raw(true),
    heads: db
      .prepare<[], [name: string, revision: number, hash: StoredId, last: number, ordinal: number]>(
        `SELECT s.name, e.revision, ${hashText('e.hash')}, e.global_position, s.id - 1
           FROM streams s JOIN events e ON e.global_position = s.last ORDER BY s.id`,
      )
      .raw(true),
    streamOrdinal: db.prepare<[string], number>('SELECT id - 1 FROM streams WHERE name = ?').pluck(),
    head: db.prepare<[], number>('SELECT COALESCE(MAX(global_position), 0) FROM events').pluck(),
  };
}

export type EventStatements = ReturnType<typeof prepareEventStatements>;
