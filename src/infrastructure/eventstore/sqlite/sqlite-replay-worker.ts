/**
 * Worker thread entry of SqliteParallelReplay. It opens the store read-only once (WAL lets it
 * read beside the writer and the other workers), then folds one partition of the log per job
 * it is sent. It posts back only the tally, never the states: cloning them to the parent
 * would cost what the worker saved.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { FoldTally } from '../../../application/audit/replay-summary';
import { StreamFold } from '../../../application/audit/stream-fold';
import { foldPartition, type ReplayPartition } from './sqlite-replay-partition';

export interface ReplayJob extends ReplayPartition {
  stateHashes: boolean;
}

export type ReplayReply = { ok: true; tally: FoldTally } | { ok: false; error: string };

const port = parentPort;
if (port) {
  const db = new Database((workerData as { file: string }).file, { readonly: true, fileMustExist: true });
  // Every worker scans the whole table: mapped pages spare a read() and a copy of each one.
  db.pragma(`mmap_size = ${2 ** 30}`);
  port.on('message', (job: ReplayJob) => {
    let reply: ReplayReply;
    try {
      const fold = new StreamFold();
      foldPartition(db, job, fold);
      reply = { ok: true, tally: fold.tally({ stateHashes: job.stateHashes }) };
    } catch (error) {
      reply = { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    port.postMessage(reply);
  });
}
