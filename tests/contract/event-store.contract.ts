import { randomUUID } from 'node:crypto';
import {
  EventStore,
  EventToAppend,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '../../src/application/ports/event-store.port';

/** An event as the application would build it; ids are UUIDs because EventStoreDB requires them. */
export function anEvent(
  type = 'OrderCreated',
  data: Record<string, unknown> = { amount: 9900 },
): EventToAppend {
  return {
    type,
    data,
    metadata: {
      eventId: randomUUID(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { kind: 'user', userId: `user-${randomUUID()}`, role: 'user' },
      recordedAt: '2025-01-31T12:00:00.000+09:00',
      prevHash: '',
      hash: 'a3f1'.repeat(16),
    },
  };
}

/** A stream no other test (or earlier run against a shared server) has used. */
export const aStreamId = (prefix = 'order') => `${prefix}-${randomUUID()}`;

export async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const ids = (events: { metadata: { eventId: string } }[]) => events.map((e) => e.metadata.eventId);

async function rejection(promise: Promise<unknown>): Promise<WrongExpectedRevisionError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WrongExpectedRevisionError);
  return error as WrongExpectedRevisionError;
}

/**
 * The behaviour every EventStore adapter must show. Written to hold on a store shared with
 * other data (a long-lived EventStoreDB): it only looks at streams it created.
 */
