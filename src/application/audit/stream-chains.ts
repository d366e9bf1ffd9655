import { eventHash, GENESIS_HASH } from '../event-sourcing/event-hash';
import type { RecordedEvent } from '../ports/event-store.port';
import type { Finding } from './audit-finding';
import type { StreamHead } from './merkle-root';

/** The finding for an event whose content no longer gives its stored hash. */
export function hashMismatch(event: {
  streamId: string;
  revision: number;
  globalPosition: number;
  type: string;
}): Finding {
  return {
    streamId: event.streamId,
    globalPosition: event.globalPosition,
    kind: 'hash-mismatch',
    revision: event.revision,
    detail: `${event.type} does not match its own hash: its content was changed`,
  };
}

/** One stream as the audit has read it so far. */
export interface StreamTrack {
  /** Revision + 1 of the last event read: how many events the stream claims to hold. */
  count: number;
  /** The last event's stored hash. */
  head: string;
  /** Global position of each revision read (by revision). */
  positions: number[];
  /** Events below this count are vouched for by a seal whose head matched. */
  proven: number;
}

/**
 * Every stream's hash chain, checked event by event in global order (A2): revisions follow one
 * another, each prevHash is its predecessor's hash, and each hash is recomputed from the event.
 * After a finding the chain resumes from the event read, so one tampered event is reported
 * once, not again for every event after it.
 */
export class StreamChains {
  readonly streams = new Map<string, StreamTrack>();

  /** `checkHashes` false: the store checks them (EventStore.findHashMismatches), see `hashMismatch`. */
  constructor(
    private readonly findings: Finding[],
    private readonly checkHashes = true,
  ) {}

  /** The next event in global order, hash recomputed too unless the store checks them. */
  apply(event: RecordedEvent): StreamTrack {
    const { streamId, revision, globalPosition, metadata } = event;
    const track = this.link(streamId, revision, globalPosition, metadata.prevHash, metadata.hash);
    if (this.checkHashes) {
      const { hash: stored, ...rest } = metadata;
      if (eventHash({ streamId, revision, type: event.type, data: event.data, metadata: rest }) !== stored)
        this.findings.push(hashMismatch({ streamId, revision, globalPosition, type: event.type }));
    }
    return track;
  }

  /** The next event in global order, by what its chain needs alone: its place and its hashes. */
  link(
    streamId: string,
    revision: number,
    globalPosition: number,
    prevHash: string,
    hash: string,
  ): StreamTrack {
    let track = this.streams.get(streamId);
    if (track === undefined) {
      track = { count: 0, head: GENESIS_HASH, positions: [], proven: 0 };
      this.streams.set(streamId, track);
    }
    if (revision > track.count) {
      this.findings.push({
        streamId,
        globalPosition,
        kind: 'revision-gap',
        revision: track.count,
        toRevision: revision - 1,
        detail: `revisions ${track.count}–${revision - 1} are missing before revision ${revision}`,
      });
    } else if (revision < track.count) {
      this.findings.push({
        streamId,
        globalPosition,
        kind: 'revision-out-of-order',
        revision,
        detail: `revision ${revision} comes after revision ${track.count - 1} in the log`,
      });
    } else if (prevHash !== track.head) {
      this.findings.push({
        streamId,
        globalPosition,
        kind: 'chain-broken',
        revision,
        detail:
          revision === 0
            ? 'the first event of the stream links to a predecessor'
            : `prevHash does not match revision ${revision - 1}'s hash: an event before it was replaced or re-hashed`,
      });
    }
    track.count = Math.max(track.count, revision + 1);
    if (revision + 1 >= track.count) track.head = hash;
    track.positions[revision] = globalPosition;
    return track;
  }

  /** Every stream's head as read so far (streams listed in `except` left out). */
  heads(except: string): StreamHead[] {
    const heads: StreamHead[] = [];
    for (const [streamId, { count, head }] of this.streams) {
      if (streamId !== except) heads.push({ streamId, count, head });
    }
    return heads;
  }
}
