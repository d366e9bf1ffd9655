import {
  pgPaymentClaimDecider,
  type ClaimPgPayment,
  type PgPaymentClaimed,
} from '../../../src/domain/payment/pg-payment-claim.decider';
import { toIso } from '../../../src/domain/shared/time';
import { deciderSpec } from './decider-spec';

const { given } = deciderSpec(pgPaymentClaimDecider);
const NOW = Date.parse('2024-03-01T10:05:00+09:00');

const claim = (orderId: string, pgOrderId?: string): ClaimPgPayment => ({
  type: 'ClaimPgPayment',
  provider: 'portone',
  pgPaymentId: 'imp_1',
  orderId,
  ...(pgOrderId ? { pgOrderId } : {}),
});
const claimed = (orderId: string, supersedes?: string): PgPaymentClaimed => ({
  type: 'PgPaymentClaimed',
  data: {
    provider: 'portone',
    pgPaymentId: 'imp_1',
    orderId,
    at: toIso(NOW),
    ...(supersedes ? { supersedes } : {}),
  },
});

describe('PG payment claim taken over by the order the PG says it was made for (C4)', () => {
  it('lets the PG’s own order take over a claim made by another order', () => {
    given([claimed('order-B')])
      .when(claim('order-A', 'order-A'), NOW)
      .then([claimed('order-A', 'order-B')]);
  });

  it('still refuses a claim the PG does not back', () => {
    given([claimed('order-A')])
      .when(claim('order-B'), NOW)
      .thenRejects('PG_PAYMENT_ALREADY_USED');
    given([claimed('order-A')])
      .when(claim('order-B', 'order-A'), NOW)
      .thenRejects('PG_PAYMENT_ALREADY_USED');
  });

  it('keeps the PG’s own order once it holds the claim', () => {
    given([claimed('order-B'), claimed('order-A', 'order-B')])
      .when(claim('order-B'), NOW)
      .thenRejects('PG_PAYMENT_ALREADY_USED');
    given([claimed('order-B'), claimed('order-A', 'order-B')])
      .when(claim('order-A', 'order-A'), NOW)
      .then([]);
  });
});