export function describeEventStoreContract(name: string, open: () => Promise<EventStore>): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('appends to a new stream with no_stream and reads it back in order', async () => {
      const stream = aStreamId();
      const events = [anEvent('OrderCreated'), anEvent('OrderPaid')];
      const result = await store.append(stream, events, 'no_stream');
      expect(result.nextRevision).toBe(1);

      const read = await store.readStream(stream);
      expect(read.map((e) => [e.streamId, e.revision, e.type])).toEqual([
        [stream, 0, 'OrderCreated'],
        [stream, 1, 'OrderPaid'],
      ]);
      expect(ids(read)).toEqual(ids(events));
      expect(read[0].globalPosition).toBeGreaterThan(0);
      expect(read[1].globalPosition).toBeGreaterThan(read[0].globalPosition);
      expect(result.globalPosition).toBe(read[1].globalPosition);
    });

    it('appends at the exact revision of the last event', async () => {
      const stream = aStreamId();
      await store.append(stream, [anEvent()], 'no_stream');
      const result = await store.append(stream, [anEvent('A'), anEvent('B')], 0);
      expect(result.nextRevision).toBe(2);
      expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0, 1, 2]);
    });

    it('rejects a stale revision, telling the actual one, and writes nothing', async () => {
      const stream = aStreamId();
      await store.append(stream, [anEvent(), anEvent(), anEvent()], 'no_stream');
      const error = await rejection(store.append(stream, [anEvent()], 0));
      expect([error.streamId, error.expected, error.actual]).toEqual([stream, 0, 2]);
      expect(await store.readStream(stream)).toHaveLength(3);
    });

    it('rejects no_stream on an existing stream', async () => {
      const stream = aStreamId();
      await store.append(stream, [anEvent()], 'no_stream');
      const error = await rejection(store.append(stream, [anEvent()], 'no_stream'));
      expect(error.actual).toBe(0);
      expect(await store.readStream(stream)).toHaveLength(1);
    });

    it('rejects a revision on a missing stream with actual no_stream', async () => {
      const stream = aStreamId();
      const error = await rejection(store.append(stream, [anEvent()], 0));
      expect(error.actual).toBe('no_stream');
      expect(await store.readStream(stream)).toEqual([]);
    });

    it('treats a retried append as done: same result, nothing written twice', async () => {
      const stream = aStreamId();
      const batch = [anEvent('A'), anEvent('B')];
      const first = await store.append(stream, batch, 'no_stream');
      const retry = await store.append(stream, batch, 'no_stream');
      expect(retry).toEqual(first);
      expect(ids(await store.readStream(stream))).toEqual(ids(batch));

      // Still a retry after the stream moved on: the events right after `expected` match.
      const next = anEvent('C');
      await store.append(stream, [next], 1);
      expect(await store.append(stream, batch, 'no_stream')).toEqual(first);
      expect(ids(await store.readStream(stream))).toEqual([...ids(batch), next.metadata.eventId]);
    });

    it('rejects other events at a revision that is taken', async () => {
      const stream = aStreamId();
      await store.append(stream, [anEvent('A')], 'no_stream');
      const error = await rejection(store.append(stream, [anEvent('A')], 'no_stream'));
      expect(error.actual).toBe(0);
      expect(await store.readStream(stream)).toHaveLength(1);
    });

    it.each([['no_stream' as const], [0]])(
      'lets exactly one of 20 concurrent appends at %p win',
      async (expected) => {
        const stream = aStreamId();
        if (expected === 0) await store.append(stream, [anEvent('Seed')], 'no_stream');
        const candidates = Array.from({ length: 20 }, () => [anEvent('Racer')]);
        const results = await Promise.allSettled(
          candidates.map((events) => store.append(stream, events, expected)),
        );

        const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
        expect(won).toHaveLength(1);
        const losers = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(losers.every((r) => r.reason instanceof WrongExpectedRevisionError)).toBe(true);
        const racers = (await store.readStream(stream)).filter((e) => e.type === 'Racer');
        expect(ids(racers)).toEqual(ids(candidates[won[0]]));
      },
    );

    it('treats an empty append as a check that writes nothing', async () => {
      const stream = aStreamId();
      const written = await store.append(stream, [anEvent()], 'no_stream');
      expect(await store.append(stream, [], 0)).toEqual(written);
      await rejection(store.append(stream, [], 'no_stream'));
      expect(await store.readStream(stream)).toHaveLength(1);
    });

    it('reads a missing stream as []', async () => {
      expect(await store.readStream(aStreamId('missing'))).toEqual([]);
    });

    it('pages through all streams in global order with an exclusive start', async () => {
      const head = await store.headPosition();
      const [s1, s2, s3] = [aStreamId(), aStreamId(), aStreamId()];
      const plan: [string, number | 'no_stream'][] = [
        [s1, 'no_stream'],
        [s2, 'no_stream'],
        [s1, 0],
        [s3, 'no_stream'],
        [s2, 0],
      ];
      const appended: EventToAppend[] = [];
      for (const [stream, expected] of plan) {
        const event = anEvent('Step', { stream });
        await store.append(stream, [event], expected);
        appended.push(event);
      }

      const ours: RecordedEvent[] = [];
      let position = head;
      for (
        let page = await store.readAll(position, 2);
        page.length > 0;
        page = await store.readAll(position, 2)
      ) {
        expect(page.length).toBeLessThanOrEqual(2);
        expect(page[0].globalPosition).toBeGreaterThan(position);
        page.forEach((e, i) => i > 0 && expect(e.globalPosition).toBeGreaterThan(page[i - 1].globalPosition));
        ours.push(...page.filter((e) => [s1, s2, s3].includes(e.streamId)));
        position = page[page.length - 1].globalPosition;
      }
      expect(ids(ours)).toEqual(ids(appended));
      expect(ours.map((e) => e.revision)).toEqual([0, 0, 1, 0, 1]);

      const after = await store.readAll(ours[1].globalPosition, 1);
      expect(after[0].globalPosition).toBeGreaterThan(ours[1].globalPosition);
      expect(after[0].globalPosition).toBeLessThanOrEqual(ours[2].globalPosition);
    });

    it('reports the head position as the newest event', async () => {
      const before = await store.headPosition();
      const result = await store.append(aStreamId(), [anEvent(), anEvent()], 'no_stream');
      expect(result.globalPosition).toBeGreaterThan(before);
      expect(await store.headPosition()).toBe(result.globalPosition);
    });

    it('round-trips metadata exactly, nested actor and hashes included', async () => {
      const stream = aStreamId();
      const byUser = anEvent('RefundRequested', { amount: 5000 });
      const bySystem = anEvent('PaymentReconciled', { outcome: 'approved' });
      bySystem.metadata = {
        ...bySystem.metadata,
        actor: { kind: 'system', process: 'reconciler' },
        prevHash: byUser.metadata.hash,
        hash: 'f'.repeat(64),
      };
      const head = await store.headPosition();
      await store.append(stream, [byUser, bySystem], 'no_stream');

      const fromStream = await store.readStream(stream);
      const fromAll = (await store.readAll(head, 100)).filter((e) => e.streamId === stream);
      for (const read of [fromStream, fromAll]) {
        expect(read.map((e) => e.metadata)).toEqual([byUser.metadata, bySystem.metadata]);
        // Byte for byte, in key order: the audit re-hashes what it reads.
        expect(read.map((e) => JSON.stringify(e.metadata))).toEqual(
          [byUser, bySystem].map((e) => JSON.stringify(e.metadata)),
        );
      }
    });

    it('round-trips Korean and other unicode data', async () => {
      const stream = aStreamId();
      const data = {
        orderName: '월간 프리미엄',
        buyer: '김철수',
        note: '이벤트 후원 🎉 ₩19,900',
        nested: { 카드: '신한' },
      };
      await store.append(stream, [anEvent('OrderCreated', data)], 'no_stream');
      expect((await store.readStream(stream))[0].data).toEqual(data);
    });

    describe('subscribe', () => {
      it('delivers existing then live events in order, one at a time, and stops on close', async () => {
        const stream = aStreamId();
        const head = await store.headPosition();
        const existing = [anEvent('A'), anEvent('B')];
        await store.append(stream, existing, 'no_stream');

        const seen: RecordedEvent[] = [];
        let running = 0;
        let overlapped = false;
        const subscription = store.subscribe(head, async (event) => {
          overlapped ||= running > 0;
          running++;
          await new Promise((resolve) => setTimeout(resolve, 5));
          if (event.streamId === stream) seen.push(event);
          running--;
        });
        await waitFor(() => seen.length === 2);

        const live = [anEvent('C'), anEvent('D')];
        await store.append(stream, live.slice(0, 1), 1);
        await store.append(stream, live.slice(1), 2);
        await waitFor(() => seen.length === 4);
        expect(ids(seen)).toEqual(ids([...existing, ...live]));
        expect(overlapped).toBe(false);

        await subscription.close();
        await store.append(stream, [anEvent('AfterClose')], 3);
        await new Promise((resolve) => setTimeout(resolve, 600));
        expect(seen).toHaveLength(4);
      });

      it('starts after the given position (exclusive)', async () => {
        const stream = aStreamId();
        await store.append(stream, [anEvent('A'), anEvent('B'), anEvent('C')], 'no_stream');
        const [first] = await store.readStream(stream);
        const seen: string[] = [];
        const subscription = store.subscribe(first.globalPosition, async (e) => {
          if (e.streamId === stream) seen.push(e.type);
        });
        await waitFor(() => seen.length === 2);
        await subscription.close();
        expect(seen).toEqual(['B', 'C']);
      });

      it('stops and reports to onError when onEvent throws', async () => {
        const stream = aStreamId();
        const head = await store.headPosition();
        const failure = new Error('projection failed');
        let calls = 0;
        const errors: unknown[] = [];
        const subscription = store.subscribe(
          head,
          async (e) => {
            if (e.streamId !== stream) return;
            calls++;
            throw failure;
          },
          (error) => errors.push(error),
        );
        await store.append(stream, [anEvent('A'), anEvent('B')], 'no_stream');
        await waitFor(() => errors.length === 1);
        await store.append(stream, [anEvent('C')], 1);
        await new Promise((resolve) => setTimeout(resolve, 600));
        expect(errors).toEqual([failure]);
        expect(calls).toBe(1);
        await subscription.close();
      });
    });
  });
}
