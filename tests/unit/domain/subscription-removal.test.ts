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
  removed,
  removePurchase,
  revoked,
  STANDARD,
  viewOf,
} from './subscription.fixtures';

describe('Subscription: a full refund removes the period it bought (F4)', () => {
  it('revokes the subscription when its only purchase is removed', () => {
    given(history(bought('A', BASIC, kst('2024-03-01T10:00'))))
      .when(removePurchase('A'), kst('2024-03-02T10:00'))
      .then([removed('A', '2024-03-02T10:00', 'SHORTENED', null), revoked('2024-03-02T10:00', 'A')]);
  });

  it('shortens the period when an extension is removed', () => {
    given(history(bought('A', BASIC, kst('2024-01-31T10:00')), bought('B', BASIC, kst('2024-02-10T10:00'))))
      .when(removePurchase('B'), kst('2024-02-12T10:00'))
      .then([removed('B', '2024-02-12T10:00', 'SHORTENED', '2024-02-29T10:00')]);
  });

  it('moves the later segments of the run earlier when an earlier purchase of it is removed', () => {
    const events = given(
      history(bought('A', BASIC, kst('2024-01-31T10:00')), bought('B', BASIC, kst('2024-02-10T10:00'))),
    )
      .when(removePurchase('A'), kst('2024-02-12T10:00'))
      .events();
    expect(viewOf(events, kst('2024-02-12T10:00'))?.periods).toEqual([
      expect.objectContaining({
        orderId: 'B',
        start: new Date(kst('2024-01-31T10:00')).toISOString(),
        end: new Date(kst('2024-02-29T10:00')).toISOString(),
      }),
    ]);
  });

  it('revokes at the refund instant when the shortened period already lies in the past', () => {
    // Jan 1 + 2 months = Mar 1; without B it ended Feb 1, before the refund on Feb 10.
    given(history(bought('A', BASIC, kst('2024-01-01T10:00')), bought('B', BASIC, kst('2024-01-02T10:00'))))
      .when(removePurchase('B'), kst('2024-02-10T10:00'))
      .then([removed('B', '2024-02-10T10:00', 'SHORTENED', null), revoked('2024-02-10T10:00', 'B')]);
  });

  describe('queued purchases', () => {
    const premiumThenBasic = () =>
      history(bought('P', PREMIUM, kst('2024-03-01T10:00')), bought('B', BASIC, kst('2024-03-10T10:00')));

    it('dequeues a queued purchase, leaving the current period as it is', () => {
      given(premiumThenBasic())
        .when(removePurchase('B'), kst('2024-03-12T10:00'))
        .then([removed('B', '2024-03-12T10:00', 'DEQUEUED', '2024-04-01T10:00')]);
    });

    it('expires at the end once the only queued purchase is gone', () => {
      given(
        history(bought('P', PREMIUM, kst('2024-03-01T10:00')), bought('B', BASIC, kst('2024-03-10T10:00')), [
          removePurchase('B'),
          kst('2024-03-12T10:00'),
        ]),
      )
        .when(advanceTime, kst('2024-04-01T10:00'))
        .then([expired('2024-04-01T10:00')]);
    });

    it('keeps the order of the remaining queue', () => {
      given(
        history(
          bought('P', PREMIUM, kst('2024-03-01T10:00')),
          bought('B', BASIC, kst('2024-03-10T10:00')),
          bought('S', STANDARD, kst('2024-03-11T10:00')),
          [removePurchase('B'), kst('2024-03-12T10:00')],
        ),
      )
        .when(advanceTime, kst('2024-04-01T10:00'))
        .then([queuedStarted('S', STANDARD, '2024-04-01T10:00', '2024-05-01T10:00')]);
    });

    it('starts the first queued purchase now when the removal leaves nothing covering now', () => {
      given(premiumThenBasic())
        .when(removePurchase('P'), kst('2024-03-12T10:00'))
        .then([
          removed('P', '2024-03-12T10:00', 'SHORTENED', null),
          queuedStarted('B', BASIC, '2024-03-12T10:00', '2024-04-12T10:00'),
        ]);
    });
  });

  describe('upgrades', () => {
    // BASIC Mar 1 -> Apr 1 10:00; PREMIUM on Mar 22 10:00 -> Apr 22 + 4 days credit = Apr 26 10:00.
    const upgraded = () =>
      history(bought('A', BASIC, kst('2024-03-01T10:00')), bought('P', PREMIUM, kst('2024-03-22T10:00')));

    it('restores the old plan until its original end when the upgrade is removed', () => {
      const then = given(upgraded()).when(removePurchase('P'), kst('2024-03-24T10:00'));
      then.then([removed('P', '2024-03-24T10:00', 'UPGRADE_REVERSED', '2024-04-01T10:00')]);
      expect(viewOf(then.events(), kst('2024-03-24T10:00'))).toMatchObject({
        status: 'ACTIVE',
        planId: BASIC.id,
        periodEnd: new Date(kst('2024-04-01T10:00')).toISOString(),
      });
    });

    it('revokes when the upgrade is removed after the old plan would have ended', () => {
      given(upgraded())
        .when(removePurchase('P'), kst('2024-04-05T10:00'))
        .then([removed('P', '2024-04-05T10:00', 'UPGRADE_REVERSED', null), revoked('2024-04-05T10:00', 'P')]);
    });

    it('queues months bought on top of a removed upgrade after the restored plan', () => {
      const events = history(
        bought('A', BASIC, kst('2024-03-01T10:00')),
        bought('P', PREMIUM, kst('2024-03-22T10:00')),
        bought('P2', PREMIUM, kst('2024-03-23T10:00')),
        [removePurchase('P'), kst('2024-03-24T10:00')],
      );
      expect(events.at(-1)).toEqual(removed('P', '2024-03-24T10:00', 'UPGRADE_REVERSED', '2024-04-01T10:00'));
      given(events)
        .when(advanceTime, kst('2024-04-01T10:00'))
        .then([queuedStarted('P2', PREMIUM, '2024-04-01T10:00', '2024-05-01T10:00')]);
    });

    it('takes the carried-over credit away when the purchase it came from is refunded', () => {
      given(upgraded())
        .when(removePurchase('A'), kst('2024-03-23T10:00'))
        .then([removed('A', '2024-03-23T10:00', 'SHORTENED', '2024-04-22T10:00')]);
    });
  });

  describe('past purchases', () => {
    it('changes no entitlement when a purchase of an elapsed run is removed', () => {
      // A ran Jan 1 -> Feb 1; C started a new run on Mar 1.
      given(history(bought('A', BASIC, kst('2024-01-01T10:00')), bought('C', BASIC, kst('2024-03-01T10:00'))))
        .when(removePurchase('A'), kst('2024-03-02T10:00'))
        .then([removed('A', '2024-03-02T10:00', 'PAST', '2024-04-01T10:00')]);
    });

    it('does not revoke an already expired subscription', () => {
      given(history(bought('A', BASIC, kst('2024-01-01T10:00')), [advanceTime, kst('2024-02-05T00:00')]))
        .when(removePurchase('A'), kst('2024-02-06T10:00'))
        .then([removed('A', '2024-02-06T10:00', 'PAST', null)]);
    });

    it('records an expiry that fell due before the refund first, at its own instant', () => {
      given(history(bought('A', BASIC, kst('2024-01-01T10:00'))))
        .when(removePurchase('A'), kst('2024-02-05T10:00'))
        .then([expired('2024-02-01T10:00'), removed('A', '2024-02-05T10:00', 'PAST', null)]);
    });
  });

  describe('idempotency and rejections', () => {
    it('takes effect at the latest recorded instant when decided with an earlier clock', () => {
      // B was queued on Mar 10; a refund of P decided at Mar 5 cannot act before that.
      given(
        history(bought('P', PREMIUM, kst('2024-03-01T10:00')), bought('B', BASIC, kst('2024-03-10T10:00'))),
      )
        .when(removePurchase('P'), kst('2024-03-05T10:00'))
        .then([
          removed('P', '2024-03-10T10:00', 'SHORTENED', null),
          queuedStarted('B', BASIC, '2024-03-10T10:00', '2024-04-10T10:00'),
        ]);
    });

    it('records nothing when the same purchase is removed twice', () => {
      given(
        history(bought('A', BASIC, kst('2024-03-01T10:00')), [removePurchase('A'), kst('2024-03-02T10:00')]),
      )
        .when(removePurchase('A'), kst('2024-03-03T10:00'))
        .then([]);
    });

    it('refuses an order this subscription never applied', () => {
      given(history(bought('A', BASIC, kst('2024-03-01T10:00'))))
        .when(removePurchase('nope'), kst('2024-03-02T10:00'))
        .thenRejects('NOT_FOUND');
    });

    it('refuses a removal for a user who never subscribed', () => {
      given([]).when(removePurchase('A'), kst('2024-03-02T10:00')).thenRejects('SUBSCRIPTION_NOT_FOUND');
    });
  });
});
