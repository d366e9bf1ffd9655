import { attemptIdempotencyKey } from '../../../src/domain/order/order.commands';
import {
  approval,
  approvalRefused,
  attemptRejected,
  attemptStarted,
  attemptUnknown,
  EVENT,
  EXPIRES_AT,
  given,
  min,
  ORDER_ID,
  orderExpired,
  OTHER_USER,
  outcomeUnknown,
  paid,
  placed,
  rejectAttempt,
  startAttempt,
  stateOf,
} from './order-fixtures';

describe('Order: payment attempts (C1, C2, C5, C6)', () => {
  describe('C1 checks before any PG call', () => {
    it('starts attempt 1 for the owner of a pending, unexpired order with the matching amount', () => {
      given([placed()])
        .when(startAttempt(), min(5))
        .then([attemptStarted(1, min(5))]);
    });

    it('refuses an order that does not exist', () => {
      given([]).when(startAttempt(), min(5)).thenRejects('ORDER_NOT_FOUND');
    });

    it("refuses another user's order", () => {
      given([placed()])
        .when(startAttempt({ userId: OTHER_USER }), min(5))
        .thenRejects('FORBIDDEN');
    });

    it("refuses another user's order even when it is paid (no information leaks)", () => {
      given([placed(), attemptStarted(1, min(1)), paid({ approvedAt: min(2) })])
        .when(startAttempt({ userId: OTHER_USER }), min(5))
        .thenRejects('FORBIDDEN');
    });

    it('refuses a paid order', () => {
      given([placed(), attemptStarted(1, min(1)), paid({ approvedAt: min(2) })])
        .when(startAttempt({ pgPaymentId: 'pk-2' }), min(5))
        .thenRejects('ORDER_ALREADY_PAID');
    });

    it('refuses an order whose expiry is recorded', () => {
      given([placed(), orderExpired(EXPIRES_AT)])
        .when(startAttempt(), min(31))
        .thenRejects('ORDER_EXPIRED');
    });

    it('refuses an order at its expiry instant even before the expiry is recorded', () => {
      given([placed()]).when(startAttempt(), EXPIRES_AT).thenRejects('ORDER_EXPIRED');
    });

    it('accepts an attempt one millisecond before the expiry instant', () => {
      given([placed()])
        .when(startAttempt(), EXPIRES_AT - 1)
        .then([attemptStarted(1, EXPIRES_AT - 1)]);
    });

    it('refuses an amount that differs from the order amount', () => {
      given([placed()])
        .when(startAttempt({ amount: 100 }), min(5))
        .thenRejects('AMOUNT_MISMATCH');
    });

    it('refuses an EVENT order confirmed with another amount than the one chosen', () => {
      given([placed({ plan: EVENT, amount: 50_000 })])
        .when(startAttempt({ amount: 5_000 }), min(5))
        .thenRejects('AMOUNT_MISMATCH');
    });

    it('skips the amount check when the window returned none (PortOne) and records the order amount', () => {
      given([placed()])
        .when(startAttempt({ amount: null, provider: 'portone', pgPaymentId: 'imp_123' }), min(5))
        .then([attemptStarted(1, min(5), { provider: 'portone', pgPaymentId: 'imp_123' })]);
    });

    it('refuses a second attempt while the first is in flight', () => {
      given([placed(), attemptStarted(1, min(1))])
        .when(startAttempt({ pgPaymentId: 'pk-2' }), min(2))
        .thenRejects('CONCURRENCY_CONFLICT');
    });

    it('refuses a second attempt while the first has an unknown outcome', () => {
      given([placed(), attemptStarted(1, min(1)), outcomeUnknown(1, min(2))])
        .when(startAttempt({ pgPaymentId: 'pk-2' }), min(3))
        .thenRejects('CONCURRENCY_CONFLICT');
    });
  });

  describe('C2 attempts are recorded with a derived PG idempotency key', () => {
    it('numbers attempts 1, 2, 3 and derives a different key for each', () => {
      const events = [
        placed(),
        attemptStarted(1, min(1)),
        attemptRejected(1, min(2)),
        attemptStarted(2, min(3), { pgPaymentId: 'pk-2' }),
        attemptRejected(2, min(4)),
      ];
      const all = given(events)
        .when(startAttempt({ pgPaymentId: 'pk-3' }), min(5))
        .history();
      expect(all[all.length - 1]).toEqual(attemptStarted(3, min(5), { pgPaymentId: 'pk-3' }));
      const keys = keysOf(all);
      expect(keys).toEqual([
        attemptIdempotencyKey(ORDER_ID, 1),
        attemptIdempotencyKey(ORDER_ID, 2),
        attemptIdempotencyKey(ORDER_ID, 3),
      ]);
      expect(new Set(keys).size).toBe(3);
    });

    it('derives the same key for a retry of the same attempt (deciding it again gives the same key)', () => {
      const first = given([placed()]).when(startAttempt(), min(1)).history();
      const retried = given([placed()]).when(startAttempt(), min(2)).history();
      expect(keysOf(first)).toEqual([attemptIdempotencyKey(ORDER_ID, 1)]);
      expect(keysOf(retried)).toEqual(keysOf(first));
    });

    it('makes keys that differ per order for the same attempt number', () => {
      expect(attemptIdempotencyKey('order-a-000000000000000', 1)).not.toBe(
        attemptIdempotencyKey('order-b-000000000000000', 1),
      );
    });

    it('keeps the key within what Toss accepts (at most 300 chars)', () => {
      expect(attemptIdempotencyKey('x'.repeat(40), 99).length).toBeLessThanOrEqual(300);
    });
  });

  describe('C5 a PG refusal keeps the order payable', () => {
    it('records the refusal with the PG code', () => {
      given([placed(), attemptStarted(1, min(1))])
        .when(rejectAttempt(1, 'REJECT_CARD_COMPANY'), min(2))
        .then([attemptRejected(1, min(2), 'REJECT_CARD_COMPANY')]);
    });

    it('lets a new attempt start after a refusal', () => {
      given([placed(), attemptStarted(1, min(1)), attemptRejected(1, min(2))])
        .when(startAttempt({ pgPaymentId: 'pk-2' }), min(3))
        .then([attemptStarted(2, min(3), { pgPaymentId: 'pk-2' })]);
    });

    it('settles an attempt whose outcome was unknown when the PG later says it refused', () => {
      given([placed(), attemptStarted(1, min(1)), outcomeUnknown(1, min(2))])
        .when(rejectAttempt(1), min(4))
        .then([attemptRejected(1, min(4))]);
    });

    it('records a refusal only once', () => {
      given([placed(), attemptStarted(1, min(1)), attemptRejected(1, min(2))])
        .when(rejectAttempt(1), min(3))
        .then([]);
    });

    it('ignores a refusal for an attempt that was approved', () => {
      given([placed(), attemptStarted(1, min(1)), paid({ approvedAt: min(2) })])
        .when(rejectAttempt(1), min(3))
        .then([]);
    });

    it('ignores a refusal for an attempt that does not exist', () => {
      given([placed()]).when(rejectAttempt(7), min(3)).then([]);
    });

    it('lets a new attempt start after an approval was refused (AMOUNT_MISMATCH) on a pending order', () => {
      given([
        placed(),
        attemptStarted(1, min(1)),
        approvalRefused({
          approvedAt: min(2),
          pgAmount: 100,
          reason: 'AMOUNT_MISMATCH',
          at: min(2),
          detail: 'x',
        }),
      ])
        .when(startAttempt({ pgPaymentId: 'pk-2' }), min(3))
        .then([attemptStarted(2, min(3), { pgPaymentId: 'pk-2' })]);
    });
  });

  describe('C6 an unknown outcome', () => {
    it('is recorded for an attempt in flight', () => {
      given([placed(), attemptStarted(1, min(1))])
        .when(attemptUnknown(1, 'socket hang up'), min(2))
        .then([outcomeUnknown(1, min(2), 'socket hang up')]);
    });

    it('is recorded once (idempotent)', () => {
      given([placed(), attemptStarted(1, min(1)), outcomeUnknown(1, min(2))])
        .when(attemptUnknown(1), min(3))
        .then([]);
    });

    it('never turns a settled attempt back into unknown', () => {
      given([placed(), attemptStarted(1, min(1)), attemptRejected(1, min(2))])
        .when(attemptUnknown(1), min(3))
        .then([]);
      given([placed(), attemptStarted(1, min(1)), paid({ approvedAt: min(2) })])
        .when(attemptUnknown(1), min(3))
        .then([]);
    });

    it('is not recorded for an attempt that does not exist', () => {
      given([placed()]).when(attemptUnknown(1), min(3)).then([]);
    });

    it('refuses commands other than placing and starting for an order that does not exist', () => {
      given([]).when(attemptUnknown(1), min(3)).thenRejects('ORDER_NOT_FOUND');
      given([])
        .when(approval({ approvedAt: min(1) }), min(3))
        .thenRejects('ORDER_NOT_FOUND');
    });
  });
});

function keysOf(events: Parameters<typeof stateOf>[0]): string[] {
  const state = stateOf(events);
  return state.status === 'NONE' ? [] : state.attempts.map((a) => a.idempotencyKey);
}
