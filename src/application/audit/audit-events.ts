import { orderStreamId } from '../../domain/order/order.decider';
import { pgNotificationStreamId } from '../../domain/notification/pg-notification.decider';
import { paymentStreamId } from '../../domain/payment/payment.decider';
import { pgPaymentClaimStreamId } from '../../domain/payment/pg-payment-claim.decider';
import type { Provider } from '../../domain/shared/provider';
import { subscriptionStreamId } from '../../domain/subscription/subscription.decider';
import { ORDERS, type OrderDoc } from '../order/order-read-model';
import type { EventMetadata, EventStore, RecordedEvent } from '../ports/event-store.port';
import { InvalidCursorError, type Page, type ReadModelStore } from '../ports/read-model-store.port';

/** One event as the auditor sees it: where it sits, what it says, and its place in the hash chain. */
export interface AuditEventView {
  globalPosition: number;
  streamId: string;
  revision: number;
  type: string;
  recordedAt: string;
  hash: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

const ORDER_PAGE = 100;
/** Orders whose claim streams are remembered between pages, at most. */
const REMEMBERED_ORDERS = 10_000;

/**
 * A4: the full history of an order or of a user, from the event store itself, every event in
 * global order, paginated by global position.
 * - An order's streams: `order-<id>`, `payment-<id>` (its refunds), `pgnotice-<id>` (the PG's
 *   webhooks about it) and `pgpayment-<provider>-<id>` of every PG payment its events name (the
 *   claim that one PG payment backs one order, C4).
 * - A user's: `subscription-<userId>` and the streams of every order the user placed. Which
 *   orders those are comes from the orders read model (the event store has no index by user);
 *   the audit report's read-model comparison is what vouches for that read model.
 */
export class AuditEvents {
  private readonly claims = new Map<
    string,
    { orderRevision: number; paymentRevision: number; streams: string[] }
  >();

  constructor(
    private readonly events: EventStore,
    private readonly readModels: ReadModelStore,
  ) {}

  /** null when the order does not exist. */
  async ofOrder(orderId: string, limit: number, cursor?: string): Promise<Page<AuditEventView> | null> {
    const after = positionAfter(cursor);
    const events = await this.orderEvents(orderId);
    return events.length === 0 ? null : page(events, after, limit);
  }

  /**
   * An empty page for a user with no history. With a cursor, a stream whose last event is at or
   * before it is not read (a store without `readLast` reads them all): paging through a long
   * history reads each stream about once, not every page.
   */
  async ofUser(userId: string, limit: number, cursor?: string): Promise<Page<AuditEventView>> {
    const after = positionAfter(cursor);
    const events = await this.streamAfter(subscriptionStreamId(userId), after);
    for (const orderId of await this.ordersOf(userId)) {
      events.push(...(await this.orderEventsAfter(orderId, after)));
    }
    return page(dedupe(events), after, limit);
  }

  private async orderEvents(orderId: string): Promise<RecordedEvent[]> {
    const order = await this.events.readStream(orderStreamId(orderId));
    if (order.length === 0) return [];
    const payment = await this.events.readStream(paymentStreamId(orderId));
    const notices = await this.events.readStream(pgNotificationStreamId(orderId));
    const claimed: RecordedEvent[] = [];
    for (const streamId of claimStreamsNamedBy([...order, ...payment])) {
      claimed.push(...(await this.events.readStream(streamId)));
    }
    return dedupe([...order, ...payment, ...notices, ...claimed]);
  }

  /** The order's events in streams that have any after `after` (the others hold none to serve). */
  private async orderEventsAfter(orderId: string, after: number): Promise<RecordedEvent[]> {
    if (after === 0 || this.events.readLast === undefined) return this.orderEvents(orderId);
    const claims = await this.claimStreamsOf(orderId);
    if (claims === null) return [];
    const events: RecordedEvent[] = [];
    const streams = [orderStreamId(orderId), paymentStreamId(orderId), pgNotificationStreamId(orderId)];
    for (const streamId of [...streams, ...claims]) events.push(...(await this.streamAfter(streamId, after)));
    return events;
  }

