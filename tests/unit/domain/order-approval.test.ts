import {
  approval,
  approvalCancelled,
  approvalRefused,
  attemptRejected,
  attemptStarted,
  CARD,
  EXPIRES_AT,
  given,
  min,
  orderExpired,
  outcomeUnknown,
  paid,
  pgApprovalCancelled,
  PG_KEY,
  placed,
} from './order-fixtures';

const SECOND = 1_000;

describe('Order: recording what the PG approved (C7, O3, O4)', () => {
  describe('an approval that can be honoured', () => {
    it('pays the order with the approved amount, approval time and method detail', () => {
      given([placed(), attemptStarted(1, min(1))])
        .when(approval({ approvedAt: min(2) }), min(2))
        .then([paid({ approvedAt: min(2) })]);
    });

    it('marks the order PAID and the attempt APPROVED', () => {
      const state = given([placed(), attemptStarted(1, min(1))])
        .when(approval({ approvedAt: min(2) }), min(2))
        .state();
      expect(state).toMatchObject({
        status: 'PAID',
        payment: { pgPaymentId: PG_KEY, amount: 9_900, approvedAt: min(2), methodDetail: CARD },
        attempts: [{ attempt: 1, status: 'APPROVED' }],
      });
    });

    it('honours an approval made just before the expiry instant, learnt after it (O3)', () => {
      given([placed(), attemptStarted(1, min(29)), outcomeUnknown(1, min(29))])
        .when(approval({ approvedAt: EXPIRES_AT - 1 }), min(45))
        .then([paid({ approvedAt: EXPIRES_AT - 1 })]);
    });

    it('honours an approval made before the expiry instant even when the expiry was recorded first (O3)', () => {
      // PortOne: paid in the window at 29:50, confirm refused after the expiry, webhook learnt later.
      given([placed(), orderExpired(EXPIRES_AT)])
        .when(approval({ attempt: null, approvedAt: EXPIRES_AT - 10_000 }), min(35))
        .then([paid({ attempt: null, approvedAt: EXPIRES_AT - 10_000 })]);
    });

    it('honours an approval found without an attempt (webhook, reconciler) on a pending order', () => {
      given([placed()])
        .when(approval({ attempt: null, approvedAt: min(3) }), min(4))
        .then([paid({ attempt: null, approvedAt: min(3) })]);
    });
  });

  describe('O4 / idempotency: the same approval twice', () => {
    it('records nothing for the pgPaymentId that already paid the order', () => {
      given([placed(), attemptStarted(1, min(1)), paid({ approvedAt: min(2) })])
        .when(approval({ approvedAt: min(2) }), min(3))
        .then([]);
    });

    it('records nothing for a pgPaymentId already refused', () => {
      given([
        placed(),
        attemptStarted(1, min(1)),
        approvalRefused({
          pgAmount: 100,
          approvedAt: min(2),
          reason: 'AMOUNT_MISMATCH',
          at: min(2),
          detail: 'x',
        }),
      ])
        .when(approval({ pgAmount: 100, approvedAt: min(2) }), min(3))
        .then([]);
    });

    it('records nothing for a refused pgPaymentId even after its cancel (a refused approval is never honoured)', () => {
      given([
        placed(),
        attemptStarted(1, min(1)),
        approvalRefused({
          pgAmount: 100,
          approvedAt: min(2),
          reason: 'AMOUNT_MISMATCH',
          at: min(2),
          detail: 'x',
        }),
        pgApprovalCancelled(min(3)),
      ])
        .when(approval({ approvedAt: min(2) }), min(4))
        .then([]);
    });
  });

  describe('C7 an approval that cannot be honoured is refused with its reason', () => {
    it('refuses an approved amount different from the order amount (AMOUNT_MISMATCH)', () => {
      given([placed(), attemptStarted(1, min(1))])
        .when(approval({ pgAmount: 100, approvedAt: min(2) }), min(2))
        .then([
          approvalRefused({ pgAmount: 100, approvedAt: min(2), reason: 'AMOUNT_MISMATCH', at: min(2) }),
        ]);
    });

    it('leaves the order pending and payable after an AMOUNT_MISMATCH refusal before the expiry', () => {
      const state = given([placed(), attemptStarted(1, min(1))])
        .when(approval({ pgAmount: 100, approvedAt: min(2) }), min(2))
        .state();
      expect(state).toMatchObject({
        status: 'PENDING',
        payment: null,
        attempts: [{ attempt: 1, status: 'APPROVAL_REFUSED' }],
        refusedApprovals: [{ pgPaymentId: PG_KEY, reason: 'AMOUNT_MISMATCH', cancelled: false }],
      });
    });

    it('refuses a second PG payment for an order already paid by another (ORDER_ALREADY_PAID)', () => {
      given([placed(), attemptStarted(1, min(1)), paid({ approvedAt: min(2) })])
        .when(approval({ attempt: null, pgPaymentId: 'pk-other', approvedAt: min(3) }), min(4))
        .then([
          approvalRefused({
            attempt: null,
            pgPaymentId: 'pk-other',
            approvedAt: min(3),
            reason: 'ORDER_ALREADY_PAID',
            at: min(4),
          }),
        ]);
    });

    it('keeps the first payment when a second one is refused', () => {
      const state = given([placed(), attemptStarted(1, min(1)), paid({ approvedAt: min(2) })])
        .when(approval({ attempt: null, pgPaymentId: 'pk-other', approvedAt: min(3) }), min(4))
        .state();
      expect(state).toMatchObject({ status: 'PAID', payment: { pgPaymentId: PG_KEY } });
    });

    it('refuses an approval made at the expiry instant (ORDER_EXPIRED) and records the held expiry', () => {
      given([placed(), attemptStarted(1, min(29)), outcomeUnknown(1, min(29))])
        .when(approval({ approvedAt: EXPIRES_AT }), min(40))
        .then([
          approvalRefused({ approvedAt: EXPIRES_AT, reason: 'ORDER_EXPIRED', at: min(40) }),
          // The unknown outcome held the expiry until now, when it became known.
          orderExpired(min(40)),
        ]);
    });

    it('refuses an approval made after the expiry, learnt by the reconciler', () => {
      given([placed(), attemptStarted(1, min(29)), outcomeUnknown(1, min(29))])
        .when(approval({ approvedAt: EXPIRES_AT + 5 * SECOND }), min(31))
        .then([
          approvalRefused({ approvedAt: EXPIRES_AT + 5 * SECOND, reason: 'ORDER_EXPIRED', at: min(31) }),
          orderExpired(min(31)),
        ]);
    });

    it('refuses a late approval of an order already expired without recording a second expiry', () => {
      given([placed(), orderExpired(EXPIRES_AT)])
        .when(approval({ attempt: null, approvedAt: min(31) }), min(32))
        .then([
          approvalRefused({ attempt: null, approvedAt: min(31), reason: 'ORDER_EXPIRED', at: min(32) }),
        ]);
    });

    it('does not record the expiry while another attempt is still unsettled', () => {
      given([placed(), attemptStarted(1, min(29), { pgPaymentId: 'pk-held' }), outcomeUnknown(1, min(29))])
        .when(approval({ attempt: null, approvedAt: min(31) }), min(32))
        .then([
          approvalRefused({ attempt: null, approvedAt: min(31), reason: 'ORDER_EXPIRED', at: min(32) }),
        ]);
    });

    it('records an AMOUNT_MISMATCH refusal after the held expiry together with the expiry', () => {
      given([placed(), attemptStarted(1, min(29)), outcomeUnknown(1, min(29))])
        .when(approval({ pgAmount: 100, approvedAt: min(29) }), min(40))
        .then([
          approvalRefused({ pgAmount: 100, approvedAt: min(29), reason: 'AMOUNT_MISMATCH', at: min(40) }),
          orderExpired(min(40)),
        ]);
    });

    it('dates the expiry at the expiry instant when nothing held it, whichever command records it (O3)', () => {
      // Attempt 1 was refused well before the expiry, so nothing held the order past 10:30.
      // ExpireOrder would record OrderExpired at 10:30; a late approval learnt at 10:45 must agree.
      given([placed(), attemptStarted(1, min(5)), attemptRejected(1, min(6))])
        .when(approval({ attempt: null, pgPaymentId: 'pk-late', approvedAt: min(31) }), min(45))
        .then([
          approvalRefused({
            attempt: null,
            pgPaymentId: 'pk-late',
            approvedAt: min(31),
            reason: 'ORDER_EXPIRED',
            at: min(45),
          }),
          orderExpired(EXPIRES_AT),
        ]);
    });

    it('dates the expiry at the expiry instant when the attempt the approval names had settled before it', () => {
      // The reconciler passes the attempt found by pgPaymentId whatever its status: attempt 1
      // was refused at 10:06, so it held nothing, and the expiry is still 10:30.
      given([placed(), attemptStarted(1, min(5)), attemptRejected(1, min(6))])
        .when(approval({ attempt: 1, approvedAt: min(31) }), min(45))
        .then([
          approvalRefused({ attempt: 1, approvedAt: min(31), reason: 'ORDER_EXPIRED', at: min(45) }),
          orderExpired(EXPIRES_AT),
        ]);
    });
  });

  describe('the cancel of a refused approval', () => {
    const refusedHistory = [
      placed(),
      attemptStarted(1, min(1)),
      approvalRefused({
        pgAmount: 100,
        approvedAt: min(2),
        reason: 'AMOUNT_MISMATCH' as const,
        at: min(2),
        detail: 'x',
      }),
    ];

    it('is recorded once the PG confirms it', () => {
      given(refusedHistory)
        .when(approvalCancelled(), min(3))
        .then([pgApprovalCancelled(min(3))]);
    });

    it('is recorded only once', () => {
      given([...refusedHistory, pgApprovalCancelled(min(3))])
        .when(approvalCancelled(), min(4))
        .then([]);
    });

    it('is not recorded for a payment that was never refused', () => {
      given([placed(), attemptStarted(1, min(1)), paid({ approvedAt: min(2) })])
        .when(approvalCancelled(), min(3))
        .then([]);
    });

    it('marks the refused approval cancelled', () => {
      const state = given(refusedHistory).when(approvalCancelled(), min(3)).state();
      expect(state).toMatchObject({ refusedApprovals: [{ pgPaymentId: PG_KEY, cancelled: true }] });
    });
  });
});
