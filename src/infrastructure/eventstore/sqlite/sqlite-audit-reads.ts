import type Database from 'better-sqlite3';
import type { EventContent } from '../../../application/ports/event-store.port';
import type { ReaderTables } from './sqlite-append';
import { decodeTime } from './sqlite-event-codec';
import { hashText, STREAM_NAME_SQL, type EventRow } from './sqlite-event-schema';

/** A row of `contentAfter`: what the audit's rules read of an event. */
type ContentRow = [
  globalPosition: number,
  streamId: string,
  type: number,
  revision: number,
  data: string,
  recordedAt: number | string,
];

/** A row of `linksAfter`: what an event's hash chain needs. */
export type LinkRow = [
  globalPosition: number,
  streamId: string,
  revision: number,
  prevHash: string,
  hash: string,
];

/** An id column as two: its bytes in hex when a blob (else NULL), and its text when not (else NULL). */
const idHex = (column: string) =>
  `CASE typeof(${column}) WHEN 'blob' THEN lower(hex(${column})) END, CASE typeof(${column}) WHEN 'blob' THEN NULL ELSE ${column} END`;

/**
 * An event row for the hash check: EventRow's columns, but each id read once in hex and made a
 * UUID here (`toEventRow`), where readAll's SQL hexes each id five times to cut it up.
 */
type HashRow = [
  globalPosition: number,
  streamId: string,
  revision: number,
  type: number,
  data: string,
  eventIdHex: string | null,
  eventIdText: string | null,
  correlationHex: string | null,
  correlationText: string | null,
  causationHex: string | null,
  causationText: string | null,
  actor: string,
  recordedAt: number | string,
  prevHash: string,
  hash: string,
];

const uuidOf = (hex: string): string =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

/** A hash check row as readAll gives it (ids as UUIDs when stored as bytes). */
export function toEventRow(row: HashRow): EventRow {
  return [
    row[0],
    row[1],
    row[2],
    row[3],
    row[4],
    row[5] !== null ? uuidOf(row[5]) : row[6]!,
    row[7] !== null ? uuidOf(row[7]) : row[8]!,
    row[9] !== null ? uuidOf(row[9]) : row[10],
    row[11],
    row[12],
    row[13],
    row[14],
  ];
}

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
    linksAfter: db
      .prepare<[number, number, number], LinkRow>(
        `SELECT e.global_position, ${STREAM_NAME_SQL}, e.revision, ${hashText('e.prev_hash')}, ${hashText('e.hash')}
           FROM events e LEFT JOIN streams s ON s.id = e.stream
          WHERE e.global_position > ? AND e.global_position <= ? ORDER BY e.global_position LIMIT ?`,
      )
      .raw(true),
    hashRowsAfter: db
      .prepare<[number, number], HashRow>(
        `SELECT e.global_position, ${STREAM_NAME_SQL}, e.revision, e.type, e.data, ${idHex('e.event_id')},
                ${idHex('e.correlation')}, ${idHex('e.causation')}, COALESCE(a.actor, 'null'), e.recorded_at,
                ${hashText('e.prev_hash')}, ${hashText('e.hash')}
           FROM events e LEFT JOIN streams s ON s.id = e.stream LEFT JOIN actors a ON a.id = e.actor
          WHERE e.global_position > ? ORDER BY e.global_position LIMIT ?`,
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
