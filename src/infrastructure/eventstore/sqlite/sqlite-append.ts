import { canonicalJson } from '../../../application/event-sourcing/canonical-json';
import {
  EventMetadata,
  EventToAppend,
  ExpectedRevision,
  RecordedEvent,
} from '../../../application/ports/event-store.port';
import {
  decodeHash,
  decodeId,
  decodeTime,
  encodeHash,
  encodeId,
  encodeTime,
  type JsonKeys,
  type NameTable,
} from './sqlite-event-codec';
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
  /** Canonical JSON: what the event's hash covers, so stored as it is hashed. */
  data: string;
  correlationId: string;
  causationId: string;
  /** The actor as JSON, in its own key order (metadata reads back byte for byte). */
  actor: string;
  recordedAt: string;
  prevHash: string;
  hash: string;
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
      data: canonicalJson(data),
      correlationId: metadata.correlationId,
      causationId: metadata.causationId,
      actor: JSON.stringify(metadata.actor),
      recordedAt: metadata.recordedAt,
      prevHash: metadata.prevHash,
      hash: metadata.hash,
    };
  }
  return { streamId, expected, events: wire };
}

/** The writer's dictionaries: JSON keys, event types, and actors (looked up, cached a while). */
export interface WriterTables {
  keys: JsonKeys;
  types: NameTable;
  actors: Map<string, number>;
}

const MAX_CACHED_ACTORS = 50_000;

function actorId(stmts: EventStatements, tables: WriterTables, actor: string): number {
  let id = tables.actors.get(actor);
  if (id === undefined) {
    id = stmts.actor.get(actor) ?? Number(stmts.insertActor.run(actor).lastInsertRowid);
    if (tables.actors.size >= MAX_CACHED_ACTORS) tables.actors.clear();
    tables.actors.set(actor, id);
  }
  return id;
}

/**
 * One append, run inside the batch's transaction, so the check and the insert see the same
 * stream state. A wrong expected revision is found before anything is written, so it fails
 * this append alone; any other error throws, and the whole batch rolls back.
 */
export function applyAppend(
  stmts: EventStatements,
  tables: WriterTables,
  { streamId, events, expected }: WireAppend,
): WireOutcome {
  const stream = stmts.stream.get(streamId);
  const current = stream?.revision ?? -1;
  const expectedNumber = expected === 'no_stream' ? -1 : expected;

  if (current === expectedNumber) {
    if (events.length === 0) {
      return { ok: true, nextRevision: current, globalPosition: stream?.last ?? 0, positions: [] };
    }
    const id = stream?.id ?? Number(stmts.insertStream.run(streamId).lastInsertRowid);
    const positions: number[] = new Array(events.length);
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      const info = stmts.insert.run(
        id,
        expectedNumber + 1 + i,
        encodeId(e.eventId),
        tables.types.id(e.type),
        tables.keys.encode(e.data),
        encodeId(e.correlationId),
        e.causationId === e.correlationId ? null : encodeId(e.causationId),
        actorId(stmts, tables, e.actor),
        encodeTime(e.recordedAt),
        encodeHash(e.prevHash),
        encodeHash(e.hash),
      );
      positions[i] = Number(info.lastInsertRowid);
    }
    const globalPosition = positions[positions.length - 1];
    stmts.moveStream.run(expectedNumber + events.length, globalPosition, id);
    return { ok: true, nextRevision: expectedNumber + events.length, globalPosition, positions };
  }

  if (stream && current > expectedNumber && events.length > 0) {
    const retried = findRetriedAppend(stmts, stream.id, events, expectedNumber);
    if (retried) return retried;
  }
  return { ok: false, actual: current === -1 ? 'no_stream' : current };
}

/** The original result when the events right after `expected` carry exactly these ids. */
function findRetriedAppend(
  stmts: EventStatements,
  stream: number,
  events: WireEvent[],
  expectedNumber: number,
): WireOutcome | undefined {
  const stored = stmts.idsAfter.all(stream, expectedNumber, events.length);
  if (stored.length !== events.length) return undefined;
  const same = stored.every((row, i) => decodeId(row.event_id) === events[i].eventId);
  if (!same) return undefined;
  return {
    ok: true,
    nextRevision: expectedNumber + events.length,
    globalPosition: stored[stored.length - 1].global_position,
    positions: [],
  };
}

/** What a reader needs to turn rows back into events. */
export interface ReaderTables {
  keys: JsonKeys;
  types: NameTable;
}

/** Actors repeat from event to event: each is parsed once and shared, frozen (a reader cannot change another's). */
const actors = new Map<string, EventMetadata['actor']>();

function actorOf(json: string): EventMetadata['actor'] {
  let actor = actors.get(json);
  if (actor === undefined) {
    actor = JSON.parse(json) as EventMetadata['actor'];
    if (actor !== null && typeof actor === 'object') Object.freeze(actor);
    if (actors.size > 10_000) actors.clear();
    actors.set(json, actor);
  }
  return actor;
}

/** A row's metadata, as it was appended. */
export function metadataOf(row: EventRow): EventMetadata {
  const correlationId = decodeId(row[6]);
  return {
    eventId: decodeId(row[5]),
    correlationId,
    causationId: row[7] === null ? correlationId : decodeId(row[7]),
    actor: actorOf(row[8]),
    recordedAt: decodeTime(row[9]),
    prevHash: decodeHash(row[10]),
    hash: decodeHash(row[11]),
  };
}

/**
 * A row as the application's event. The metadata is decoded at once: ids and hashes already
 * come out of SQLite as text and actors and times are shared, so a plain object costs less than
 * a lazy getter with its closure per event did (and every event has the same shape).
 */
export function toRecordedEvent(tables: ReaderTables, row: EventRow): RecordedEvent {
  return {
    globalPosition: row[0],
    streamId: row[1],
    revision: row[2],
    type: tables.types.name(row[3]),
    data: JSON.parse(tables.keys.decode(row[4])) as Record<string, unknown>,
    metadata: metadataOf(row),
  };
}
