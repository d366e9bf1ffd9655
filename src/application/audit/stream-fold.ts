import { streamKind } from '../event-sourcing/projection';
import type { FoldTally, StateHash, StreamFailure } from './replay-summary';
import { stateHash } from './replay-summary';
import { evolverOfKind, type StreamEvolver } from './stream-deciders';

interface Stream {
  kind: string;
  evolver: StreamEvolver | undefined;
  state: unknown;
  revision: number;
  events: number;
  failure: StreamFailure | undefined;
}

/**
 * A1's fold: every event, in global order, folded into its stream's state with the domain
 * deciders. Streams are independent, so any split of the log by stream folds to the same
 * states. An event whose `evolve` throws (or whose data is not JSON) is reported as the
 * stream's failure, and the stream's later events are counted but not folded.
 */
export class StreamFold {
  private readonly streams = new Map<string, Stream>();
  private events = 0;
  private folded = 0;

  /** One stored event with its data still as JSON text (the replay's hot path). */
  applyJson(globalPosition: number, streamId: string, revision: number, type: string, json: string): void {
    const stream = this.streamOf(streamId);
    this.events++;
    stream.events++;
    if (stream.evolver === undefined) return;
    if (stream.failure !== undefined) {
      stream.failure.eventsSkipped++;
      return;
    }
    try {
      const data = JSON.parse(json) as object;
      stream.state = stream.evolver.evolve(stream.state, { type, data });
      stream.revision = revision;
      this.folded++;
    } catch (error) {
      stream.failure = { streamId, revision, globalPosition, type, error: String(error), eventsSkipped: 0 };
    }
  }

  tally(options: { stateHashes?: boolean } = {}): FoldTally {
    const byKind: FoldTally['byKind'] = {};
    const unknownKinds = new Set<string>();
    const failures: StreamFailure[] = [];
    const hashes: StateHash[] = [];
    for (const [streamId, stream] of this.streams) {
      const kind = (byKind[stream.kind] ??= { streams: 0, events: 0 });
      kind.streams++;
      kind.events += stream.events;
      if (stream.evolver === undefined) unknownKinds.add(stream.kind);
      else if (stream.failure !== undefined) failures.push(stream.failure);
      else if (options.stateHashes) hashes.push([streamId, stream.revision, stateHash(stream.state)]);
    }
    return {
      events: this.events,
      eventsFolded: this.folded,
      streams: this.streams.size,
      byKind,
      unknownKinds: [...unknownKinds].sort(),
      failures,
      ...(options.stateHashes ? { stateHashes: hashes } : {}),
    };
  }

  private streamOf(streamId: string): Stream {
    let stream = this.streams.get(streamId);
    if (stream === undefined) {
      const kind = streamKind(streamId);
      const evolver = evolverOfKind(kind);
      stream = {
        kind,
        evolver,
        state: evolver?.initialState,
        revision: -1,
        events: 0,
        failure: undefined,
      };
      this.streams.set(streamId, stream);
    }
    return stream;
  }
}
