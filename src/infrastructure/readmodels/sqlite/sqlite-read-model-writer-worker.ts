/**
 * Worker thread entry of SqliteReadModelWriter: the connection that writes the read-model file's
 * documents and checkpoints. Each window it is sent is one IMMEDIATE transaction, tables made on
 * first use inside it, so the statements, the index upkeep and the commit never run on the
 * service's event loop. Between windows it copies the WAL back into the file (a PASSIVE
 * checkpoint, at most every CHECKPOINT_EVERY_MS): one thread for both, as a checkpoint only
 * delays the next window, which nobody but a query of its collection waits for.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import {
  createTableSql,
  existingCollections,
  openReadModelDatabase,
  quoteIdentifier,
  tableName,
} from './sqlite-read-model-schema';

export interface ReadModelWriterData {
  file: string;
  busyTimeoutMs: number;
}

/** A document's new JSON, or null for a deletion. */
export type WireDoc = [collection: string, id: string, json: string | null];

export type ReadModelWriteRequest =
  | { kind: 'commit'; docs: WireDoc[]; checkpoints: Array<[name: string, position: number]> }
  /** The main connection changed the schema (dropped tables): what this thread knew of it is stale. */
  | { kind: 'forget' }
  | { kind: 'close' };

export type ReadModelWriteReply =
  { kind: 'committed' } | { kind: 'failed'; message: string } | { kind: 'closed' };

const CHECKPOINT_EVERY_MS = 500;

interface Statements {
  put: Database.Statement<[string, string]>;
  delete: Database.Statement<[string]>;
}

const port = parentPort;
if (port) {
  const { file, busyTimeoutMs } = workerData as ReadModelWriterData;
  const db = openReadModelDatabase(file, busyTimeoutMs);
  // Checkpoints run between windows (below), never inside a commit.
  db.pragma('wal_autocheckpoint = 0');
  const checkpoints = setInterval(() => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // busy or closing: the next turn
    }
  }, CHECKPOINT_EVERY_MS);
  const checkpointPut = db.prepare<[string, number]>(
    'INSERT INTO checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position',
  );
  let tables = new Set(existingCollections(db));
  const statements = new Map<string, Statements>();
  /** What this thread knew of the schema is stale: the tables are read again, statements made anew. */
  const relearn = () => {
    statements.clear();
    tables = new Set(existingCollections(db));
  };

  const statementsFor = (collection: string, created: string[]): Statements => {
    let found = statements.get(collection);
    if (found !== undefined) return found;
    if (!tables.has(collection)) {
      db.exec(createTableSql(collection));
      created.push(collection);
    }
    const table = quoteIdentifier(tableName(collection));
    found = {
      put: db.prepare(
        `INSERT INTO ${table} (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`,
      ),
      delete: db.prepare(`DELETE FROM ${table} WHERE id = ?`),
    };
    statements.set(collection, found);
    return found;
  };

  const write = db.transaction((request: Extract<ReadModelWriteRequest, { kind: 'commit' }>) => {
    const created: string[] = [];
    for (const [collection, id, json] of request.docs) {
      const { put, delete: remove } = statementsFor(collection, created);
      if (json === null) remove.run(id);
      else put.run(id, json);
    }
    for (const [name, position] of request.checkpoints) checkpointPut.run(name, position);
    return created;
  });

  port.on('message', (request: ReadModelWriteRequest) => {
    if (request.kind === 'close') {
      clearInterval(checkpoints);
      db.close();
      port.postMessage({ kind: 'closed' } satisfies ReadModelWriteReply);
      port.close();
      return;
    }
    if (request.kind === 'forget') {
      relearn();
      return;
    }
    try {
      // IMMEDIATE: the write lock up front, so another connection cannot fail it half-way.
      const created = write.immediate(request);
      for (const collection of created) tables.add(collection);
      port.postMessage({ kind: 'committed' } satisfies ReadModelWriteReply);
    } catch (error) {
      // Rolled back: a table made inside it is gone again, and its statements with it.
      relearn();
      port.postMessage({
        kind: 'failed',
        message: error instanceof Error ? error.message : String(error),
      } satisfies ReadModelWriteReply);
    }
  });
}
