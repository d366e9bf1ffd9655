import { refundIdempotencyKey } from '../../../src/domain/payment/payment.commands';
import {
  admin,
  AMOUNT,
  approved,
  days,
  existing,
  given,
  hours,
  ORDER_ID,
  pgCancelRecorded,
  refundCompleted,
  refundRejected,
  refundRequested,
  requestRefund,
  stranger,
  WINDOW_DAYS,
} from './payment-fixtures';

describe('Payment: refund requests (F1, F2, F3)', () => {
  describe('F1 who may refund, and until when', () => {
    it('lets the owner refund within the window', () => {
      given([approved])
        .when(requestRefund('r1'), hours(1))
        .then([refundRequested('r1', AMOUNT, hours(1))]);
    });

    it('lets the owner refund one millisecond before the window closes', () => {
      given([approved])
        .when(requestRefund('r1'), days(WINDOW_DAYS) - 1)
        .then([refundRequested('r1', AMOUNT, days(WINDOW_DAYS) - 1)]);
    });

    it('refuses the owner at exactly approval + REFUND_WINDOW_DAYS, telling the window', () => {
      given([approved])
        .when(requestRefund('r1'), days(WINDOW_DAYS))
        .thenRejects('REFUND_WINDOW_CLOSED', { refundWindowDays: WINDOW_DAYS });
    });

    it('judges the window with the number of days in force for the request', () => {
      given([approved])
        .when(requestRefund('r1', { windowDays: 7 }), days(5))
        .then([refundRequested('r1', AMOUNT, days(5), { windowDays: 7 })]);
      given([approved])
        .when(requestRefund('r1', { windowDays: 1 }), days(1))
        .thenRejects('REFUND_WINDOW_CLOSED');
    });

    it('lets an admin refund at any time, recording the window in force', () => {
      given([approved])
        .when(requestRefund('r1', { actor: admin }), days(400))
        .then([refundRequested('r1', AMOUNT, days(400), { actor: admin })]);
    });

    it("refuses another user's refund, even within the window", () => {
      given([approved])
        .when(requestRefund('r1', { actor: stranger }), hours(1))
        .thenRejects('FORBIDDEN');
    });

    it('records who asked and the window in force with each refund, so an audit can re-check it', () => {
      const [event] = given([approved])
        .when(requestRefund('r1', { windowDays: 3 }), hours(2))
        .events();
      expect(event?.data).toMatchObject({
        requestedBy: { userId: 'user-1', role: 'user' },
        refundWindowDays: 3,
      });
    });

    it('refuses a refund of a payment that does not exist', () => {
      given([]).when(requestRefund('r1'), hours(1)).thenRejects('PAYMENT_NOT_FOUND');
    });
  });

  describe('F2 partial refunds within the paid amount', () => {
    it('refunds part of the payment', () => {
      given([approved])
        .when(requestRefund('r1', { amount: 5_000 }), hours(1))
        .then([refundRequested('r1', 5_000, hours(1))]);
    });

    it('refunds the whole refundable balance when no amount is given', () => {
      given([approved, refundRequested('r1', 5_000, hours(1)), refundCompleted('r1', hours(1))])
        .when(requestRefund('r2'), hours(2))
        .then([refundRequested('r2', AMOUNT - 5_000, hours(2), { balanceBefore: AMOUNT - 5_000 })]);
    });

    it('counts a pending refund against the balance', () => {
      given([approved, refundRequested('r1', 15_000, hours(1))])
        .when(requestRefund('r2', { amount: 5_000 }), hours(2))
        .thenRejects('REFUND_EXCEEDS_BALANCE', { refundableAmount: AMOUNT - 15_000 });
    });

    it('omitting the amount while another refund is pending refunds only what is left', () => {
      const [event] = given([approved, refundRequested('r1', 15_000, hours(1))])
        .when(requestRefund('r2'), hours(2))
        .events();
      expect(event?.data).toMatchObject({ refundId: 'r2', amount: AMOUNT - 15_000 });
    });

    it('frees the amount of a rejected refund', () => {
      given([approved, refundRequested('r1', 15_000, hours(1)), refundRejected('r1', hours(1))])
        .when(requestRefund('r2', { amount: 15_000 }), hours(2))
        .then([refundRequested('r2', 15_000, hours(2))]);
    });

    it('refuses more than the balance', () => {
      given([approved])
        .when(requestRefund('r1', { amount: AMOUNT + 1 }), hours(1))
        .thenRejects('REFUND_EXCEEDS_BALANCE', {
          refundableAmount: AMOUNT,
        });
    });

    it('accepts exactly the balance', () => {
      given([approved, refundRequested('r1', 4_900, hours(1)), refundCompleted('r1', hours(1))])
        .when(requestRefund('r2', { amount: 15_000 }), hours(2))
        .then([refundRequested('r2', 15_000, hours(2), { balanceBefore: 15_000 })]);
    });

    it('refuses any refund of a fully refunded payment', () => {
      given([approved, refundRequested('r1', AMOUNT, hours(1)), refundCompleted('r1', hours(1))])
        .when(requestRefund('r2'), hours(2))
        .thenRejects('REFUND_EXCEEDS_BALANCE', { refundableAmount: 0 });
    });

    it('counts cancels made in the PG console against the balance', () => {
      given([approved, pgCancelRecorded('c-1', 10_000, hours(1))])
        .when(requestRefund('r1', { amount: 10_000 }), hours(2))
        .thenRejects('REFUND_EXCEEDS_BALANCE', { refundableAmount: 9_900 });
    });

    it.each([0, -1_000])('refuses a refund of %i KRW', (amount) => {
      given([approved]).when(requestRefund('r1', { amount }), hours(1)).thenRejects('REFUND_EXCEEDS_BALANCE');
    });

    it('lets an admin refund beyond the window but never beyond the balance', () => {
      given([approved, refundRequested('r1', AMOUNT, hours(1)), refundCompleted('r1', hours(1))])
        .when(requestRefund('r2', { actor: admin, amount: 1 }), days(30))
        .thenRejects('REFUND_EXCEEDS_BALANCE');
    });
  });

  describe('F3 the refund is recorded before the PG call, with a derived key', () => {
    it('derives the idempotency key from the order and the refund id', () => {
      const [event] = given([approved]).when(requestRefund('r1'), hours(1)).events();
      expect(event?.data).toMatchObject({ idempotencyKey: refundIdempotencyKey(ORDER_ID, 'r1') });
    });

    it('derives a different key for each refund and the same one for the same refund', () => {
      expect(refundIdempotencyKey(ORDER_ID, 'r1')).toBe(refundIdempotencyKey(ORDER_ID, 'r1'));
      expect(refundIdempotencyKey(ORDER_ID, 'r1')).not.toBe(refundIdempotencyKey(ORDER_ID, 'r2'));
      expect(refundIdempotencyKey(ORDER_ID, 'r1')).not.toBe(
        refundIdempotencyKey('ord_other_000000000000', 'r1'),
      );
    });

    it('records a repeated request with the same refund id only once', () => {
      given([approved, refundRequested('r1', 5_000, hours(1))])
        .when(requestRefund('r1', { amount: 5_000 }), hours(2))
        .then([]);
    });

    it('records the PG balance before the refund (completed refunds only)', () => {
      const state = existing([
        approved,
        refundRequested('r1', 4_900, hours(1)),
        refundCompleted('r1', hours(1)),
        refundRequested('r2', 5_000, hours(2), { balanceBefore: 15_000 }),
      ]);
      expect(state.refunds.map((r) => r.balanceBefore)).toEqual([AMOUNT, 15_000]);
    });
  });
});
