import { WrongExpectedVersionError, type Position } from '@eventstore/db-client';
import {
  EventMetadata,
  ExpectedRevision,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '../../../application/ports/event-store.port';

/** The fields we read from the client's recorded events (stream reads, $all reads, subscriptions). */
export interface EsdbEventLike {
  streamId: string;
  revision: bigint;
  type: string;
  isJson: boolean;
  data: unknown;
  metadata: unknown;
  position?: Position;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The port's positions are numbers; ESDB's are unsigned 64-bit. Refuse rather than round: a
 * rounded position could compare equal to its neighbour and make a subscriber skip an event.
 * (Servers before 22.6 report 2^64-1 on stream reads, which also lands here.)
 */
export function toSafePosition(commit: bigint): number {
  if (commit < 0n || commit > MAX_SAFE) {
    throw new RangeError(`EventStoreDB commit position ${commit} does not fit a safe integer`);
  }
  return Number(commit);
}

/** The position a `fromPosition` number stands for (commit = prepare for non-transactional writes). */
export const toEsdbPosition = (position: number): Position => ({
  commit: BigInt(position),
  prepare: BigInt(position),
});

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** Ours, as opposed to ESDB's own `$` streams and event types, or a foreign binary event. */
export const isApplicationEvent = (event: EsdbEventLike): boolean =>
  event.isJson && !event.type.startsWith('$') && !event.streamId.startsWith('$');

export function fromEsdbEvent(event: EsdbEventLike): RecordedEvent {
  if (!event.position) {
    throw new Error(
      `EventStoreDB returned no position for ${event.streamId}@${event.revision} (server < 22.6?)`,
    );
  }
  return {
    streamId: event.streamId,
    revision: Number(event.revision),
    globalPosition: toSafePosition(event.position.commit),
    type: event.type,
    // JSON events we wrote: data is the object we appended, metadata our EventMetadata.
    data: event.data as Record<string, unknown>,
    metadata: event.metadata as EventMetadata,
  };
}

/** The client's conflict error in the port's terms; anything else passes through unchanged. */
export function toPortError(error: unknown, streamId: string, expected: ExpectedRevision): unknown {
  if (!(error instanceof WrongExpectedVersionError)) return error;
  const actual = error.actualVersion === 'no_stream' ? 'no_stream' : Number(error.actualVersion);
  return new WrongExpectedRevisionError(streamId, expected, actual);
}
