/**
 * Worker thread entry of SqliteWriter: the only connection that writes the event store. It
 * commits each batch it is sent in one IMMEDIATE transaction (synchronous=FULL: one fsync),
 * so the commit and its wait for the disk never block the service's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { applyAppend, type WireAppend, type WireOutcome, type WriterTables } from './sqlite-append';
import { JsonKeys, NameTable } from './sqlite-event-codec';
import { openEventDatabase, prepareEventStatements } from './sqlite-event-schema';

export interface WriterData {
  file: string;
  busyTimeoutMs: number;
}

export type WriterRequest = { kind: 'commit'; appends: WireAppend[] } | { kind: 'close' };

export type WriterReply =
  { kind: 'committed'; outcomes: WireOutcome[] } | { kind: 'failed'; message: string } | { kind: 'closed' };

const port = parentPort;
if (port) {
  const { file, busyTimeoutMs } = workerData as WriterData;
  const db = openEventDatabase(file, busyTimeoutMs);
  // Checkpoints run apart (WalCheckpointer); inside a commit they would stall this writer.
  db.pragma('wal_autocheckpoint = 0');
  const stmts = prepareEventStatements(db);
  const tables: WriterTables = {
    keys: new JsonKeys(db, true),
    types: new NameTable(db, 'event_types', true),
    actors: new Map(),
  };
  // IMMEDIATE takes the write lock up front, so another process cannot make us fail mid-batch.
  const transaction = db.transaction((appends: WireAppend[]) =>
    appends.map((a) => applyAppend(stmts, tables, a)),
  );
  const commit = (appends: WireAppend[]): WireOutcome[] => {
    try {
      const outcomes = transaction.immediate(appends);
      tables.keys.keep();
      tables.types.keep();
      return outcomes;
    } catch (error) {
      // Rolled back: names the batch added are not in the file.
      tables.keys.forget();
      tables.types.forget();
      tables.actors.clear();
      throw error;
    }
  };
  const reply = (message: WriterReply): void => port.postMessage(message);

  port.on('message', (request: WriterRequest) => {
    if (request.kind === 'close') {
      db.close();
      reply({ kind: 'closed' });
      port.close();
      return;
    }
    try {
      reply({ kind: 'committed', outcomes: commit(request.appends) });
    } catch (error) {
      reply({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  });
}
