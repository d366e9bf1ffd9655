import { paymentStatus, refundableBalance, refundedAmount } from '../../../src/domain/payment/payment.state';
import {
  AMOUNT,
  APPROVED_AT,
  approved,
  completeRefund,
  existing,
  given,
  hours,
  markRefundUnknown,
  openPayment,
  pgCancelRecorded,
  recordPgCancel,
  refundCompleted,
  refundRejected,
  refundRequested,
  refundUnknown,
  rejectRefund,
} from './payment-fixtures';

describe('Payment: opening, settling refunds, PG cancels', () => {
  describe('OpenPayment', () => {
    it('records the approved payment', () => {
      given([]).when(openPayment, APPROVED_AT).then([approved]);
    });

    it('is idempotent: a payment is opened once', () => {
      given([approved]).when(openPayment, hours(1)).then([]);
    });

    it('starts APPROVED with nothing refunded', () => {
      const state = existing([approved]);
      expect(paymentStatus(state)).toBe('APPROVED');
      expect(refundedAmount(state)).toBe(0);
      expect(refundableBalance(state)).toBe(AMOUNT);
    });
  });

  describe('F3 settling a pending refund', () => {
    const pending = [approved, refundRequested('r1', 5_000, hours(1))];

    it('completes a pending refund with the PG cancel id', () => {
      given(pending)
        .when(completeRefund('r1', 'tx-9'), hours(2))
        .then([refundCompleted('r1', hours(2), 'tx-9')]);
    });

    it('completes a refund whose outcome was unknown', () => {
      given([...pending, refundUnknown('r1', hours(1))])
        .when(completeRefund('r1'), hours(3))
        .then([refundCompleted('r1', hours(3))]);
    });

    it('completes a refund only once', () => {
      given([...pending, refundCompleted('r1', hours(2))])
        .when(completeRefund('r1'), hours(3))
        .then([]);
    });

    it('does not complete a rejected refund', () => {
      given([...pending, refundRejected('r1', hours(2))])
        .when(completeRefund('r1'), hours(3))
        .then([]);
    });

    it('does not complete a refund that was never requested', () => {
      given([approved]).when(completeRefund('nope'), hours(3)).then([]);
    });

    it('rejects a pending refund', () => {
      given(pending)
        .when(rejectRefund('r1'), hours(2))
        .then([refundRejected('r1', hours(2))]);
    });

    it('rejects a refund only once, and never a completed one', () => {
      given([...pending, refundRejected('r1', hours(2))])
        .when(rejectRefund('r1'), hours(3))
        .then([]);
      given([...pending, refundCompleted('r1', hours(2))])
        .when(rejectRefund('r1'), hours(3))
        .then([]);
    });

    it('marks a pending refund unknown once', () => {
      given(pending)
        .when(markRefundUnknown('r1'), hours(2))
        .then([refundUnknown('r1', hours(2))]);
      given([...pending, refundUnknown('r1', hours(2))])
        .when(markRefundUnknown('r1'), hours(3))
        .then([]);
    });

    it('never marks a settled refund unknown', () => {
      given([...pending, refundCompleted('r1', hours(2))])
        .when(markRefundUnknown('r1'), hours(3))
        .then([]);
      given([...pending, refundRejected('r1', hours(2))])
        .when(markRefundUnknown('r1'), hours(3))
        .then([]);
    });

    it('keeps an unknown refund PENDING (its amount still reserved)', () => {
      const state = existing([...pending, refundUnknown('r1', hours(2))]);
      expect(state.refunds[0]).toMatchObject({ status: 'PENDING', outcomeUnknown: true });
      expect(refundableBalance(state)).toBe(AMOUNT - 5_000);
    });

    it('refuses settling commands for a payment that does not exist', () => {
      given([]).when(completeRefund('r1'), hours(1)).thenRejects('PAYMENT_NOT_FOUND');
    });
  });

  describe('cancels made at the PG outside the service', () => {
    it('records a PG cancel as a completed refund', () => {
      given([approved])
        .when(recordPgCancel('c-1', 3_000, hours(5)), hours(6))
        .then([pgCancelRecorded('c-1', 3_000, hours(5))]);
    });

    it('records a PG cancel once (idempotent by pgCancelId)', () => {
      given([approved, pgCancelRecorded('c-1', 3_000, hours(5))])
        .when(recordPgCancel('c-1', 3_000, hours(5)), hours(7))
        .then([]);
    });

    it('does not record again a cancel that completed one of our own refunds', () => {
      given([approved, refundRequested('r1', 5_000, hours(1)), refundCompleted('r1', hours(2), 'tx-9')])
        .when(recordPgCancel('tx-9', 5_000, hours(2)), hours(3))
        .then([]);
    });

    it('counts a PG cancel in the refunded amount', () => {
      const state = existing([approved, pgCancelRecorded('c-1', 3_000, hours(5))]);
      expect(refundedAmount(state)).toBe(3_000);
      expect(state.refunds[0]).toMatchObject({
        status: 'COMPLETED',
        pgCancelId: 'c-1',
        completedAt: hours(5),
      });
    });
  });

  describe('paymentStatus, refundedAmount, refundableBalance', () => {
    it('is PARTIALLY_REFUNDED after a completed partial refund', () => {
      const state = existing([
        approved,
        refundRequested('r1', 5_000, hours(1)),
        refundCompleted('r1', hours(2)),
      ]);
      expect(paymentStatus(state)).toBe('PARTIALLY_REFUNDED');
      expect(refundedAmount(state)).toBe(5_000);
      expect(refundableBalance(state)).toBe(AMOUNT - 5_000);
    });

    it('is REFUNDED when completed refunds reach the amount', () => {
      const state = existing([
        approved,
        refundRequested('r1', 5_000, hours(1)),
        refundCompleted('r1', hours(2)),
        refundRequested('r2', AMOUNT - 5_000, hours(3), { balanceBefore: AMOUNT - 5_000 }),
        refundCompleted('r2', hours(4)),
      ]);
      expect(paymentStatus(state)).toBe('REFUNDED');
      expect(refundedAmount(state)).toBe(AMOUNT);
      expect(refundableBalance(state)).toBe(0);
    });

    it('stays APPROVED while a refund is only pending, but the balance is reserved', () => {
      const state = existing([approved, refundRequested('r1', AMOUNT, hours(1))]);
      expect(paymentStatus(state)).toBe('APPROVED');
      expect(refundedAmount(state)).toBe(0);
      expect(refundableBalance(state)).toBe(0);
    });

    it('counts neither the refunded amount nor the reservation of a rejected refund', () => {
      const state = existing([
        approved,
        refundRequested('r1', 5_000, hours(1)),
        refundRejected('r1', hours(2)),
      ]);
      expect(paymentStatus(state)).toBe('APPROVED');
      expect(refundedAmount(state)).toBe(0);
      expect(refundableBalance(state)).toBe(AMOUNT);
    });

    it('is REFUNDED after a full cancel in the PG console', () => {
      expect(paymentStatus(existing([approved, pgCancelRecorded('c-1', AMOUNT, hours(5))]))).toBe('REFUNDED');
    });
  });
});
