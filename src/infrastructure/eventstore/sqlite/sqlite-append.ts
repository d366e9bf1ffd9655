import {
  EventMetadata,
  EventToAppend,
  ExpectedRevision,
  RecordedEvent,
} from '../../../application/ports/event-store.port';
import { EventRow, EventStatements } from './sqlite-event-schema';

/** One append as the writer thread gets it: the events already serialised, so only strings cross. */
export interface WireAppend {
  streamId: string;
  expected: ExpectedRevision;
  events: WireEvent[];
}

export interface WireEvent {
  eventId: string;
  type: string;
  data: string;
  metadata: string;
}

/** What one append of a committed batch came to. */
export type WireOutcome =
  | {
      ok: true;
      nextRevision: number;
      globalPosition: number;
      /** Global positions of the events written; empty when it was a retry of an earlier append. */
      positions: number[];
    }
  | { ok: false; actual: number | 'no_stream' };

export function toWire(streamId: string, events: EventToAppend[], expected: ExpectedRevision): WireAppend {
  const wire: WireEvent[] = new Array(events.length);
  for (let i = 0; i < events.length; i++) {
    const { type, data, metadata } = events[i];
    wire[i] = {
      eventId: metadata.eventId,
      type,
      data: JSON.stringify(data),
      metadata: JSON.stringify(metadata),
    };
  }
  return { streamId, expected, events: wire };
}

/**
 * One append, run inside the batch's transaction, so the check and the insert see the same
 * stream state. A wrong expected revision is found before anything is written, so it fails
 * this append alone; any other error throws, and the whole batch rolls back.
 */
export function applyAppend(stmts: EventStatements, { streamId, events, expected }: WireAppend): WireOutcome {
  const current = stmts.lastRevision.get(streamId) ?? -1;
  const expectedNumber = expected === 'no_stream' ? -1 : expected;

  if (current === expectedNumber) {
    if (events.length === 0) {
      const globalPosition = stmts.lastPositionOf.get(streamId) ?? 0;
      return { ok: true, nextRevision: current, globalPosition, positions: [] };
    }
    const positions: number[] = new Array(events.length);
    for (let i = 0; i < events.length; i++) {
      const { eventId, type, data, metadata } = events[i];
      const info = stmts.insert.run(streamId, expectedNumber + 1 + i, eventId, type, data, metadata);
      positions[i] = Number(info.lastInsertRowid);
    }
    const globalPosition = positions[positions.length - 1];
    return { ok: true, nextRevision: expectedNumber + events.length, globalPosition, positions };
  }

  if (current > expectedNumber && events.length > 0) {
    const retried = findRetriedAppend(stmts, streamId, events, expectedNumber);
    if (retried) return retried;
  }
  return { ok: false, actual: current === -1 ? 'no_stream' : current };
}

/** The original result when the events right after `expected` carry exactly these ids. */
function findRetriedAppend(
  stmts: EventStatements,
  streamId: string,
  events: WireEvent[],
  expectedNumber: number,
): WireOutcome | undefined {
  const stored = stmts.idsAfter.all(streamId, expectedNumber, events.length);
  if (stored.length !== events.length) return undefined;
  const same = stored.every((row, i) => row.event_id === events[i].eventId);
  if (!same) return undefined;
  return {
    ok: true,
    nextRevision: expectedNumber + events.length,
    globalPosition: stored[stored.length - 1].global_position,
    positions: [],
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
