import type { ReplaySummary } from '../audit/replay-summary';

/**
 * A1: replays the whole event store, folding every stream with its decider, without the read
 * models. Adapters may split the work (the SQLite one folds streams on worker threads); the
 * summary is the same however it was split.
 */
export interface HistoryReplay {
  replay(): Promise<ReplaySummary>;
  /** Ends whatever the replay keeps between runs (worker threads). */
  close(): Promise<void>;
}
