import {
  advanceTime,
  BASIC,
  bought,
  expired,
  given,
  history,
  kst,
  PREMIUM,
  queuedStarted,
  STANDARD,
} from './subscription.fixtures';

describe('Subscription: time passing (S5, queued starts)', () => {
  const basicFromJan31 = () => history(bought('A', BASIC, kst('2024-01-31T10:00'))); // ends Feb 29 10:00

  it('is not due one millisecond before the end instant', () => {
    given(basicFromJan31()).when(advanceTime, kst('2024-02-29T09:59:59.999')).then([]);
  });

  it('expires exactly at the end instant', () => {
    given(basicFromJan31())
      .when(advanceTime, kst('2024-02-29T10:00'))
      .then([expired('2024-02-29T10:00')]);
  });

  it('records the expiry at the end instant, not when the scheduler noticed', () => {
    given(basicFromJan31())
      .when(advanceTime, kst('2024-04-15T03:00'))
      .then([expired('2024-02-29T10:00')]);
  });

  it('records an expiry once', () => {
    given(history(bought('A', BASIC, kst('2024-01-31T10:00')), [advanceTime, kst('2024-03-01T00:00')]))
      .when(advanceTime, kst('2024-03-02T00:00'))
      .then([]);
  });

  it('has nothing due for a user who never subscribed', () => {
    given([]).when(advanceTime, kst('2024-03-02T00:00')).then([]);
  });

  describe('queued purchases', () => {
    const premiumThenBasic = () =>
      history(bought('P', PREMIUM, kst('2024-03-01T10:00')), bought('B', BASIC, kst('2024-03-10T10:00')));

    it('does not start a queued downgrade before the current end', () => {
      given(premiumThenBasic()).when(advanceTime, kst('2024-04-01T09:59:59.999')).then([]);
    });

    it('starts a queued downgrade exactly at the old end, as its own run', () => {
      given(premiumThenBasic())
        .when(advanceTime, kst('2024-04-01T10:00'))
        .then([queuedStarted('B', BASIC, '2024-04-01T10:00', '2024-05-01T10:00')]);
    });

    it('starts several queued purchases one after another, each at the previous end, then expires', () => {
      given(
        history(
          bought('P', PREMIUM, kst('2024-03-01T10:00')),
          bought('B', BASIC, kst('2024-03-10T10:00')),
          bought('S', STANDARD, kst('2024-03-11T10:00')),
        ),
      )
        .when(advanceTime, kst('2024-07-01T00:00'))
        .then([
          queuedStarted('B', BASIC, '2024-04-01T10:00', '2024-05-01T10:00'),
          queuedStarted('S', STANDARD, '2024-05-01T10:00', '2024-06-01T10:00'),
          expired('2024-06-01T10:00'),
        ]);
    });

    it('continues the run when a queued purchase follows one of the same plan (Jan 31 -> Feb 28 -> Mar 31)', () => {
      given(
        history(
          bought('P', PREMIUM, kst('2024-12-31T10:00')),
          bought('B1', BASIC, kst('2025-01-05T10:00')),
          bought('B2', BASIC, kst('2025-01-06T10:00')),
        ),
      )
        .when(advanceTime, kst('2025-04-01T00:00'))
        .then([
          queuedStarted('B1', BASIC, '2025-01-31T10:00', '2025-02-28T10:00'),
          queuedStarted('B2', BASIC, '2025-02-28T10:00', '2025-03-31T10:00', '2025-01-31T10:00'),
          expired('2025-03-31T10:00'),
        ]);
    });

    it('waits for an extension of the active plan before starting', () => {
      const events = history(
        bought('P', PREMIUM, kst('2024-03-01T10:00')),
        bought('B', BASIC, kst('2024-03-10T10:00')),
        bought('P2', PREMIUM, kst('2024-03-15T10:00')),
      );
      given(events).when(advanceTime, kst('2024-04-01T10:00')).then([]);
      given(events)
        .when(advanceTime, kst('2024-05-01T10:00'))
        .then([queuedStarted('B', BASIC, '2024-05-01T10:00', '2024-06-01T10:00')]);
    });

    it('starts after the upgraded period when an upgrade came in between', () => {
      // BASIC Mar 1 -> Apr 1; STANDARD queued; PREMIUM on Mar 22 ends Apr 26 10:00 (4 days credit).
      given(
        history(
          bought('A', BASIC, kst('2024-03-01T10:00')),
          bought('S', STANDARD, kst('2024-03-05T10:00')),
          bought('P', PREMIUM, kst('2024-03-22T10:00')),
        ),
      )
        .when(advanceTime, kst('2024-04-26T10:00'))
        .then([queuedStarted('S', STANDARD, '2024-04-26T10:00', '2024-05-26T10:00')]);
    });
  });
});
