import {
  pgPaymentClaimDecider,
  pgPaymentClaimStreamId,
  type ClaimPgPayment,
  type PgPaymentClaimed,
} from '../../../src/domain/payment/pg-payment-claim.decider';
import { toIso } from '../../../src/domain/shared/time';
import { deciderSpec } from './decider-spec';

const { given } = deciderSpec(pgPaymentClaimDecider);

const NOW = Date.parse('2024-03-01T10:05:00+09:00');

const claim = (orderId: string, pgPaymentId = 'tgen_pk_1'): ClaimPgPayment => ({
  type: 'ClaimPgPayment',
  provider: 'toss',
  pgPaymentId,
  orderId,
});
const claimed = (orderId: string, at = NOW, pgPaymentId = 'tgen_pk_1'): PgPaymentClaimed => ({
  type: 'PgPaymentClaimed',
  data: { provider: 'toss', pgPaymentId, orderId, at: toIso(at) },
});

describe('PG payment claim: one PG payment backs at most one order, ever (C4)', () => {
  it('lets the first order claim an unclaimed PG payment', () => {
    given([])
      .when(claim('order-A'), NOW)
      .then([claimed('order-A')]);
  });

  it('records nothing when the same order claims it again (a retried confirm)', () => {
    given([claimed('order-A')])
      .when(claim('order-A'), NOW + 60_000)
      .then([]);
  });

  it('refuses a second order with PG_PAYMENT_ALREADY_USED', () => {
    given([claimed('order-A')])
      .when(claim('order-B'), NOW + 60_000)
      .thenRejects('PG_PAYMENT_ALREADY_USED');
  });

  it('keeps refusing other orders however much later (ever)', () => {
    given([claimed('order-A')])
      .when(claim('order-C'), NOW + 365 * 24 * 3_600_000)
      .thenRejects('PG_PAYMENT_ALREADY_USED');
  });

  it('keys the claim stream by provider and PG payment id, so each PG payment has one claim', () => {
    expect(pgPaymentClaimStreamId('toss', 'pk-1')).toBe(pgPaymentClaimStreamId('toss', 'pk-1'));
    expect(pgPaymentClaimStreamId('toss', 'pk-1')).not.toBe(pgPaymentClaimStreamId('toss', 'pk-2'));
    expect(pgPaymentClaimStreamId('toss', 'imp_1')).not.toBe(pgPaymentClaimStreamId('portone', 'imp_1'));
  });
});

describe('PG payment claim: settled when nothing more is owed for it', () => {
  const settle = (orderId: string) => ({ type: 'SettleClaim' as const, orderId, outcome: 'PG_READY' });
  const settled = (orderId: string) => ({
    type: 'PgPaymentClaimSettled' as const,
    data: { orderId, outcome: 'PG_READY', at: toIso(NOW) },
  });

  it("records the settlement for the claim's order", () => {
    given([claimed('order-A')])
      .when(settle('order-A'), NOW)
      .then([settled('order-A')]);
  });

  it('records it once', () => {
    given([claimed('order-A'), settled('order-A')])
      .when(settle('order-A'), NOW)
      .then([]);
  });

  it('records nothing for an order that does not hold the claim', () => {
    given([claimed('order-A')])
      .when(settle('order-B'), NOW)
      .then([]);
  });

  it('still refuses a second order after the claim was settled', () => {
    given([claimed('order-A'), settled('order-A')])
      .when(claim('order-B'), NOW)
      .thenRejects('PG_PAYMENT_ALREADY_USED');
  });
});
