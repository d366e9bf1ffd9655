/**
 * Worker thread entry of the audit's hash check (sqlite-hash-check.ts): one range of global
 * positions, read raw a page at a time from its own read-only connection, each event's hash
 * recomputed over the stored bytes and compared with the stored one.
 */
import { hash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { JsonKeys, NameTable } from './sqlite-event-codec';
import {
  canonicalActors,
  storedHashInput,
  type HashCheckJob,
  type HashCheckReply,
} from './sqlite-hash-check';
import { prepareEventStatements } from './sqlite-event-schema';
import type { HashMismatch } from '../../../application/ports/event-store.port';

const PAGE = 2_000;

function check({ file, from, to }: HashCheckJob): HashMismatch[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma(`mmap_size = ${2 ** 30}`);
    const { readAll } = prepareEventStatements(db);
    const keys = new JsonKeys(db);
    const types = new NameTable(db, 'event_types');
    const actor = canonicalActors();
    const mismatches: HashMismatch[] = [];
    // One snapshot for the whole range.
    db.transaction(() => {
      for (let position = from; position < to;) {
        const rows = readAll.all(position, PAGE);
        if (rows.length === 0) break;
        for (const row of rows) {
          if (row[0] > to) return;
          const stored = row[11];
          const computed = hash('sha256', storedHashInput(row, keys, types, actor), 'buffer');
          const same =
            typeof stored === 'string' ? computed.toString('hex') === stored : computed.equals(stored);
          if (!same) {
            mismatches.push({
              streamId: row[1],
              revision: row[2],
              globalPosition: row[0],
              type: types.name(row[3]),
            });
          }
        }
        position = rows[rows.length - 1][0];
      }
    })();
    return mismatches;
  } finally {
    db.close();
  }
}

const port = parentPort;
if (port) {
  let reply: HashCheckReply;
  try {
    reply = { ok: true, mismatches: check(workerData as HashCheckJob) };
  } catch (error) {
    reply = { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(reply);
}
