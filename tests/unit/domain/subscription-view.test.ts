import { nextTransitionAt, subscriptionView } from '../../../src/domain/subscription/subscription.view';
import { subscriptionDecider } from '../../../src/domain/subscription/subscription.decider';
import {
  advanceTime,
  BASIC,
  bought,
  history,
  iso,
  kst,
  PREMIUM,
  removePurchase,
  stateOf,
  viewOf,
} from './subscription.fixtures';

describe('Subscription: the read view and the scheduler hint (S5)', () => {
  const basicFromJan31 = () => history(bought('A', BASIC, kst('2024-01-31T10:00'))); // ends Feb 29 10:00

  it('is null for a user who never subscribed', () => {
    expect(subscriptionView(subscriptionDecider.initialState, kst('2024-01-01T00:00'))).toBeNull();
  });

  it('shows the first period as ACTIVE with its plan and segment', () => {
    expect(viewOf(basicFromJan31(), kst('2024-02-01T00:00'))).toEqual({
      userId: 'user-1',
      status: 'ACTIVE',
      planId: BASIC.id,
      planName: BASIC.name,
      periodStart: iso('2024-01-31T10:00'),
      periodEnd: iso('2024-02-29T10:00'),
      periods: [
        {
          planId: BASIC.id,
          planName: BASIC.name,
          orderId: 'A',
          start: iso('2024-01-31T10:00'),
          end: iso('2024-02-29T10:00'),
        },
      ],
      queued: [],
    });
  });

  it('is ACTIVE one millisecond before the end instant', () => {
    expect(viewOf(basicFromJan31(), kst('2024-02-29T09:59:59.999'))?.status).toBe('ACTIVE');
  });

  it('is EXPIRED from the end instant on, even before the scheduler records the expiry', () => {
    const view = viewOf(basicFromJan31(), kst('2024-02-29T10:00'));
    expect(view).toMatchObject({ status: 'EXPIRED', periodEnd: iso('2024-02-29T10:00') });
  });

  it('is EXPIRED once the expiry is recorded', () => {
    const events = history(bought('A', BASIC, kst('2024-01-31T10:00')), [
      advanceTime,
      kst('2024-02-29T10:00'),
    ]);
    expect(events.at(-1)?.type).toBe('SubscriptionExpired');
    expect(viewOf(events, kst('2024-02-29T10:00'))?.status).toBe('EXPIRED');
  });

  it('keeps the run anchor as periodStart across extensions and lists each segment', () => {
    const view = viewOf(
      history(bought('A', BASIC, kst('2024-01-31T10:00')), bought('B', BASIC, kst('2024-02-10T10:00'))),
      kst('2024-03-05T00:00'),
    );
    expect(view).toMatchObject({
      status: 'ACTIVE',
      periodStart: iso('2024-01-31T10:00'),
      periodEnd: iso('2024-03-31T10:00'),
    });
    expect(view?.periods.map((p) => [p.orderId, p.start, p.end])).toEqual([
      ['A', iso('2024-01-31T10:00'), iso('2024-02-29T10:00')],
      ['B', iso('2024-02-29T10:00'), iso('2024-03-31T10:00')],
    ]);
  });

  it('shows an upgrade as the old segment cut at the upgrade and the new one with its credit', () => {
    const view = viewOf(
      history(bought('A', BASIC, kst('2024-03-01T10:00')), bought('P', PREMIUM, kst('2024-03-22T10:00'))),
      kst('2024-03-23T00:00'),
    );
    expect(view).toMatchObject({
      planId: PREMIUM.id,
      periodStart: iso('2024-03-22T10:00'),
      periodEnd: iso('2024-04-26T10:00'),
    });
    expect(view?.periods.map((p) => [p.planId, p.start, p.end])).toEqual([
      [BASIC.id, iso('2024-03-01T10:00'), iso('2024-03-22T10:00')],
      [PREMIUM.id, iso('2024-03-22T10:00'), iso('2024-04-26T10:00')],
    ]);
  });

  it('lists a queued purchase, then shows it running from the old end on without a recorded start', () => {
    const events = history(
      bought('P', PREMIUM, kst('2024-03-01T10:00')),
      bought('B', BASIC, kst('2024-03-10T10:00')),
    );
    expect(viewOf(events, kst('2024-03-31T00:00'))?.queued).toEqual([
      { planId: BASIC.id, planName: BASIC.name, orderId: 'B', months: 1 },
    ]);
    expect(viewOf(events, kst('2024-04-01T10:00'))).toMatchObject({
      status: 'ACTIVE',
      planId: BASIC.id,
      periodStart: iso('2024-04-01T10:00'),
      periodEnd: iso('2024-05-01T10:00'),
      queued: [],
    });
  });

  it('leaves removed purchases out of the periods', () => {
    const events = history(
      bought('A', BASIC, kst('2024-01-31T10:00')),
      bought('B', BASIC, kst('2024-02-10T10:00')),
      [removePurchase('B'), kst('2024-02-12T10:00')],
    );
    expect(viewOf(events, kst('2024-02-12T10:00'))?.periods.map((p) => p.orderId)).toEqual(['A']);
  });

  it('is REVOKED from the refund on, with the period ending at the revocation', () => {
    const events = history(bought('A', BASIC, kst('2024-03-01T10:00')), [
      removePurchase('A'),
      kst('2024-03-02T10:00'),
    ]);
    expect(viewOf(events, kst('2024-03-03T00:00'))).toMatchObject({
      status: 'REVOKED',
      periodEnd: iso('2024-03-02T10:00'),
      periods: [],
    });
  });

  describe('nextTransitionAt', () => {
    it('is the end instant of the current period', () => {
      expect(nextTransitionAt(stateOf(basicFromJan31()))).toBe(kst('2024-02-29T10:00'));
    });

    it('moves to the upgraded end after an upgrade', () => {
      const events = history(
        bought('A', BASIC, kst('2024-03-01T10:00')),
        bought('P', PREMIUM, kst('2024-03-22T10:00')),
      );
      expect(nextTransitionAt(stateOf(events))).toBe(kst('2024-04-26T10:00'));
    });

    it('is null once the expiry is recorded, and for a user who never subscribed', () => {
      const events = history(bought('A', BASIC, kst('2024-01-31T10:00')), [
        advanceTime,
        kst('2024-03-01T00:00'),
      ]);
      expect(nextTransitionAt(stateOf(events))).toBeNull();
      expect(nextTransitionAt(subscriptionDecider.initialState)).toBeNull();
    });
  });
});
