import { createHash } from 'node:crypto';
import { canonicalJson } from '../event-sourcing/canonical-json';

/** An event whose fold threw (or whose data did not parse): the stream's state is unknown from there on. */
export interface StreamFailure {
  streamId: string;
  revision: number;
  globalPosition: number;
  type: string;
  error: string;
  /** Later events of the stream, not folded. */
  eventsSkipped: number;
}

export interface KindTally {
  streams: number;
  events: number;
}

/** A stream's final state as a hash, for comparing two replays without shipping the states. */
export type StateHash = [streamId: string, revision: number, hash: string];

/** What folding one share of the log (one partition) came to. */
export interface FoldTally {
  /** Events read, folded or not. */
  events: number;
  /** Events folded into their aggregate's state without error. */
  eventsFolded: number;
  streams: number;
  /** Per stream kind (`order`, `payment`, ...), every kind seen. */
  byKind: Record<string, KindTally>;
  /** Kinds no decider owns: their events are counted, not folded. */
  unknownKinds: string[];
  failures: StreamFailure[];
  /** Only when asked for (a digest costs a hash of every final state). */
  stateHashes?: StateHash[];
}

/** A whole replay: the partitions' tallies added up. */
export interface ReplaySummary extends Omit<FoldTally, 'stateHashes'> {
  /** The cut the replay read: every event at or before this global position, none after. */
  headPosition: number;
  /** How the work was spread: one entry per partition (worker). */
  partitions: Array<{ events: number; streams: number }>;
  /** Hash over every stream's final state and revision (failed streams excluded), when asked for. */
  digest?: string;
}

export function stateHash(state: unknown): string {
  return createHash('sha256').update(canonicalJson(state)).digest('hex');
}

/** Independent of how the streams were partitioned or the order they were folded in. */
export function replayDigest(hashes: readonly StateHash[]): string {
  const sorted = [...hashes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const digest = createHash('sha256');
  for (const [streamId, revision, hash] of sorted) digest.update(`${streamId}\n${revision}\n${hash}\n`);
  return digest.digest('hex');
}

export function mergeTallies(parts: readonly FoldTally[], headPosition: number): ReplaySummary {
  const byKind: Record<string, KindTally> = {};
  for (const part of parts) {
    for (const [kind, tally] of Object.entries(part.byKind)) {
      const sum = (byKind[kind] ??= { streams: 0, events: 0 });
      sum.streams += tally.streams;
      sum.events += tally.events;
    }
  }
  const total = (pick: (part: FoldTally) => number) => parts.reduce((n, part) => n + pick(part), 0);
  const hashed = parts.every((part) => part.stateHashes !== undefined);
  return {
    headPosition,
    events: total((p) => p.events),
    eventsFolded: total((p) => p.eventsFolded),
    streams: total((p) => p.streams),
    byKind,
    unknownKinds: [...new Set(parts.flatMap((p) => p.unknownKinds))].sort(),
    failures: parts.flatMap((p) => p.failures).sort((a, b) => a.globalPosition - b.globalPosition),
    partitions: parts.map((p) => ({ events: p.events, streams: p.streams })),
    ...(hashed ? { digest: replayDigest(parts.flatMap((p) => p.stateHashes ?? [])) } : {}),
  };
}
