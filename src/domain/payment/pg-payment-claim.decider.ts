import type { Provider } from '../shared/provider';
import type { Decider, DomainEvent } from '../shared/decider';
import { reject } from '../shared/domain-error';
import { toIso } from '../shared/time';

/**
 * C4: one PG payment (paymentKey / imp_uid) backs at most one order, ever. The claim is its own
 * stream, created with "no stream" before the PG is called, so two orders cannot both win.
 * A claim made before the PG was asked can be wrong (an id submitted with another order): when
 * the PG itself says the payment was made for this order, this order takes the claim over. The
 * holder cannot have been paid by it, since an approval is only honoured for the PG's own order.
 */
export type PgPaymentClaimed = DomainEvent<
  'PgPaymentClaimed',
  {
    provider: Provider;
    pgPaymentId: string;
    orderId: string;
    at: string;
    /** The order that held the claim before, when the PG's own order took it over. */
    supersedes?: string;
  }
>;
export type ClaimState = { orderId: string | null };
export type ClaimPgPayment = {
  type: 'ClaimPgPayment';
  provider: Provider;
  pgPaymentId: string;
  orderId: string;
  /** The order the PG says this payment was made for, when the PG has been asked already. */
  pgOrderId?: string;
};

export const pgPaymentClaimDecider: Decider<ClaimPgPayment, PgPaymentClaimed, ClaimState> = {
  initialState: { orderId: null },
  decide(command, state, now) {
    if (state.orderId === command.orderId) return [];
    if (state.orderId !== null && command.pgOrderId !== command.orderId) {
      return reject('PG_PAYMENT_ALREADY_USED', 'this PG payment already backs another order');
    }
    const { provider, pgPaymentId, orderId } = command;
    const supersedes = state.orderId === null ? {} : { supersedes: state.orderId };
    return [
      { type: 'PgPaymentClaimed', data: { provider, pgPaymentId, orderId, at: toIso(now), ...supersedes } },
    ];
  },
  evolve: (_state, event) => ({ orderId: event.data.orderId }),
};

export const pgPaymentClaimStreamId = (provider: Provider, pgPaymentId: string): string =>
  `pgpayment-${provider}-${pgPaymentId}`;
