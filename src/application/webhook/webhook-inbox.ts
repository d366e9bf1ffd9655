import { inject, injectable } from 'inversify';
import { createHash } from 'node:crypto';
import {
  pgNotificationDecider,
  pgNotificationStreamId,
} from '../../domain/notification/pg-notification.decider';
import type { Provider } from '../../domain/order/order.events';
import type { AggregateRepository } from '../event-sourcing/aggregate-repository';
import { canonicalJson } from '../event-sourcing/canonical-json';
import { ORDERS, type OrderDoc } from '../order/order-read-model';
import type { PaymentGateways } from '../payment/payment-gateways';
import type { ReadModelStore } from '../ports/read-model-store.port';
import { TOKENS } from '../tokens';

export interface WebhookHint {
  provider: Provider;
  orderId: string;
  pgPaymentId: string | null;
  eventType: string;
  status: string | null;
  /** The PG's delivery id when it sends one (Toss's transmission id), else the body's hash. */
  deliveryId: string | null;
  body: unknown;
}

export type HintAcceptance =
  { recorded: true; position: number | null } | { recorded: false; ignored: string };

const APPROVED_STATUSES = new Set(['DONE', 'paid']);

/** True when the hint says "approved" of the very payment that paid the order, and nothing else happened since. */
function confirmsWhatWeKnow(hint: WebhookHint, doc: OrderDoc): boolean {
  const paid = doc.order.payment;
  const refunds = doc.payment.status === 'NONE' ? [] : doc.payment.refunds;
  return (
    hint.status !== null &&
    APPROVED_STATUSES.has(hint.status) &&
    paid !== null &&
    paid.pgPaymentId === hint.pgPaymentId &&
    refunds.length === 0
  );
}

/**
 * Records a webhook durably, before it is answered; the webhook-inbox process does the work.
 * Hints for one order coalesce while one is owed (the domain records nothing for them); one that
 * arrives while the owed hint is being acted on is remembered here, so the process records it
 * again after marking the others processed rather than losing it.
 */
@injectable()
export class WebhookInbox {
  /** Orders with a hint coalesced since: counts, read by the process around its work. */
  private readonly coalesced = new Map<string, number>();

  constructor(
    @inject(TOKENS.AggregateRepository) private readonly repository: AggregateRepository,
    @inject(TOKENS.ReadModelStore) private readonly readModels: ReadModelStore,
    @inject(TOKENS.PaymentGateways) private readonly gateways: PaymentGateways,
  ) {}

  async accept(hint: WebhookHint): Promise<HintAcceptance> {
    // A PG this deployment does not use cannot be asked, so its hint could never be acted on.
    if (!this.gateways.has(hint.provider)) return { recorded: false, ignored: 'provider not configured' };
    const known = await this.readModels.get<OrderDoc>(ORDERS, hint.orderId);
    // Not one of our orders: nothing to reconcile, and a retry would not change that.
    if (!known) return { recorded: false, ignored: 'unknown order' };
    // An approval we already recorded, with nothing refunded: asking the PG again teaches nothing.
    if (confirmsWhatWeKnow(hint, known)) return { recorded: false, ignored: 'already recorded' };
    return { recorded: true, position: await this.receive(hint) };
  }

  async receive(hint: WebhookHint): Promise<number | null> {
    const deliveryId = hint.deliveryId ?? createHash('sha256').update(canonicalJson(hint.body)).digest('hex');
    const handled = await this.repository.handle(
      pgNotificationStreamId(hint.orderId),
      pgNotificationDecider,
      {
        type: 'ReceiveNotification',
        provider: hint.provider,
        orderId: hint.orderId,
        pgPaymentId: hint.pgPaymentId,
        eventType: hint.eventType,
        status: hint.status,
        deliveryId,
      },
      {
        commandId: `webhook:${hint.provider}:${deliveryId}`,
        correlationId: deliveryId,
        causationId: deliveryId,
        actor: { kind: 'system', process: `${hint.provider}-webhook` },
      },
    );
    // Coalesced (a hint owed already), not a redelivery of a hint recorded before.
    const redelivery = handled.state.recentDeliveries.includes(deliveryId);
    if (handled.events.length === 0 && !redelivery) {
      this.coalesced.set(hint.orderId, (this.coalesced.get(hint.orderId) ?? 0) + 1);
    }
    return handled.position;
  }

  /** How many hints for the order were coalesced so far (compared before and after acting on it). */
  coalescedCount(orderId: string): number {
    return this.coalesced.get(orderId) ?? 0;
  }

  /** The process acted on every hint up to now: forget the count. */
  forget(orderId: string): void {
    this.coalesced.delete(orderId);
  }
}
