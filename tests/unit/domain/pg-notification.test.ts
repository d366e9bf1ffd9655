import {
  pgNotificationDecider,
  RECENT_DELIVERIES,
  type PgNotificationEvent,
  type ReceiveNotification,
} from '../../../src/domain/notification/pg-notification.decider';
import { toIso, type Instant } from '../../../src/domain/shared/time';
import { deciderSpec } from './decider-spec';

const { given, stateOf } = deciderSpec(pgNotificationDecider);

const ORDER_ID = 'ord_Z3kq9T2mWb7xYp4nLr8s';
const T0: Instant = Date.parse('2024-03-01T10:00:00+09:00');
const sec = (n: number): Instant => T0 + n * 1_000;

const hint = (deliveryId: string): ReceiveNotification => ({
  type: 'ReceiveNotification',
  provider: 'toss',
  orderId: ORDER_ID,
  pgPaymentId: 'tgen_pk1',
  eventType: 'PAYMENT_STATUS_CHANGED',
  status: 'DONE',
  deliveryId,
});

const received = (deliveryId: string, at: Instant): PgNotificationEvent => {
  const { type: _type, ...data } = hint(deliveryId);
  return { type: 'PgNotificationReceived', data: { ...data, receivedAt: toIso(at) } };
};

const processed = (upTo: number, at: Instant): PgNotificationEvent => ({
  type: 'PgNotificationsProcessed',
  data: { upTo, at: toIso(at) },
});

const markProcessed = (upTo: number) => ({ type: 'MarkNotificationsProcessed' as const, upTo });

/** Each hint decided on what the ones before it recorded, as the webhook route would. */
function deliver(events: PgNotificationEvent[], ids: string[], at: Instant): PgNotificationEvent[] {
  return ids.reduce<PgNotificationEvent[]>(
    (stream, id) => [...stream, ...pgNotificationDecider.decide(hint(id), stateOf(stream), at)],
    events,
  );
}

describe('PG notifications: webhook hints for one order coalesce (P3)', () => {
  it('records the first hint for an order', () => {
    given([])
      .when(hint('toss:wh_1'), sec(1))
      .then([received('toss:wh_1', sec(1))]);
  });

  it('records nothing for a new hint while one is pending', () => {
    given([received('toss:wh_1', sec(1))])
      .when(hint('toss:wh_2'), sec(2))
      .then([]);
  });

  it('appends nothing after the first of 1,000 hints arriving while it is pending', () => {
    const ids = Array.from({ length: 1_000 }, (_, i) => `toss:wh_${i}`);
    const stream = deliver([], ids, sec(1));
    expect(stream).toEqual([received('toss:wh_0', sec(1))]);
  });

  it('records the next hint once the pending ones are processed', () => {
    given([received('toss:wh_1', sec(1)), processed(1, sec(2))])
      .when(hint('toss:wh_2'), sec(3))
      .then([received('toss:wh_2', sec(3))]);
  });

  it('coalesces while only some of the recorded hints are processed (a stream recorded before coalescing)', () => {
    given([received('toss:wh_1', sec(1)), received('toss:wh_2', sec(1)), processed(1, sec(2))])
      .when(hint('toss:wh_3'), sec(3))
      .then([]);
  });

  it('records a redelivery once: the same delivery id after processing records nothing', () => {
    given([received('toss:wh_1', sec(1)), processed(1, sec(2))])
      .when(hint('toss:wh_1'), sec(3))
      .then([]);
  });

  it(`remembers only the last ${RECENT_DELIVERIES} delivery ids, however many hints were recorded`, () => {
    const events = Array.from({ length: 1_000 }, (_, i) => [
      received(`toss:wh_${i}`, sec(i)),
      processed(i + 1, sec(i)),
    ]).flat();
    const state = stateOf(events);
    expect(state.received).toBe(1_000);
    expect(state.processed).toBe(1_000);
    expect(state.recentDeliveries).toHaveLength(RECENT_DELIVERIES);
    expect(state.recentDeliveries.at(-1)).toBe('toss:wh_999');
  });

  it('records a redelivered id within the window once, and one older than the window again', () => {
    const events = Array.from({ length: RECENT_DELIVERIES + 1 }, (_, i) => [
      received(`toss:wh_${i}`, sec(i)),
      processed(i + 1, sec(i)),
    ]).flat();
    given(events).when(hint(`toss:wh_1`), sec(100)).then([]);
    given(events)
      .when(hint('toss:wh_0'), sec(100))
      .then([received('toss:wh_0', sec(100))]);
  });

  describe('MarkNotificationsProcessed', () => {
    it('records how far the hints were acted on', () => {
      given([received('toss:wh_1', sec(1))])
        .when(markProcessed(1), sec(2))
        .then([processed(1, sec(2))]);
    });

    it('records nothing when those hints were already processed', () => {
      given([received('toss:wh_1', sec(1)), processed(1, sec(2))])
        .when(markProcessed(1), sec(3))
        .then([]);
    });
  });
});
