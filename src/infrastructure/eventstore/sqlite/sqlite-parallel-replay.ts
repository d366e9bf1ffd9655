import os from 'node:os';
import Database from 'better-sqlite3';
import { mergeTallies, type ReplaySummary } from '../../../application/audit/replay-summary';
import type { HistoryReplay } from '../../../application/ports/history-replay.port';
import { ReplayThread } from './sqlite-replay-thread';
import { workerFile } from '../../sqlite/worker-file';

export interface SqliteReplayOptions {
  /** Worker threads, each folding its share of the streams (default: one per CPU). */
  workers?: number;
  /** Rows per read (default 1000). */
  pageSize?: number;
  /** Also hash every final state into the summary's `digest` (default false: a hash per stream). */
  digest?: boolean;
}

/**
 * A1's replay of the SQLite store, split by stream across worker threads, so SQLite row
 * stepping, JSON parsing, folding and GC run on every core. Each worker folds whole streams
 * in global order on its own read-only connection; all read the same cut (the head when the
 * replay began), and the event count of that cut is checked against what the workers folded.
 * The workers are kept for later replays until close(); replays run one at a time.
 */
export class SqliteParallelReplay implements HistoryReplay {
  private readonly workers: number;
  private readonly pageSize: number;
  private readonly digest: boolean;
  private threads: ReplayThread[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly file: string,
    options: SqliteReplayOptions = {},
  ) {
    this.workers = Math.max(1, Math.floor(options.workers ?? os.availableParallelism()));
    this.pageSize = Math.max(1, Math.floor(options.pageSize ?? 1000));
    this.digest = options.digest ?? false;
  }

  replay(): Promise<ReplaySummary> {
    const run = this.queue.then(() => this.replayNow());
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    await this.discardThreads();
  }

  private async replayNow(): Promise<ReplaySummary> {
    if (this.closed) throw new Error('replay is closed');
    const db = new Database(this.file, { readonly: true, fileMustExist: true });
    try {
      const headPosition =
        db.prepare<[], number>('SELECT COALESCE(MAX(global_position), 0) FROM events').pluck().get() ?? 0;
      // What the partitions must add up to. The UNIQUE (stream_id, revision) index holds every
      // row's position in far fewer pages than the table, so counting through it is cheap.
      const expected = db
        .prepare<[number], number>(
          'SELECT COUNT(*) FROM events INDEXED BY sqlite_autoindex_events_1 WHERE global_position <= ?',
        )
        .pluck()
        .get(headPosition);
      const threads = await this.liveThreads();
      const running = threads.map((thread, partition) =>
        thread.fold({
          partitions: threads.length,
          partition,
          headPosition,
          pageSize: this.pageSize,
          stateHashes: this.digest,
        }),
      );
      const tallies = await Promise.all(running).catch(async (error: unknown) => {
        await this.discardThreads();
        throw error;
      });
      const summary = mergeTallies(tallies, headPosition);
      if (summary.events !== expected) {
        throw new Error(`replay folded ${summary.events} of the ${expected} events up to ${headPosition}`);
      }
      return summary;
    } finally {
      db.close();
    }
  }

  private async liveThreads(): Promise<ReplayThread[]> {
    if (this.threads.some((thread) => thread.dead)) await this.discardThreads();
    if (this.threads.length === 0) {
      const file = workerFile(__dirname, 'sqlite-replay-worker.js');
      this.threads = Array.from({ length: this.workers }, () => new ReplayThread(file, this.file));
    }
    return this.threads;
  }

  private async discardThreads(): Promise<void> {
    const threads = this.threads;
    this.threads = [];
    await Promise.all(threads.map((thread) => thread.terminate()));
  }
}

/** One replay with a pool of its own: what a one-shot auditor run needs. */
export async function replaySqliteEventStore(
  file: string,
  options: SqliteReplayOptions = {},
): Promise<ReplaySummary> {
  const replay = new SqliteParallelReplay(file, options);
  try {
    return await replay.replay();
  } finally {
    await replay.close();
  }
}
