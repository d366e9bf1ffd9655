import { toIso } from '../../../src/domain/shared/time';
import {
  BASIC,
  EVENT,
  EXPIRES_AT,
  given,
  placed,
  placeOrder,
  PREMIUM,
  T0,
  TTL_MS,
  USER,
} from './order-fixtures';

describe('Order: placing a pre-order (O1, O3)', () => {
  describe('O1 subscription plans: the amount comes from the plan', () => {
    it('records the plan price as the amount when the client sends none', () => {
      given([])
        .when(placeOrder(BASIC), T0)
        .then([placed({ plan: BASIC })]);
    });

    it('accepts a client amount equal to the plan price', () => {
      given([])
        .when(placeOrder(PREMIUM, 19_900), T0)
        .then([placed({ plan: PREMIUM })]);
    });

    it('refuses a client amount different from the plan price', () => {
      given([]).when(placeOrder(BASIC, 100), T0).thenRejects('VALIDATION_FAILED');
    });

    it('refuses a client amount above the plan price too', () => {
      given([]).when(placeOrder(BASIC, 19_900), T0).thenRejects('VALIDATION_FAILED');
    });

    it('snapshots plan id, type, name, months and amount, so later catalog changes do not alter it', () => {
      const [event] = given([]).when(placeOrder(PREMIUM), T0).events();
      expect(event?.data).toMatchObject({
        orderId: expect.any(String),
        userId: USER,
        planId: 2,
        planType: 'SUBSCRIPTION',
        planName: '월간 프리미엄',
        planMonths: 1,
        orderName: '월간 프리미엄',
        amount: 19_900,
        currency: 'KRW',
      });
    });
  });

  describe('O1 the EVENT plan: the buyer chooses an amount within bounds', () => {
    it.each([1_000, 55_555, 1_000_000])('accepts %i KRW (bounds are inclusive)', (amount) => {
      given([])
        .when(placeOrder(EVENT, amount), T0)
        .then([placed({ plan: EVENT, amount })]);
    });

    it.each([999, 1_000_001, 0, -5_000])('refuses %i KRW', (amount) => {
      given([]).when(placeOrder(EVENT, amount), T0).thenRejects('VALIDATION_FAILED');
    });

    it('refuses an EVENT order without an amount', () => {
      given([]).when(placeOrder(EVENT), T0).thenRejects('VALIDATION_FAILED');
    });

    it('snapshots the EVENT plan with no months', () => {
      const [event] = given([]).when(placeOrder(EVENT, 30_000), T0).events();
      expect(event?.data).toMatchObject({
        planId: 3,
        planType: 'EVENT',
        planName: '이벤트 후원',
        planMonths: null,
        amount: 30_000,
      });
    });
  });

  describe('O3 expiry instant', () => {
    it('sets expiresAt = createdAt + the TTL', () => {
      const [event] = given([]).when(placeOrder(BASIC), T0).events();
      expect(event?.data).toMatchObject({ createdAt: toIso(T0), expiresAt: toIso(T0 + TTL_MS) });
      expect(toIso(EXPIRES_AT)).toBe('2024-03-01T01:30:00.000Z');
    });

    it('uses the TTL given in the command', () => {
      const [event] = given([])
        .when(
          {
            type: 'PlaceOrder',
            orderId: 'ord_other_0000000000001',
            userId: USER,
            plan: BASIC,
            ttlMs: 5 * 60_000,
          },
          T0,
        )
        .events();
      expect(event?.data).toMatchObject({ expiresAt: toIso(T0 + 5 * 60_000) });
    });
  });

  it('refuses to place an order id that already exists', () => {
    given([placed()]).when(placeOrder(BASIC), T0).thenRejects('VALIDATION_FAILED');
  });
});
