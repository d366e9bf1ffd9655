import {
  EventStoreDBClient,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
  type CurrentRevision,
} from '@eventstore/db-client';
import { WrongExpectedRevisionError } from '../../src/application/ports/event-store.port';
import {
  comparePositions,
  fromEsdbEvent,
  isApplicationEvent,
  toPortError,
  toSafePosition,
} from '../../src/infrastructure/eventstore/esdb/esdb-event-mapper';
import { EsdbEventStore } from '../../src/infrastructure/eventstore/esdb/esdb-event-store';
import { anEvent, describeEventStoreContract } from './event-store.contract';

const url = process.env.EVENTSTORE_URL;

// Runs only against a live server (docker compose up eventstoredb), like the MongoDB suites.
const describeIfEsdb = url ? describe : describe.skip;
describeIfEsdb('with EVENTSTORE_URL set (e.g. esdb://localhost:2113?tls=false)', () => {
  describeEventStoreContract('EventStoreDB', async () => EsdbEventStore.connect(url as string));
});

// The mapping needs no server: it runs always.
describe('EventStoreDB mapping', () => {
  const conflict = (current: CurrentRevision, expected: AppendExpectedRevision) =>
    new WrongExpectedVersionError(undefined, { streamName: 'order-1', current, expected });

  it("turns the client's WrongExpectedVersionError into the port's error", () => {
    const mapped = toPortError(conflict(4n, 1n), 'order-1', 1);
    expect(mapped).toBeInstanceOf(WrongExpectedRevisionError);
    expect(mapped).toMatchObject({ streamId: 'order-1', expected: 1, actual: 4 });
    expect(toPortError(conflict('no_stream', 0n), 'order-1', 0)).toMatchObject({ actual: 'no_stream' });
  });

  it('passes other errors through unchanged', () => {
    const other = new Error('unavailable');
    expect(toPortError(other, 'order-1', 0)).toBe(other);
  });

  it('refuses positions beyond Number.MAX_SAFE_INTEGER instead of rounding them', () => {
    expect(toSafePosition(9007199254740991n)).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toSafePosition(9007199254740992n)).toThrow(RangeError);
    expect(() => toSafePosition(18446744073709551615n)).toThrow(RangeError);
  });

  it('maps a recorded event, revision and commit position as numbers', () => {
    const { type, data, metadata } = anEvent('OrderPaid', { amount: 19900, orderName: '월간 프리미엄' });
    const recorded = fromEsdbEvent({
      streamId: 'order-1',
      revision: 3n,
      type,
      isJson: true,
      data,
      metadata,
      position: { commit: 12345n, prepare: 12345n },
    });
    expect(recorded).toEqual({
      streamId: 'order-1',
      revision: 3,
      globalPosition: 12345,
      type,
      data,
      metadata,
    });
  });

  it('refuses an event without a position (servers before 22.6)', () => {
    const base = { streamId: 's', revision: 0n, type: 'T', isJson: true, data: {}, metadata: {} };
    expect(() => fromEsdbEvent(base)).toThrow(/no position/);
  });

  it("skips ESDB's own events and foreign binary ones", () => {
    const base = {
      streamId: 'order-1',
      revision: 0n,
      type: 'OrderPaid',
      isJson: true,
      data: {},
      metadata: {},
    };
    expect(isApplicationEvent(base)).toBe(true);
    expect(isApplicationEvent({ ...base, type: '$metadata' })).toBe(false);
    expect(isApplicationEvent({ ...base, streamId: '$stats-0.0.0.0:2113' })).toBe(false);
    expect(isApplicationEvent({ ...base, isJson: false })).toBe(false);
  });

  it('orders positions by commit, then prepare', () => {
    expect(comparePositions({ commit: 5n, prepare: 9n }, { commit: 6n, prepare: 1n })).toBe(-1);
    expect(comparePositions({ commit: 6n, prepare: 2n }, { commit: 6n, prepare: 1n })).toBe(1);
    expect(comparePositions({ commit: 6n, prepare: 1n }, { commit: 6n, prepare: 1n })).toBe(0);
  });
});

describe('EsdbEventStore without a server', () => {
  // Port 1 refuses connections at once: the failure paths run without EventStoreDB.
  const unreachable = 'esdb://admin:changeit@127.0.0.1:1?tls=false';

  it('reports not ok, with no credentials in the detail', async () => {
    const store = EsdbEventStore.connect(unreachable);
    const status = await store.status();
    await store.close();
    expect(status).toMatchObject({ kind: 'eventstoredb', ok: false });
    expect(status.detail).toContain('127.0.0.1:1');
    expect(status.detail).not.toContain('changeit');
  });

  it('keeps retrying a subscription that cannot connect, until closed', async () => {
    const attempts = jest.spyOn(EventStoreDBClient.prototype, 'subscribeToAll');
    const store = EsdbEventStore.connect(unreachable);
    const errors: unknown[] = [];
    const delivered: unknown[] = [];
    const subscription = store.subscribe(
      0,
      async (e) => {
        delivered.push(e);
      },
      (e) => errors.push(e),
    );
    await new Promise((resolve) => setTimeout(resolve, 800));
    await subscription.close();
    const attemptsAtClose = attempts.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    await store.close();
    expect(attemptsAtClose).toBeGreaterThanOrEqual(2);
    expect(attempts.mock.calls.length).toBe(attemptsAtClose);
    attempts.mockRestore();
    // A drop is not a handler failure: onError is only for onEvent throwing.
    expect(errors).toEqual([]);
    expect(delivered).toEqual([]);
  });
});