  /** The stream, or nothing when its last event is at or before `after`. */
  private async streamAfter(streamId: string, after: number): Promise<RecordedEvent[]> {
    if (after > 0 && this.events.readLast !== undefined) {
      const last = await this.events.readLast(streamId);
      if (last === null || last.globalPosition <= after) return [];
    }
    return this.events.readStream(streamId);
  }

  /**
   * The PG payment claim streams the order's and payment's events name (null: no such order),
   * remembered by the two streams' last revisions: streams only grow, so the same revisions
   * name the same claims, and only an order that moved on is read again.
   */
  private async claimStreamsOf(orderId: string): Promise<string[] | null> {
    const orderLast = await this.events.readLast!(orderStreamId(orderId));
    if (orderLast === null) return null;
    const paymentRevision = (await this.events.readLast!(paymentStreamId(orderId)))?.revision ?? -1;
    const known = this.claims.get(orderId);
    if (known?.orderRevision === orderLast.revision && known.paymentRevision === paymentRevision) {
      return known.streams;
    }
    const order = await this.events.readStream(orderStreamId(orderId));
    const payment = await this.events.readStream(paymentStreamId(orderId));
    const streams = claimStreamsNamedBy([...order, ...payment]);
    if (this.claims.size >= REMEMBERED_ORDERS) this.claims.clear();
    this.claims.set(orderId, {
      orderRevision: order[order.length - 1]?.revision ?? -1,
      paymentRevision: payment[payment.length - 1]?.revision ?? -1,
      streams,
    });
    return streams;
  }

  private async ordersOf(userId: string): Promise<string[]> {
    const orderIds: string[] = [];
    let cursor: string | undefined;
    do {
      const found = await this.readModels.query<OrderDoc>(ORDERS, {
        where: { userId },
        orderBy: 'createdAtMs',
        direction: 'asc',
        limit: ORDER_PAGE,
        cursor,
      });
      orderIds.push(...found.items.map((doc) => doc.orderId));
      cursor = found.nextCursor ?? undefined;
    } while (cursor);
    return orderIds;
  }
}

/** `pgpayment-<provider>-<id>` of every PG payment the events name (the claim that it backs one order, C4). */
function claimStreamsNamedBy(events: readonly RecordedEvent[]): string[] {
  const claims = new Set<string>();
  for (const event of events) {
    const { provider, pgPaymentId } = event.data;
    if (typeof provider === 'string' && typeof pgPaymentId === 'string')
      claims.add(pgPaymentClaimStreamId(provider as Provider, pgPaymentId));
  }
  return [...claims].sort();
}

/** In global order, each event once (two orders may name the same PG payment's claim stream). */
function dedupe(events: RecordedEvent[]): RecordedEvent[] {
  const byPosition = new Map<number, RecordedEvent>();
  for (const event of events) byPosition.set(event.globalPosition, event);
  return [...byPosition.values()].sort((a, b) => a.globalPosition - b.globalPosition);
}

function page(events: RecordedEvent[], after: number, limit: number): Page<AuditEventView> {
  const rest = events.filter((event) => event.globalPosition > after);
  const items = rest.slice(0, limit).map(view);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rest.length > limit && last ? encodeCursor(last.globalPosition) : null,
  };
}

const view = (event: RecordedEvent): AuditEventView => ({
  globalPosition: event.globalPosition,
  streamId: event.streamId,
  revision: event.revision,
  type: event.type,
  recordedAt: event.metadata.recordedAt,
  hash: event.metadata.hash,
  data: event.data,
  metadata: event.metadata,
});

const CURSOR_PREFIX = 'after:';

/** An opaque cursor: the last global position served, base64url. */
const encodeCursor = (position: number): string =>
  Buffer.from(CURSOR_PREFIX + position, 'utf8').toString('base64url');

function positionAfter(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(CURSOR_PREFIX) || !/^[0-9]{1,16}$/.test(text.slice(CURSOR_PREFIX.length)))
    throw new InvalidCursorError();
  return Number(text.slice(CURSOR_PREFIX.length));
}
