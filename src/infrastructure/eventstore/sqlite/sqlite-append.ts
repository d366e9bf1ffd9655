import {
  AppendResult,
  EventMetadata,
  EventToAppend,
  ExpectedRevision,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '../../../application/ports/event-store.port';
import { EventRow, EventStatements } from './sqlite-event-schema';

export interface AppendRequest {
  streamId: string;
  events: EventToAppend[];
  expected: ExpectedRevision;
}

/** What one append came to, and the events it wrote (none when it was a retry of an earlier one). */
export interface AppliedAppend {
  result: AppendResult;
  written: RecordedEvent[];
}

/**
 * One append, run inside the caller's transaction (a savepoint of the group commit), so the
 * check and the insert see the same stream state. Throws WrongExpectedRevisionError.
 */
export function applyAppend(
  stmts: EventStatements,
  { streamId, events, expected }: AppendRequest,
): AppliedAppend {
  const current = stmts.lastRevision.get(streamId) ?? -1;
  const expectedNumber = expected === 'no_stream' ? -1 : expected;

  if (current === expectedNumber) {
    if (events.length === 0) {
      const globalPosition = stmts.lastPositionOf.get(streamId) ?? 0;
      return { result: { nextRevision: current, globalPosition }, written: [] };
    }
    const written: RecordedEvent[] = new Array(events.length);
    for (let i = 0; i < events.length; i++) {
      const { type, data, metadata } = events[i];
      const revision = expectedNumber + 1 + i;
      const info = stmts.insert.run(
        streamId,
        revision,
        metadata.eventId,
        type,
        JSON.stringify(data),
        JSON.stringify(metadata),
      );
      written[i] = { globalPosition: Number(info.lastInsertRowid), streamId, revision, type, data, metadata };
    }
    const globalPosition = written[written.length - 1].globalPosition;
    return { result: { nextRevision: expectedNumber + events.length, globalPosition }, written };
  }

  if (current > expectedNumber && events.length > 0) {
    const retried = findRetriedAppend(stmts, streamId, events, expectedNumber);
    if (retried) return { result: retried, written: [] };
  }
  throw new WrongExpectedRevisionError(streamId, expected, current === -1 ? 'no_stream' : current);
}

/** The original result when the events right after `expected` carry exactly these ids. */
function findRetriedAppend(
  stmts: EventStatements,
  streamId: string,
  events: EventToAppend[],
  expectedNumber: number,
): AppendResult | undefined {
  const stored = stmts.idsAfter.all(streamId, expectedNumber, events.length);
  if (stored.length !== events.length) return undefined;
  const same = stored.every((row, i) => row.event_id === events[i].metadata.eventId);
  if (!same) return undefined;
  return {
    nextRevision: expectedNumber + events.length,
    globalPosition: stored[stored.length - 1].global_position,
  };
}

/**
 * Metadata is parsed on first use: folding a stream needs only its last event's hash, and a
 * replay needs none, so most events never pay for it. It is an own enumerable property, so
 * spreading or serialising an event still carries it.
 */
export function toRecordedEvent(row: EventRow): RecordedEvent {
  const event = {
    globalPosition: row[0],
    streamId: row[1],
    revision: row[2],
    type: row[3],
    data: JSON.parse(row[4]) as Record<string, unknown>,
  } as RecordedEvent;
  let metadata: EventMetadata | undefined;
  Object.defineProperty(event, 'metadata', {
    enumerable: true,
    configurable: true,
    get: () => (metadata ??= JSON.parse(row[5]) as EventMetadata),
    set: (value: EventMetadata) => (metadata = value),
  });
  return event;
}
