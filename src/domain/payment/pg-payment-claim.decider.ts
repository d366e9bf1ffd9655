import type { Provider } from '../order/order.events';
import type { Decider, DomainEvent } from '../shared/decider';
import { reject } from '../shared/domain-error';
import { toIso } from '../shared/time';

/**
 * C4: one PG payment (paymentKey / imp_uid) backs at most one order, ever. The claim is its own
 * stream, created with "no stream" before the PG is called, so two orders cannot both win.
 */
export type PgPaymentClaimed = DomainEvent<
  'PgPaymentClaimed',
  { provider: Provider; pgPaymentId: string; orderId: string; at: string }
>;
export type ClaimState = { orderId: string | null };
export type ClaimPgPayment = {
  type: 'ClaimPgPayment';
  provider: Provider;
  pgPaymentId: string;
  orderId: string;
};

export const pgPaymentClaimDecider: Decider<ClaimPgPayment, PgPaymentClaimed, ClaimState> = {
  initialState: { orderId: null },
  decide(command, state, now) {
    if (state.orderId === command.orderId) return [];
    if (state.orderId !== null) {
      return reject('PG_PAYMENT_ALREADY_USED', 'this PG payment already backs another order');
    }
    const { type: _type, ...data } = command;
    return [{ type: 'PgPaymentClaimed', data: { ...data, at: toIso(now) } }];
  },
  evolve: (_state, event) => ({ orderId: event.data.orderId }),
};

export const pgPaymentClaimStreamId = (provider: Provider, pgPaymentId: string): string =>
  `pgpayment-${provider}-${pgPaymentId}`;
