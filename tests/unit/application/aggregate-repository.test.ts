import { AggregateRepository } from '../../../src/application/event-sourcing/aggregate-repository';
import type { CommandContext } from '../../../src/application/event-sourcing/command-context';
import { eventHash, GENESIS_HASH } from '../../../src/application/event-sourcing/event-hash';
import { deriveEventId } from '../../../src/application/event-sourcing/event-ids';
import {
  WrongExpectedRevisionError,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type RecordedEvent,
} from '../../../src/application/ports/event-store.port';
import {
  pgPaymentClaimDecider,
  pgPaymentClaimStreamId,
  type ClaimPgPayment,
} from '../../../src/domain/payment/pg-payment-claim.decider';
import type { Decider, DomainEvent } from '../../../src/domain/shared/decider';
import { DomainError } from '../../../src/domain/shared/domain-error';
import { tempEventStores } from './temp-event-store';

// --- a tiny decider: a tally that adds numbers ------------------------------------------------

type Added = DomainEvent<'Added', { n: number }>;
type TallyCommand = { type: 'Add'; n: number[] } | { type: 'AddOnce'; key: string };
interface Tally {
  total: number;
  count: number;
}
const tally: Decider<TallyCommand, Added, Tally> = {
  initialState: { total: 0, count: 0 },
  decide(command, state) {
    if (command.type === 'AddOnce') return state.count === 0 ? [{ type: 'Added', data: { n: 1 } }] : [];
    return command.n.map((n) => ({ type: 'Added', data: { n } }));
  },
  evolve: (state, event) => ({ total: state.total + event.data.n, count: state.count + 1 }),
};
const add = (...n: number[]): TallyCommand => ({ type: 'Add', n });

const NOW = Date.parse('2024-03-01T10:00:00+09:00');
const clock = { now: () => NOW };
const context = (commandId: string): CommandContext => ({
  commandId,
  correlationId: `corr-${commandId}`,
  causationId: `cause-${commandId}`,
  actor: { kind: 'user', userId: 'user-1', role: 'user' },
});

/** Problems an auditor would report for a stream (A2): an empty list means the chain holds. */
function chainProblems(events: RecordedEvent[]): string[] {
  const problems: string[] = [];
  let previous = GENESIS_HASH;
  events.forEach((event, index) => {
    const { hash, ...metadata } = event.metadata;
    if (event.revision !== index) problems.push(`#${index}: revision ${event.revision}`);
    if (metadata.prevHash !== previous) problems.push(`#${index}: prevHash does not link`);
    const recomputed = eventHash({
      streamId: event.streamId,
      revision: event.revision,
      type: event.type,
      data: event.data,
      metadata,
    });
    if (recomputed !== hash) problems.push(`#${index}: hash does not match content`);
    previous = hash;
  });
  return problems;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Delegates to a real store, counting appends and conflicts; `beforeAppend` may interfere. */
class ObservedStore implements EventStore {
  appends = 0;
  conflicts = 0;
  constructor(
    private readonly inner: EventStore,
    private readonly beforeAppend: (
      streamId: string,
      expected: ExpectedRevision,
    ) => Promise<void> = async () => undefined,
  ) {}
  async append(streamId: string, events: EventToAppend[], expected: ExpectedRevision) {
    this.appends += 1;
    await this.beforeAppend(streamId, expected);
    try {
      return await this.inner.append(streamId, events, expected);
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) this.conflicts += 1;
      throw error;
    }
  }
  readStream = (streamId: string) => this.inner.readStream(streamId);
  readAll = (from: number, limit: number) => this.inner.readAll(from, limit);
  headPosition = () => this.inner.headPosition();
  subscribe: EventStore['subscribe'] = (from, onEvent, onError) =>
    this.inner.subscribe(from, onEvent, onError);
  status = () => this.inner.status();
  close = () => this.inner.close();
}

