import { effectiveOrderStatus, type ExistingOrder } from '../../../src/domain/order/order.state';
import {
  approvalRefused,
  attemptRejected,
  attemptStarted,
  expireOrder,
  EXPIRES_AT,
  given,
  min,
  orderExpired,
  outcomeUnknown,
  paid,
  placed,
  stateOf,
} from './order-fixtures';

function existing(events: Parameters<typeof stateOf>[0]): ExistingOrder {
  const state = stateOf(events);
  if (state.status === 'NONE') throw new Error('expected an order');
  return state;
}

describe('Order: expiry (O3)', () => {
  describe('ExpireOrder', () => {
    it('records nothing before the expiry instant', () => {
      given([placed()])
        .when(expireOrder, EXPIRES_AT - 1)
        .then([]);
    });

    it('records the expiry at the expiry instant exactly', () => {
      given([placed()])
        .when(expireOrder, EXPIRES_AT)
        .then([orderExpired(EXPIRES_AT)]);
    });

    it('dates the expiry at the expiry instant even when the job runs late', () => {
      given([placed()])
        .when(expireOrder, min(47))
        .then([orderExpired(EXPIRES_AT)]);
    });

    it('is held by an attempt in flight', () => {
      given([placed(), attemptStarted(1, min(29))])
        .when(expireOrder, min(31))
        .then([]);
    });

    it('is held by an attempt whose outcome is unknown', () => {
      given([placed(), attemptStarted(1, min(29)), outcomeUnknown(1, min(29))])
        .when(expireOrder, min(90))
        .then([]);
    });

    it('once the held attempt is refused, dates the expiry at when it became known', () => {
      given([placed(), attemptStarted(1, min(29)), outcomeUnknown(1, min(29)), attemptRejected(1, min(40))])
        .when(expireOrder, min(41))
        .then([orderExpired(min(40))]);
    });

    it('once the held attempt is settled by a refused approval, dates the expiry at that settlement', () => {
      given([
        placed(),
        attemptStarted(1, min(29)),
        outcomeUnknown(1, min(29)),
        approvalRefused({
          pgAmount: 1,
          approvedAt: min(29),
          reason: 'AMOUNT_MISMATCH',
          at: min(35),
          detail: 'x',
        }),
      ])
        .when(expireOrder, min(50))
        .then([orderExpired(min(35))]);
    });

    it('dates the expiry at the instant when the attempt was refused before it', () => {
      given([placed(), attemptStarted(1, min(10)), attemptRejected(1, min(11))])
        .when(expireOrder, min(31))
        .then([orderExpired(EXPIRES_AT)]);
    });

    it('records nothing for a paid order', () => {
      given([placed(), attemptStarted(1, min(1)), paid({ approvedAt: min(2) })])
        .when(expireOrder, min(31))
        .then([]);
    });

    it('records the expiry only once', () => {
      given([placed(), orderExpired(EXPIRES_AT)])
        .when(expireOrder, min(31))
        .then([]);
    });

    it('refuses an order that does not exist', () => {
      given([]).when(expireOrder, min(31)).thenRejects('ORDER_NOT_FOUND');
    });

    it('makes the order EXPIRED with the recorded instant', () => {
      const state = given([placed()]).when(expireOrder, min(31)).state();
      expect(state).toMatchObject({ status: 'EXPIRED', expiredAt: EXPIRES_AT });
    });
  });

  describe('effectiveOrderStatus: what a reader sees', () => {
    it('is PENDING before the expiry instant', () => {
      expect(effectiveOrderStatus(existing([placed()]), EXPIRES_AT - 1)).toBe('PENDING');
    });

    it('is EXPIRED from the expiry instant on, even before the expiry is recorded', () => {
      expect(effectiveOrderStatus(existing([placed()]), EXPIRES_AT)).toBe('EXPIRED');
    });

    it('stays PENDING after the instant while an outcome is unknown', () => {
      const events = [placed(), attemptStarted(1, min(29)), outcomeUnknown(1, min(29))];
      expect(effectiveOrderStatus(existing(events), min(60))).toBe('PENDING');
    });

    it('is EXPIRED once the held attempt settles after the instant', () => {
      const events = [
        placed(),
        attemptStarted(1, min(29)),
        outcomeUnknown(1, min(29)),
        attemptRejected(1, min(40)),
      ];
      expect(effectiveOrderStatus(existing(events), min(40))).toBe('EXPIRED');
    });

    it('stays PAID after the expiry instant', () => {
      const events = [placed(), attemptStarted(1, min(1)), paid({ approvedAt: min(2) })];
      expect(effectiveOrderStatus(existing(events), min(600))).toBe('PAID');
    });

    it('is EXPIRED when the expiry is recorded', () => {
      expect(effectiveOrderStatus(existing([placed(), orderExpired(EXPIRES_AT)]), min(31))).toBe('EXPIRED');
    });
  });
});
