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
import { prepareAuditReads, toEventRow } from './sqlite-audit-reads';
import type { HashMismatch } from '../../../application/ports/event-store.port';

const PAGE = 2_000;

function check({ file, from, to }: HashCheckJob): HashMismatch[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const { hashRowsAfter } = prepareAuditReads(db);
    const keys = new JsonKeys(db);
    const types = new NameTable(db, 'event_types');
    const actor = canonicalActors();
    const mismatches: HashMismatch[] = [];
    // One snapshot for the whole range.
    db.transaction(() => {
      for (let position = from; position < to;) {
        const page = hashRowsAfter.all(position, PAGE);
        if (page.length === 0) break;
        for (const row of page.map(toEventRow)) {
          if (row[0] > to) return;
          const stored = row[11];
          const input = storedHashInput(row, keys, types, actor);
          const same =
            typeof stored === 'string'
              ? hash('sha256', input, 'hex') === stored
              : hash('sha256', input, 'buffer').equals(stored);
          if (!same) {
            mismatches.push({
              streamId: row[1],
              revision: row[2],
              globalPosition: row[0],
              type: types.name(row[3]),
            });
          }
        }
        position = page[page.length - 1][0];
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
