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
/**
 * The claim's order learnt, from the PG, that nothing more is owed for this payment (it was never
 * approved, or the order records it): recorded only when a claim was left without the order
 * recording anything about its payment (a crash between the two), so its process can let go.
 */
export type PgPaymentClaimSettled = DomainEvent<
  'PgPaymentClaimSettled',
  { orderId: string; outcome: string; at: string }
>;
export type ClaimEvent = PgPaymentClaimed | PgPaymentClaimSettled;
export type ClaimState = { orderId: string | null; settled: boolean };
export type ClaimPgPayment = {
  type: 'ClaimPgPayment';
  provider: Provider;
  pgPaymentId: string;
  orderId: string;
  /** The order the PG says this payment was made for, when the PG has been asked already. */
  pgOrderId?: string;
};
export type SettleClaim = { type: 'SettleClaim'; orderId: string; outcome: string };
export type ClaimCommand = ClaimPgPayment | SettleClaim;

export const pgPaymentClaimDecider: Decider<ClaimCommand, ClaimEvent, ClaimState> = {
  initialState: { orderId: null, settled: false },
  decide(command, state, now) {
    if (command.type === 'SettleClaim') {
      if (state.orderId !== command.orderId || state.settled) return [];
      return [
        {
          type: 'PgPaymentClaimSettled',
          data: { orderId: command.orderId, outcome: command.outcome, at: toIso(now) },
        },
      ];
    }
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
  evolve: (state, event) =>
    event.type === 'PgPaymentClaimed'
      ? { orderId: event.data.orderId, settled: false }
      : { ...state, settled: true },
};

export const pgPaymentClaimStreamId = (provider: Provider, pgPaymentId: string): string =>
  `pgpayment-${provider}-${pgPaymentId}`;
