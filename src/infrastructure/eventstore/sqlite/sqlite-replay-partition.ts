import type Database from 'better-sqlite3';
import type { StreamFold } from '../../../application/audit/stream-fold';
import { JsonKeys, NameTable } from './sqlite-event-codec';
import { STREAM_NAME_SQL } from './sqlite-event-schema';

/** One worker's share of a replay: the streams whose partition key is `partition`, up to the cut. */
export interface ReplayPartition {
  /** How many partitions the log is split into (1: the whole log). */
  partitions: number;
  partition: number;
  /** The cut: events after this global position are left out (they came after the replay began). */
  headPosition: number;
  pageSize: number;
}

/**
 * The partition of a stream: its number in the streams table, computed by SQLite itself so that
 * rows of other partitions are stepped over without being copied out or parsed.
 */
export const PARTITION_KEY_SQL = 'e.stream';

type Row = [globalPosition: number, streamId: string, revision: number, type: number, data: string];

function preparePage(db: Database.Database, partitioned: boolean) {
  const where = partitioned ? `AND ${PARTITION_KEY_SQL} % ? = ?` : '';
  return db
    .prepare<unknown[], Row>(
      `SELECT e.global_position, ${STREAM_NAME_SQL}, e.revision, e.type, e.data FROM events e LEFT JOIN streams s ON s.id = e.stream
        WHERE e.global_position > ? AND e.global_position <= ? ${where}
        ORDER BY e.global_position LIMIT ?`,
    )
    .raw(true);
}

/**
 * Folds every event of one partition in global order, a page at a time (raw rows: no objects
 * per row, and metadata is never read). Each stream lies wholly in one partition, so its events
 * arrive in revision order.
 */
export function foldPartition(db: Database.Database, share: ReplayPartition, fold: StreamFold): void {
  const partitioned = share.partitions > 1;
  const page = preparePage(db, partitioned);
  const pageSize = Math.max(1, Math.floor(share.pageSize));
  const filter = partitioned ? [share.partitions, share.partition] : [];
  const keys = new JsonKeys(db);
  const types = new NameTable(db, 'event_types');
  let position = 0;
  for (;;) {
    const rows = page.all(position, share.headPosition, ...filter, pageSize);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      fold.applyJson(row[0], row[1], row[2], types.name(row[3]), keys.decode(row[4]));
    }
    if (rows.length < pageSize) return;
    position = rows[rows.length - 1][0];
  }
}
