import {
  advanceTime,
  BASIC,
  bought,
  given,
  history,
  iso,
  kst,
  PREMIUM,
  removed,
  removePurchase,
  revoked,
  viewOf,
} from './subscription.fixtures';

describe('Subscription: an elapsed period is history (F4)', () => {
  // One unbroken run: A covers Jan 1 -> Feb 1, B (bought an hour later) Feb 1 -> Mar 1.
  const twoMonthsBackToBack = () =>
    history(bought('A', BASIC, kst('2024-01-01T10:00')), bought('B', BASIC, kst('2024-01-01T11:00')), [
      advanceTime,
      kst('2024-02-10T10:00'),
    ]);

  describe('a month of the current run that has fully elapsed', () => {
    it('is removed as PAST, leaving the next, paid month where it was', () => {
      given(twoMonthsBackToBack())
        .when(removePurchase('A'), kst('2024-02-10T10:00'))
        .then([removed('A', '2024-02-10T10:00', 'PAST', '2024-03-01T10:00')]);
    });

    it('keeps the subscription ACTIVE until the end the paid month bought', () => {
      const events = given(twoMonthsBackToBack()).when(removePurchase('A'), kst('2024-02-10T10:00')).events();
      expect(viewOf(events, kst('2024-02-10T10:00'))).toMatchObject({
        status: 'ACTIVE',
        periodEnd: iso('2024-03-01T10:00'),
        periods: [
          expect.objectContaining({
            orderId: 'B',
            start: iso('2024-02-01T10:00'),
            end: iso('2024-03-01T10:00'),
          }),
        ],
      });
    });

    it('counts as elapsed from its end instant on', () => {
      given(history(bought('A', BASIC, kst('2024-01-01T10:00')), bought('B', BASIC, kst('2024-01-01T11:00'))))
        .when(removePurchase('A'), kst('2024-02-01T10:00'))
        .then([removed('A', '2024-02-01T10:00', 'PAST', '2024-03-01T10:00')]);
    });

    it('gives the same answer as for a user whose renewal, a day later, started a run of its own', () => {
      // A ran Jan 1 -> Feb 1 and expired; B started its own run on Feb 2.
      const events = given(
        history(bought('A', BASIC, kst('2024-01-01T10:00')), bought('B', BASIC, kst('2024-02-02T10:00'))),
      )
        .when(removePurchase('A'), kst('2024-02-10T10:00'))
        .events();
      expect(events.at(-1)).toEqual(removed('A', '2024-02-10T10:00', 'PAST', '2024-03-02T10:00'));
      expect(viewOf(events, kst('2024-02-10T10:00'))).toMatchObject({
        status: 'ACTIVE',
        periodEnd: iso('2024-03-02T10:00'),
      });
    });

    it('leaves the credit an upgrade carried over when the month was served before the upgrade', () => {
      // A Jan 1 -> Feb 1, A2 Feb 1 -> Mar 1, cut by PREMIUM on Feb 10: 19 unused days ->
      // floor(19 x 9,900 / 19,900) = 9 days, so PREMIUM ends Mar 10 + 9 days = Mar 19.
      given(
        history(
          bought('A', BASIC, kst('2024-01-01T10:00')),
          bought('A2', BASIC, kst('2024-01-02T10:00')),
          bought('P', PREMIUM, kst('2024-02-10T10:00')),
        ),
      )
        .when(removePurchase('A'), kst('2024-02-12T10:00'))
        .then([removed('A', '2024-02-12T10:00', 'PAST', '2024-03-19T10:00')]);
    });
  });

  describe('the current month and months still to come', () => {
    it('revokes when the month in progress is removed and the months before it have elapsed', () => {
      given(twoMonthsBackToBack())
        .when(removePurchase('B'), kst('2024-02-10T10:00'))
        .then([removed('B', '2024-02-10T10:00', 'SHORTENED', null), revoked('2024-02-10T10:00', 'B')]);
    });

    it('shortens the run when the month in progress is removed with a paid month after it', () => {
      // A is current on Jan 20; without it, B's month counts from the anchor: Jan 1 -> Feb 1.
      given(history(bought('A', BASIC, kst('2024-01-01T10:00')), bought('B', BASIC, kst('2024-01-01T11:00'))))
        .when(removePurchase('A'), kst('2024-01-20T10:00'))
        .then([removed('A', '2024-01-20T10:00', 'SHORTENED', '2024-02-01T10:00')]);
    });

    it('shortens the run when a month that has not started yet is removed', () => {
      given(history(bought('A', BASIC, kst('2024-01-01T10:00')), bought('B', BASIC, kst('2024-01-01T11:00'))))
        .when(removePurchase('B'), kst('2024-01-20T10:00'))
        .then([removed('B', '2024-01-20T10:00', 'SHORTENED', '2024-02-01T10:00')]);
    });

    it('still revokes the month in progress after an elapsed month of its run was removed', () => {
      given([...twoMonthsBackToBack(), removed('A', '2024-02-10T10:00', 'PAST', '2024-03-01T10:00')])
        .when(removePurchase('B'), kst('2024-02-12T10:00'))
        .then([removed('B', '2024-02-12T10:00', 'SHORTENED', null), revoked('2024-02-12T10:00', 'B')]);
    });
  });
});
