import {
  advanceTime,
  applied,
  BASIC,
  bought,
  expired,
  given,
  history,
  kst,
  PREMIUM,
  purchase,
  removePurchase,
} from './subscription.fixtures';

describe('Subscription: starting and extending (S1, S2, S4)', () => {
  describe('S1 first purchase', () => {
    it('starts a period from approval to approval + N months', () => {
      given([])
        .when(purchase('A', BASIC, kst('2024-01-31T10:00')), kst('2024-01-31T10:00'))
        .then([
          applied({
            orderId: 'A',
            plan: BASIC,
            approvedAt: '2024-01-31T10:00',
            effect: 'STARTED',
            anchor: '2024-01-31T10:00',
            periodStart: '2024-01-31T10:00',
            periodEnd: '2024-02-29T10:00',
          }),
        ]);
    });

    it('after expiry, a purchase starts a new run anchored at its approval', () => {
      given(history(bought('A', BASIC, kst('2024-01-31T10:00')), [advanceTime, kst('2024-03-01T00:00')]))
        .when(purchase('B', BASIC, kst('2024-03-05T09:00')), kst('2024-03-05T09:00'))
        .then([
          applied({
            orderId: 'B',
            plan: BASIC,
            approvedAt: '2024-03-05T09:00',
            effect: 'STARTED',
            anchor: '2024-03-05T09:00',
            periodStart: '2024-03-05T09:00',
            periodEnd: '2024-04-05T09:00',
          }),
        ]);
    });

    it('records the unrecorded expiry at its exact end instant before starting the new run', () => {
      given(history(bought('A', BASIC, kst('2024-01-31T10:00'))))
        .when(purchase('B', BASIC, kst('2024-03-05T09:00')), kst('2024-03-05T09:00'))
        .then([
          expired('2024-02-29T10:00'),
          applied({
            orderId: 'B',
            plan: BASIC,
            approvedAt: '2024-03-05T09:00',
            effect: 'STARTED',
            anchor: '2024-03-05T09:00',
            periodStart: '2024-03-05T09:00',
            periodEnd: '2024-04-05T09:00',
          }),
        ]);
    });
  });

  describe('S2/S4 same plan while active', () => {
    it('extends the end by N months counted from the anchor (Jan 31 -> Feb 29 -> Mar 31)', () => {
      given(history(bought('A', BASIC, kst('2024-01-31T10:00'))))
        .when(purchase('B', BASIC, kst('2024-02-10T12:00')), kst('2024-02-10T12:00'))
        .then([
          applied({
            orderId: 'B',
            plan: BASIC,
            approvedAt: '2024-02-10T12:00',
            effect: 'EXTENDED',
            anchor: '2024-01-31T10:00',
            periodStart: '2024-02-29T10:00',
            periodEnd: '2024-03-31T10:00',
          }),
        ]);
    });

    it('in a common year: Jan 31 -> Feb 28 -> Mar 31 (not Mar 28) -> Apr 30', () => {
      const events = history(
        bought('A', BASIC, kst('2023-01-31T10:00')),
        bought('B', BASIC, kst('2023-02-05T10:00')),
      );
      expect(events[1].data).toMatchObject({
        effect: 'EXTENDED',
        periodEnd: new Date(kst('2023-03-31T10:00')).toISOString(),
      });
      given(events)
        .when(purchase('C', BASIC, kst('2023-03-01T10:00')), kst('2023-03-01T10:00'))
        .then([
          applied({
            orderId: 'C',
            plan: BASIC,
            approvedAt: '2023-03-01T10:00',
            effect: 'EXTENDED',
            anchor: '2023-01-31T10:00',
            periodStart: '2023-03-31T10:00',
            periodEnd: '2023-04-30T10:00',
          }),
        ]);
    });

    it('extends the active plan even when another plan is queued behind it', () => {
      given(
        history(bought('P', PREMIUM, kst('2024-03-01T10:00')), bought('B', BASIC, kst('2024-03-10T10:00'))),
      )
        .when(purchase('P2', PREMIUM, kst('2024-03-15T10:00')), kst('2024-03-15T10:00'))
        .then([
          applied({
            orderId: 'P2',
            plan: PREMIUM,
            approvedAt: '2024-03-15T10:00',
            effect: 'EXTENDED',
            anchor: '2024-03-01T10:00',
            periodStart: '2024-04-01T10:00',
            periodEnd: '2024-05-01T10:00',
          }),
        ]);
    });
  });

  describe('idempotency and late approvals', () => {
    it('applies an order once: the same orderId again records nothing', () => {
      given(history(bought('A', BASIC, kst('2024-03-01T10:00'))))
        .when(purchase('A', BASIC, kst('2024-03-01T10:00')), kst('2024-03-02T10:00'))
        .then([]);
    });

    it('does not re-apply an order whose purchase was refunded', () => {
      given(
        history(bought('A', BASIC, kst('2024-03-01T10:00')), [removePurchase('A'), kst('2024-03-02T10:00')]),
      )
        .when(purchase('A', BASIC, kst('2024-03-01T10:00')), kst('2024-03-03T10:00'))
        .then([]);
    });

    it('applies an approval older than the recorded expiry at the expiry instant, continuing the same-plan run', () => {
      given(history(bought('A', BASIC, kst('2024-01-31T10:00')), [advanceTime, kst('2024-03-01T00:00')]))
        .when(purchase('B', BASIC, kst('2024-02-20T10:00')), kst('2024-03-01T01:00'))
        .then([
          applied({
            orderId: 'B',
            plan: BASIC,
            approvedAt: '2024-02-20T10:00',
            effectiveAt: '2024-02-29T10:00',
            effect: 'EXTENDED',
            anchor: '2024-01-31T10:00',
            periodStart: '2024-02-29T10:00',
            periodEnd: '2024-03-31T10:00',
          }),
        ]);
    });

    it('starts a late approval of another plan at the recorded expiry instant', () => {
      given(history(bought('A', BASIC, kst('2024-01-31T10:00')), [advanceTime, kst('2024-03-01T00:00')]))
        .when(purchase('P', PREMIUM, kst('2024-02-20T10:00')), kst('2024-03-01T01:00'))
        .then([
          applied({
            orderId: 'P',
            plan: PREMIUM,
            approvedAt: '2024-02-20T10:00',
            effectiveAt: '2024-02-29T10:00',
            effect: 'STARTED',
            anchor: '2024-02-29T10:00',
            periodStart: '2024-02-29T10:00',
            periodEnd: '2024-03-29T10:00',
          }),
        ]);
    });
  });

  describe('rejections', () => {
    it('refuses an order of another user', () => {
      given(history(bought('A', BASIC, kst('2024-03-01T10:00'))))
        .when(purchase('B', BASIC, kst('2024-03-02T10:00'), 'someone-else'), kst('2024-03-02T10:00'))
        .thenRejects('VALIDATION_FAILED');
    });

    it('refuses a plan that buys no months', () => {
      given([])
        .when(purchase('A', { ...BASIC, months: 0 }, kst('2024-03-01T10:00')), kst('2024-03-01T10:00'))
        .thenRejects('VALIDATION_FAILED');
    });
  });
});
