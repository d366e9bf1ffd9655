import type Database from 'better-sqlite3';
import type { StreamFold } from '../../../application/audit/stream-fold';

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
 * The partition of a stream, computed by SQLite itself so that rows of other partitions are
 * stepped over without being copied out or parsed. Stream ids end in random characters (order
 * ids are base64url) or in a user id (often numbered), so the last two characters are mixed:
 * the last one alone spreads badly for 3 or 4 partitions (character codes of digits and letters
 * are not uniform modulo 4). COALESCE keeps ids of one character (or none) in partition 0.
 */
export const PARTITION_KEY_SQL =
  '(COALESCE(unicode(substr(stream_id, -1)), 0) + 7 * COALESCE(unicode(substr(stream_id, -2, 1)), 0))';

type Row = [globalPosition: number, streamId: string, revision: number, type: string, data: string];

function preparePage(db: Database.Database, partitioned: boolean) {
  const where = partitioned ? `AND ${PARTITION_KEY_SQL} % ? = ?` : '';
  return db
    .prepare<unknown[], Row>(
      `SELECT global_position, stream_id, revision, type, data FROM events
        WHERE global_position > ? AND global_position <= ? ${where}
        ORDER BY global_position LIMIT ?`,
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
  let position = 0;
  for (;;) {
    const rows = page.all(position, share.headPosition, ...filter, pageSize);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      fold.applyJson(row[0], row[1], row[2], row[3], row[4]);
    }
    if (rows.length < pageSize) return;
    position = rows[rows.length - 1][0];
  }
}
