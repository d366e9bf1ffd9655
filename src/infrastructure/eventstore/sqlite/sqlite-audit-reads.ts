import type Database from 'better-sqlite3';
import type { EventContent } from '../../../application/ports/event-store.port';
import type { ReaderTables } from './sqlite-append';
import { decodeTime } from './sqlite-event-codec';
import { hashText, STREAM_NAME_SQL } from './sqlite-event-schema';

/** A row of `contentAfter`: what the audit's rules read of an event. */
type ContentRow = [
  globalPosition: number,
  streamId: string,
  type: number,
  revision: number,
  data: string,
  recordedAt: number | string,
];

/** A row of `linksUpTo`: what an event's hash chain needs. */
export type LinkRow = [
  globalPosition: number,
  streamId: string,
  revision: number,
  prevHash: string,
  hash: string,
];

/**
 * The audit's two reads of the log when it runs on two threads: the rules' (no ids, actor or
 * hashes, none of one stream's events: the seals') and the chains' (place and hashes only, the
 * hashes as hex made by SQLite).
 */
export function prepareAuditReads(db: Database.Database) {
  return {
    contentAfter: db
      .prepare<[number, string, number], ContentRow>(
        `SELECT e.global_position, ${STREAM_NAME_SQL}, e.type, e.revision, e.data, e.recorded_at
           FROM events e LEFT JOIN streams s ON s.id = e.stream
          WHERE e.global_position > ? AND e.stream IS NOT (SELECT id FROM streams WHERE name = ?)
          ORDER BY e.global_position LIMIT ?`,
      )
      .raw(true),
    linksUpTo: db
      .prepare<[number], LinkRow>(
        `SELECT e.global_position, ${STREAM_NAME_SQL}, e.revision, ${hashText('e.prev_hash')}, ${hashText('e.hash')}
           FROM events e LEFT JOIN streams s ON s.id = e.stream
          WHERE e.global_position <= ? ORDER BY e.global_position`,
      )
      .raw(true),
  };
}

export type AuditReads = ReturnType<typeof prepareAuditReads>;

/** A content row as the rules' event: the data decoded and parsed, the time back in ISO-8601. */
export function toEventContent(tables: ReaderTables, row: ContentRow): EventContent {
  return {
    globalPosition: row[0],
    streamId: row[1],
    revision: row[3],
    type: tables.types.name(row[2]),
    data: JSON.parse(tables.keys.decode(row[4])) as Record<string, unknown>,
    metadata: { recordedAt: decodeTime(row[5]) },
  };
}
