/**
 * Worker thread entry of the audit's chain and seal checks (sqlite-chain-check.ts): the seal
 * stream read and checked with the public key, then every event's place and hashes up to the
 * head, in one snapshot of its own read-only connection, through ChainAudit.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { ChainAudit } from '../../../application/audit/chain-audit';
import type { ChainAuditReport } from '../../../application/audit/chain-audit-report';
import { SEAL_STREAM } from '../../../application/audit/seal';
import { toRecordedEvent } from './sqlite-append';
import { prepareAuditReads } from './sqlite-audit-reads';
import type { ChainCheckJob, ChainCheckReply } from './sqlite-chain-check';
import { JsonKeys, NameTable } from './sqlite-event-codec';
import { prepareEventStatements } from './sqlite-event-schema';

const PAGE = 5_000;

function check({ file, headPosition, publicKeyPem }: ChainCheckJob): ChainAuditReport {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const { readStream } = prepareEventStatements(db);
    const { linksAfter } = prepareAuditReads(db);
    const tables = { keys: new JsonKeys(db), types: new NameTable(db, 'event_types') };
    return db.transaction(() => {
      // The seal events are not kept here: the audit lets each seal go once it is checked.
      const audit = new ChainAudit(
        readStream
          .all(SEAL_STREAM)
          .map((row) => toRecordedEvent(tables, row))
          .filter((event) => event.globalPosition <= headPosition),
        publicKeyPem,
        false,
      );
      // Pages rather than one iterator: better-sqlite3 hands rows over faster a page at a time.
      for (let from = 0; from < headPosition;) {
        const page = linksAfter.all(from, headPosition, PAGE);
        if (page.length === 0) break;
        for (const [position, streamId, revision, prevHash, hash] of page)
          audit.apply(streamId, revision, position, prevHash, hash);
        from = page[page.length - 1][0];
      }
      return audit.finish();
    })();
  } finally {
    db.close();
  }
}

const port = parentPort;
if (port) {
  let reply: ChainCheckReply;
  try {
    reply = { ok: true, report: check(workerData as ChainCheckJob) };
  } catch (error) {
    reply = { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(reply);
}
