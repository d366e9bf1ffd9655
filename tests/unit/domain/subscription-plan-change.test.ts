import type { SubscriptionPlan } from '../../../src/domain/plan/plan';
import {
  applied,
  BASIC,
  bought,
  given,
  history,
  kst,
  PREMIUM,
  purchase,
  STANDARD,
} from './subscription.fixtures';

describe('Subscription: changing plan (S3)', () => {
  describe('S3 upgrade (dearer plan) while active', () => {
    const basicFromMar1 = () => history(bought('A', BASIC, kst('2024-03-01T10:00'))); // ends Apr 1 10:00

    it('takes effect at approval with floor(unused days x old/new price) days of credit: 10 x 9900/19900 = 4.97 -> 4', () => {
      given(basicFromMar1())
        .when(purchase('P', PREMIUM, kst('2024-03-22T10:00')), kst('2024-03-22T10:00'))
        .then([
          applied({
            orderId: 'P',
            plan: PREMIUM,
            approvedAt: '2024-03-22T10:00',
            effect: 'UPGRADED',
            anchor: '2024-03-22T10:00',
            periodStart: '2024-03-22T10:00',
            periodEnd: '2024-04-26T10:00',
            creditDays: 4,
          }),
        ]);
    });

    it('counts unused days fractionally: 10.5 x 9900/19900 = 5.22 -> 5', () => {
      given(basicFromMar1())
        .when(purchase('P', PREMIUM, kst('2024-03-21T22:00')), kst('2024-03-21T22:00'))
        .then([
          applied({
            orderId: 'P',
            plan: PREMIUM,
            approvedAt: '2024-03-21T22:00',
            effect: 'UPGRADED',
            anchor: '2024-03-21T22:00',
            periodStart: '2024-03-21T22:00',
            periodEnd: '2024-04-26T22:00',
            creditDays: 5,
          }),
        ]);
    });

    it('keeps an exact whole credit whole: 10 x 9900/19800 = 5, not 4', () => {
      const DOUBLE: SubscriptionPlan = { ...PREMIUM, id: 5, code: 'DOUBLE', price: 19_800 };
      given(basicFromMar1())
        .when(purchase('D', DOUBLE, kst('2024-03-22T10:00')), kst('2024-03-22T10:00'))
        .then([
          applied({
            orderId: 'D',
            plan: DOUBLE,
            approvedAt: '2024-03-22T10:00',
            effect: 'UPGRADED',
            anchor: '2024-03-22T10:00',
            periodStart: '2024-03-22T10:00',
            periodEnd: '2024-04-27T10:00',
            creditDays: 5,
          }),
        ]);
    });

    it('credits every unused day of the run, extensions included: 40 x 9900/19900 = 19.9 -> 19', () => {
      given(history(bought('A', BASIC, kst('2024-03-01T10:00')), bought('B', BASIC, kst('2024-03-02T10:00'))))
        .when(purchase('P', PREMIUM, kst('2024-03-22T10:00')), kst('2024-03-22T10:00'))
        .then([
          applied({
            orderId: 'P',
            plan: PREMIUM,
            approvedAt: '2024-03-22T10:00',
            effect: 'UPGRADED',
            anchor: '2024-03-22T10:00',
            periodStart: '2024-03-22T10:00',
            periodEnd: '2024-05-11T10:00',
            creditDays: 19,
          }),
        ]);
    });
  });

  describe('S3 downgrade or equal price while active', () => {
    it('queues a cheaper plan to start exactly when the current period ends', () => {
      given(history(bought('P', PREMIUM, kst('2024-03-01T10:00'))))
        .when(purchase('B', BASIC, kst('2024-03-10T10:00')), kst('2024-03-10T10:00'))
        .then([
          applied({
            orderId: 'B',
            plan: BASIC,
            approvedAt: '2024-03-10T10:00',
            effect: 'QUEUED',
            anchor: '2024-04-01T10:00',
            periodStart: '2024-04-01T10:00',
            periodEnd: '2024-05-01T10:00',
          }),
        ]);
    });

    it('queues an equal-price different plan instead of upgrading', () => {
      given(history(bought('A', BASIC, kst('2024-03-01T10:00'))))
        .when(purchase('S', STANDARD, kst('2024-03-10T10:00')), kst('2024-03-10T10:00'))
        .then([
          applied({
            orderId: 'S',
            plan: STANDARD,
            approvedAt: '2024-03-10T10:00',
            effect: 'QUEUED',
            anchor: '2024-04-01T10:00',
            periodStart: '2024-04-01T10:00',
            periodEnd: '2024-05-01T10:00',
          }),
        ]);
    });

    it('queues behind what is already queued', () => {
      given(
        history(bought('P', PREMIUM, kst('2024-03-01T10:00')), bought('B', BASIC, kst('2024-03-10T10:00'))),
      )
        .when(purchase('S', STANDARD, kst('2024-03-11T10:00')), kst('2024-03-11T10:00'))
        .then([
          applied({
            orderId: 'S',
            plan: STANDARD,
            approvedAt: '2024-03-11T10:00',
            effect: 'QUEUED',
            anchor: '2024-05-01T10:00',
            periodStart: '2024-05-01T10:00',
            periodEnd: '2024-06-01T10:00',
          }),
        ]);
    });

    it('projects a second queued purchase of the same plan as one run (Jan 31 -> Feb 28 -> Mar 31)', () => {
      given(
        history(bought('P', PREMIUM, kst('2024-12-31T10:00')), bought('B1', BASIC, kst('2025-01-05T10:00'))),
      )
        .when(purchase('B2', BASIC, kst('2025-01-06T10:00')), kst('2025-01-06T10:00'))
        .then([
          applied({
            orderId: 'B2',
            plan: BASIC,
            approvedAt: '2025-01-06T10:00',
            effect: 'QUEUED',
            anchor: '2025-01-31T10:00',
            periodStart: '2025-02-28T10:00',
            periodEnd: '2025-03-31T10:00',
          }),
        ]);
    });
  });
});
