import { inject, injectable } from 'inversify';
import { TOKENS } from '../tokens';
import type { Decider, DomainEvent } from '../../domain/shared/decider';
import { DomainError } from '../../domain/shared/domain-error';
import type { Clock } from '../ports/clock.port';
import {
  WrongExpectedRevisionError,
  type EventStore,
  type EventToAppend,
  type RecordedEvent,
} from '../ports/event-store.port';
import type { CommandContext } from './command-context';
import { deriveEventId } from './event-ids';
import { eventHash, GENESIS_HASH } from './event-hash';

export interface Loaded<S> {
  state: S;
  revision: number | 'no_stream';
  lastHash: string;
}

export interface Handled<E, S> {
  events: E[];
  state: S;
  /** Global position of the last event written, or null when the command changed nothing. */
  position: number | null;
}

const MAX_ATTEMPTS = 5;
const MAX_CACHED_STREAMS = 10_000;

/**
 * The one generic command handler: read the stream, fold, decide, append at the revision that
 * was read; on a conflict, read again and retry a bounded number of times, then 409.
 */
@injectable()
export class AggregateRepository {
  private readonly appendListeners: Array<(position: number) => void> = [];
  /**
   * The last state this process wrote or read per stream, for the write path only: a stale
   * entry (another process appended) fails the append's expected revision, and the retry
   * reads the store. Bounded; least recently used streams go first.
   */
  private readonly written = new Map<string, Loaded<unknown>>();

  constructor(
    @inject(TOKENS.EventStore) private readonly store: EventStore,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  /** Called after every successful append (projections wake up on it). */
  onAppended(listener: (position: number) => void): void {
    this.appendListeners.push(listener);
  }

  async load<C, E extends DomainEvent, S>(streamId: string, decider: Decider<C, E, S>): Promise<Loaded<S>> {
    return this.fold(await this.store.readStream(streamId), decider);
  }

  async handle<C, E extends DomainEvent, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C,
    context: CommandContext,
  ): Promise<Handled<E, S>> {
    for (let attempt = 1; ; attempt++) {
      const cached = attempt === 1 ? (this.written.get(streamId) as Loaded<S> | undefined) : undefined;
      const loaded = cached ?? (await this.load(streamId, decider));
      const now = this.clock.now();
      const events = decider.decide(command, loaded.state, now);
      if (events.length === 0) {
        this.remember(streamId, loaded);
        return { events, state: loaded.state, position: null };
      }
      const state = events.reduce(decider.evolve, loaded.state);
      try {
        const toAppend = this.envelope(streamId, events, loaded, context, now);
        const result = await this.store.append(streamId, toAppend, loaded.revision);
        const lastHash = toAppend[toAppend.length - 1]?.metadata.hash ?? loaded.lastHash;
        this.remember(streamId, { state, revision: result.nextRevision, lastHash });
        for (const listener of this.appendListeners) listener(result.globalPosition);
        return { events, state, position: result.globalPosition };
      } catch (error) {
        this.written.delete(streamId);
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (attempt >= MAX_ATTEMPTS) {
          throw new DomainError('CONCURRENCY_CONFLICT', `too many concurrent changes to ${streamId}; retry`);
        }
      }
    }
  }

  private remember(streamId: string, loaded: Loaded<unknown>): void {
    this.written.delete(streamId);
    this.written.set(streamId, loaded);
    if (this.written.size > MAX_CACHED_STREAMS) {
      const oldest = this.written.keys().next().value;
      if (oldest !== undefined) this.written.delete(oldest);
    }
  }

  private fold<C, E extends DomainEvent, S>(recorded: RecordedEvent[], decider: Decider<C, E, S>): Loaded<S> {
    let state = decider.initialState;
    for (const event of recorded) state = decider.evolve(state, { type: event.type, data: event.data } as E);
    const last = recorded[recorded.length - 1];
    return {
      state,
      revision: last ? last.revision : 'no_stream',
      lastHash: last ? last.metadata.hash : GENESIS_HASH,
    };
  }

  private envelope(
    streamId: string,
    events: DomainEvent[],
    loaded: Loaded<unknown>,
    context: CommandContext,
    now: number,
  ): EventToAppend[] {
    let prevHash = loaded.lastHash;
    let revision = loaded.revision === 'no_stream' ? 0 : loaded.revision + 1;
    const recordedAt = new Date(now).toISOString();
    return events.map((event) => {
      const data = event.data as Record<string, unknown>;
      const metadata = {
        eventId: deriveEventId(context.commandId, streamId, revision),
        correlationId: context.correlationId,
        causationId: context.causationId,
        actor: context.actor,
        recordedAt,
        prevHash,
      };
      const hash = eventHash({ streamId, revision, type: event.type, data, metadata });
      prevHash = hash;
      revision += 1;
      return { type: event.type, data, metadata: { ...metadata, hash } };
    });
  }
}
