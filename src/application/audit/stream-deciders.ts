import { pgNotificationDecider } from '../../domain/notification/pg-notification.decider';
import { orderDecider } from '../../domain/order/order.decider';
import { paymentDecider } from '../../domain/payment/payment.decider';
import { pgPaymentClaimDecider } from '../../domain/payment/pg-payment-claim.decider';
import { subscriptionDecider } from '../../domain/subscription';
import type { DomainEvent } from '../../domain/shared/decider';
import { streamKind } from '../event-sourcing/projection';

/** The replay's view of a decider: the state type is erased, since one map holds them all. */
export interface StreamEvolver {
  initialState: unknown;
  evolve(state: unknown, event: DomainEvent): unknown;
}

/**
 * Which decider folds which stream: streams are named `<kind>-<id>` (order-<orderId>,
 * payment-<orderId>, subscription-<userId>, pgpayment-<provider>-<id>, pgnotice-<orderId>).
 * The casts erase each decider's own event and state types; the store only ever holds events
 * their own decider recorded, and a foreign one makes `evolve` throw, which the replay reports.
 */
export const STREAM_DECIDERS: Readonly<Record<string, StreamEvolver>> = {
  order: orderDecider as unknown as StreamEvolver,
  payment: paymentDecider as unknown as StreamEvolver,
  subscription: subscriptionDecider as unknown as StreamEvolver,
  pgpayment: pgPaymentClaimDecider as unknown as StreamEvolver,
  pgnotice: pgNotificationDecider as unknown as StreamEvolver,
};

/** The decider of a kind of stream (see streamKind), or undefined for a kind no aggregate owns. */
export function evolverOfKind(kind: string): StreamEvolver | undefined {
  return Object.prototype.hasOwnProperty.call(STREAM_DECIDERS, kind) ? STREAM_DECIDERS[kind] : undefined;
}

export const evolverFor = (streamId: string): StreamEvolver | undefined =>
  evolverOfKind(streamKind(streamId));
