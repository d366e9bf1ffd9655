import type { OrderEvent } from '../../../src/domain/order/order.events';
import { unsettledAttempt, type ExistingOrder } from '../../../src/domain/order/order.state';
import { toIso, type Instant } from '../../../src/domain/shared/time';
import {
  approval,
  approvalRefused,
  attemptStarted,
  given,
  min,
  orderExpired,
  outcomeUnknown,
  paid,
  pgApprovalCancelled,
  PG_KEY,
  placed,
  startAttempt,
} from './order-fixtures';

/** What an attempt records when it asks about an approval the webhook path refused first. */
const attemptSettledByRefusal = (attempt: number, at: Instant, code: string): OrderEvent => ({
  type: 'PaymentAttemptRejected',
  data: { attempt, code, message: expect.any(String) as unknown as string, at: toIso(at) },
});

const attemptApproved = (attempt: number, at: Instant): OrderEvent => ({
  type: 'PaymentAttemptApproved',
  data: { attempt, pgPaymentId: PG_KEY, at: toIso(at) },
});

/** PortOne: the `paid` webhook of a tampered amount arrived before the buyer's confirm. */
const refusedByWebhook = (at = min(2)): OrderEvent[] => [
  approvalRefused({
    attempt: null,
    pgAmount: 100,
    approvedAt: min(2),
    reason: 'AMOUNT_MISMATCH',
    at,
    detail: 'the PG approved 100 KRW for an order of 9900 KRW',
  }),
  pgApprovalCancelled(at),
];

describe('Order: an approval reported again settles the attempt that asks (C7, O3, O4)', () => {
  describe('an approval already refused', () => {
    it('settles the attempt asking about it as REJECTED with the refusal reason', () => {
      given([placed(), attemptStarted(1, min(1)), ...refusedByWebhook()])
        .when(approval({ attempt: 1, pgAmount: 100, approvedAt: min(2) }), min(3))
        .then([attemptSettledByRefusal(1, min(3), 'AMOUNT_MISMATCH')]);
    });

    it('leaves the order pending and payable, with no attempt holding it and one refusal recorded', () => {
      const state = given([placed(), attemptStarted(1, min(1)), ...refusedByWebhook()])
        .when(approval({ attempt: 1, pgAmount: 100, approvedAt: min(2) }), min(3))
        .state() as ExistingOrder;
      expect(state).toMatchObject({
        status: 'PENDING',
        attempts: [{ attempt: 1, status: 'REJECTED', rejection: { code: 'AMOUNT_MISMATCH' } }],
        refusedApprovals: [{ pgPaymentId: PG_KEY, reason: 'AMOUNT_MISMATCH', cancelled: true }],
      });
      expect(unsettledAttempt(state)).toBeUndefined();
    });

    it('records the expiry the attempt held once it settles after the expiry instant', () => {
      given([placed(), attemptStarted(1, min(29)), ...refusedByWebhook(min(29)), outcomeUnknown(1, min(30))])
        .when(approval({ attempt: 1, pgAmount: 100, approvedAt: min(2) }), min(40))
        .then([attemptSettledByRefusal(1, min(40), 'AMOUNT_MISMATCH'), orderExpired(min(40))]);
    });

    it('does not record the expiry before the expiry instant', () => {
      given([placed(), attemptStarted(1, min(1)), ...refusedByWebhook()])
        .when(approval({ attempt: 1, pgAmount: 100, approvedAt: min(2) }), min(29))
        .then([attemptSettledByRefusal(1, min(29), 'AMOUNT_MISMATCH')]);
    });

    it('records nothing when no attempt asks (the webhook reports it again)', () => {
      given([placed(), attemptStarted(1, min(1)), ...refusedByWebhook()])
        .when(approval({ attempt: null, pgAmount: 100, approvedAt: min(2) }), min(3))
        .then([]);
    });

    it('records nothing for an attempt already settled by that refusal', () => {
      given([
        placed(),
        attemptStarted(1, min(1)),
        ...refusedByWebhook(),
        attemptSettledByRefusal(1, min(3), 'AMOUNT_MISMATCH'),
      ])
        .when(approval({ attempt: 1, pgAmount: 100, approvedAt: min(2) }), min(4))
        .then([]);
    });
  });

  describe('StartPaymentAttempt for an approval already refused', () => {
    it('is refused before any PG call with the refusal reason as the code', () => {
      given([placed(), ...refusedByWebhook()])
        .when(startAttempt({ provider: 'portone', pgPaymentId: PG_KEY, amount: null }), min(3))
        .thenRejects('AMOUNT_MISMATCH', { pgPaymentId: PG_KEY });
    });

    it('is refused while the refused approval is still being cancelled at the PG', () => {
      given([placed(), refusedByWebhook()[0]])
        .when(startAttempt({ provider: 'portone', pgPaymentId: PG_KEY, amount: null }), min(3))
        .thenRejects('AMOUNT_MISMATCH');
    });

    it('still lets another PG payment start an attempt on the pending order', () => {
      given([placed(), ...refusedByWebhook()])
        .when(startAttempt({ provider: 'portone', pgPaymentId: 'imp_other', amount: null }), min(3))
        .then([attemptStarted(1, min(3), { provider: 'portone', pgPaymentId: 'imp_other' })]);
    });
  });

  describe('the approval that already paid the order', () => {
    it('settles the attempt asking about it as APPROVED without paying the order again', () => {
      given([placed(), attemptStarted(1, min(1)), paid({ attempt: null, approvedAt: min(2) })])
        .when(approval({ attempt: 1, approvedAt: min(2) }), min(3))
        .then([attemptApproved(1, min(3))]);
    });

    it('leaves the payment as the webhook recorded it, with no attempt holding the order', () => {
      const state = given([placed(), attemptStarted(1, min(1)), paid({ attempt: null, approvedAt: min(2) })])
        .when(approval({ attempt: 1, approvedAt: min(2) }), min(3))
        .state() as ExistingOrder;
      expect(state).toMatchObject({
        status: 'PAID',
        payment: { attempt: null, pgPaymentId: PG_KEY, approvedAt: min(2) },
        attempts: [{ attempt: 1, status: 'APPROVED' }],
      });
      expect(unsettledAttempt(state)).toBeUndefined();
    });

    it('settles an attempt whose outcome was unknown the same way', () => {
      given([
        placed(),
        attemptStarted(1, min(1)),
        outcomeUnknown(1, min(1)),
        paid({ attempt: null, approvedAt: min(2) }),
      ])
        .when(approval({ attempt: 1, approvedAt: min(2) }), min(5))
        .then([attemptApproved(1, min(5))]);
    });

    it('records nothing once the attempt is settled', () => {
      given([
        placed(),
        attemptStarted(1, min(1)),
        paid({ attempt: null, approvedAt: min(2) }),
        attemptApproved(1, min(3)),
      ])
        .when(approval({ attempt: 1, approvedAt: min(2) }), min(4))
        .then([]);
    });
  });
});