describe('AggregateRepository on a real SQLite event store', () => {
  const stores = tempEventStores();
  afterEach(() => stores.cleanUp());

  describe('A2 the hash chain', () => {
    async function streamOfFour(): Promise<RecordedEvent[]> {
      const store = stores.open();
      const repository = new AggregateRepository(store, clock);
      await repository.handle('tally-1', tally, add(1), context('c1'));
      await repository.handle('tally-1', tally, add(2, 3), context('c2'));
      await repository.handle('tally-1', tally, add(4), context('c3'));
      return store.readStream('tally-1');
    }

    it('starts from the genesis hash and links each prevHash to the previous event, across appends', async () => {
      const events = await streamOfFour();
      expect(events).toHaveLength(4);
      expect(events[0]?.metadata.prevHash).toBe(GENESIS_HASH);
      for (let i = 1; i < events.length; i++) {
        expect(events[i]?.metadata.prevHash).toBe(events[i - 1]?.metadata.hash);
      }
      expect(chainProblems(events)).toEqual([]);
    });

    it('gives each event its own sha-256 hash', async () => {
      const hashes = (await streamOfFour()).map((e) => e.metadata.hash);
      hashes.forEach((h) => expect(h).toMatch(/^[0-9a-f]{64}$/));
      expect(new Set(hashes).size).toBe(4);
    });

    it('detects changed data', async () => {
      const events = await streamOfFour();
      const tampered = events.map((e, i) => (i === 2 ? { ...e, data: { n: 300 } } : e));
      expect(chainProblems(tampered)).toEqual(['#2: hash does not match content']);
    });

    it('detects changed metadata (who did it, when)', async () => {
      const events = await streamOfFour();
      const tampered = events.map((e, i) =>
        i === 1 ? { ...e, metadata: { ...e.metadata, recordedAt: '2024-01-01T00:00:00.000Z' } } : e,
      );
      expect(chainProblems(tampered)).toContain('#1: hash does not match content');
    });

    it('detects two events swapped in place', async () => {
      const events = await streamOfFour();
      const swapped = events.map((e, i) => {
        const source = i === 1 ? events[2]! : i === 2 ? events[1]! : e;
        return { ...source, revision: e.revision };
      });
      expect(chainProblems(swapped).length).toBeGreaterThan(0);
    });

    it('detects a removed event', async () => {
      const events = await streamOfFour();
      const removed = events.filter((_, i) => i !== 1).map((e, i) => ({ ...e, revision: i }));
      expect(chainProblems(removed).length).toBeGreaterThan(0);
    });

    it('covers the stream id: the same event hashed for another stream differs', async () => {
      const [first] = await streamOfFour();
      const { hash, ...metadata } = first!.metadata;
      expect(
        eventHash({ streamId: 'tally-2', revision: 0, type: first!.type, data: first!.data, metadata }),
      ).not.toBe(hash);
    });

    it('records the command context and the clock time in the metadata', async () => {
      const [first] = await streamOfFour();
      expect(first?.metadata).toMatchObject({
        correlationId: 'corr-c1',
        causationId: 'cause-c1',
        actor: { kind: 'user', userId: 'user-1', role: 'user' },
        recordedAt: new Date(NOW).toISOString(),
      });
    });
  });

  describe('derived event ids', () => {
    it('are UUID-shaped', () => {
      expect(deriveEventId('cmd-1', 'order-abc', 0)).toMatch(UUID);
      expect(deriveEventId('', '', 0)).toMatch(UUID);
    });

    it('are stable for the same command id, stream and revision', () => {
      expect(deriveEventId('cmd-1', 'order-abc', 3)).toBe(deriveEventId('cmd-1', 'order-abc', 3));
    });

    it('differ when the command id, the stream or the revision differs', () => {
      const id = deriveEventId('cmd-1', 'order-abc', 3);
      expect(deriveEventId('cmd-2', 'order-abc', 3)).not.toBe(id);
      expect(deriveEventId('cmd-1', 'order-abd', 3)).not.toBe(id);
      expect(deriveEventId('cmd-1', 'order-abc', 4)).not.toBe(id);
    });

    it('are what the repository stores for each event', async () => {
      const store = stores.open();
      const repository = new AggregateRepository(store, clock);
      await repository.handle('tally-1', tally, add(1, 2), context('cmd-x'));
      const events = await store.readStream('tally-1');
      expect(events.map((e) => e.metadata.eventId)).toEqual([
        deriveEventId('cmd-x', 'tally-1', 0),
        deriveEventId('cmd-x', 'tally-1', 1),
      ]);
    });
  });

  describe('appending', () => {
    it('returns the events, the new state and the position of the last event, and tells listeners', async () => {
      const store = stores.open();
      const repository = new AggregateRepository(store, clock);
      const heard: number[] = [];
      repository.onAppended((position) => heard.push(position));
      const handled = await repository.handle('tally-1', tally, add(5, 6), context('c1'));
      expect(handled.events).toEqual([
        { type: 'Added', data: { n: 5 } },
        { type: 'Added', data: { n: 6 } },
      ]);
      expect(handled.state).toEqual({ total: 11, count: 2 });
      expect(handled.position).toBe(await store.headPosition());
      expect(heard).toEqual([handled.position]);
    });

    it('appends nothing when the command decides no events', async () => {
      const store = stores.open();
      const repository = new AggregateRepository(store, clock);
      await repository.handle('tally-1', tally, { type: 'AddOnce', key: 'k' }, context('c1'));
      const head = await store.headPosition();
      const heard: number[] = [];
      repository.onAppended((position) => heard.push(position));

      const again = await repository.handle('tally-1', tally, { type: 'AddOnce', key: 'k' }, context('c2'));

      expect(again).toEqual({ events: [], state: { total: 1, count: 1 }, position: null });
      expect(await store.headPosition()).toBe(head);
      expect(await store.readStream('tally-1')).toHaveLength(1);
      expect(heard).toEqual([]);
    });

    it('loads the folded state and revision of a stream', async () => {
      const repository = new AggregateRepository(stores.open(), clock);
      expect(await repository.load('tally-1', tally)).toEqual({
        state: { total: 0, count: 0 },
        revision: 'no_stream',
        lastHash: GENESIS_HASH,
      });
      await repository.handle('tally-1', tally, add(2, 3), context('c1'));
      const loaded = await repository.load('tally-1', tally);
      expect(loaded).toMatchObject({ state: { total: 5, count: 2 }, revision: 1 });
    });
  });

  describe('concurrency', () => {
    it('decides on the stored state when another process appended since this one last wrote', async () => {
      const store = await stores.open();
      const here = new AggregateRepository(store, clock);
      const elsewhere = new AggregateRepository(store, clock);
      await here.handle('tally-1', tally, add(1), context('c1'));
      await elsewhere.handle('tally-1', tally, add(10), context('c2'));
      const handled = await here.handle('tally-1', tally, add(100), context('c3'));
      expect(handled.state).toEqual({ total: 111, count: 3 });
      expect((await store.readStream('tally-1')).map((e) => e.data.n)).toEqual([1, 10, 100]);
      expect(chainProblems(await store.readStream('tally-1'))).toEqual([]);
    });

    it('retries a conflict: two commands racing on one stream both succeed, in a valid chain', async () => {
      const store = new ObservedStore(stores.open());
      const one = new AggregateRepository(store, clock);
      const two = new AggregateRepository(store, clock);

      await Promise.all([
        one.handle('tally-1', tally, add(1), context('c1')),
        two.handle('tally-1', tally, add(10), context('c2')),
      ]);

      expect(store.conflicts).toBeGreaterThanOrEqual(1); // they really raced
      const events = await store.readStream('tally-1');
      expect(events.map((e) => e.data.n).sort((a, b) => Number(a) - Number(b))).toEqual([1, 10]);
      expect(chainProblems(events)).toEqual([]);
      expect((await one.load('tally-1', tally)).state).toEqual({ total: 11, count: 2 });
    });

    it('re-decides on the fresh state after a conflict: two orders racing for one PG payment, one wins (C4)', async () => {
      const store = new ObservedStore(stores.open());
      const repository = new AggregateRepository(store, clock);
      const stream = pgPaymentClaimStreamId('toss', 'pk-1');
      const claim = (orderId: string): ClaimPgPayment => ({
        type: 'ClaimPgPayment',
        provider: 'toss',
        pgPaymentId: 'pk-1',
        orderId,
      });

      const results = await Promise.allSettled([
        repository.handle(stream, pgPaymentClaimDecider, claim('order-A'), context('a')),
        repository.handle(stream, pgPaymentClaimDecider, claim('order-B'), context('b')),
      ]);

      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(refused?.reason).toBeInstanceOf(DomainError);
      expect((refused?.reason as DomainError).code).toBe('PG_PAYMENT_ALREADY_USED');
      expect(await store.readStream(stream)).toHaveLength(1);
    });

    it('gives up with CONCURRENCY_CONFLICT after a bounded number of retries when the stream always moves', async () => {
      const inner = stores.open();
      let rivals = 0;
      // Another writer gets in first every time: the stream moves between our read and our append.
      const store = new ObservedStore(inner, async (streamId, expected) => {
        rivals += 1;
        const rival: EventToAppend = {
          type: 'Added',
          data: { n: 1000 },
          metadata: {
            eventId: deriveEventId(`rival-${rivals}`, streamId, 0),
            correlationId: 'rival',
            causationId: 'rival',
            actor: { kind: 'system', process: 'rival' },
            recordedAt: new Date(NOW).toISOString(),
            prevHash: '',
            hash: '',
          },
        };
        await inner.append(streamId, [rival], expected);
      });
      const repository = new AggregateRepository(store, clock);

      const error = await repository.handle('tally-1', tally, add(1), context('c1')).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('CONCURRENCY_CONFLICT');
      expect(store.appends).toBeGreaterThan(1); // it did retry
      expect(store.appends).toBeLessThanOrEqual(10); // and the retries are bounded
      expect(store.conflicts).toBe(store.appends);
      const written = await inner.readStream('tally-1');
      expect(written.every((e) => e.data.n === 1000)).toBe(true); // none of ours got in
    });

    it('does not retry errors other than a conflict', async () => {
      const failing = new ObservedStore(stores.open(), async () => {
        throw new Error('disk full');
      });
      const repository = new AggregateRepository(failing, clock);
      await expect(repository.handle('tally-1', tally, add(1), context('c1'))).rejects.toThrow('disk full');
      expect(failing.appends).toBe(1);
    });
  });
});
