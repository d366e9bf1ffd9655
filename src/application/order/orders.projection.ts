import { evolveOrder } from '../../domain/order/order.evolve';
import type { OrderEvent } from '../../domain/order/order.events';
import type { ExistingOrder } from '../../domain/order/order.state';
import { evolvePayment, initialPaymentState } from '../../domain/payment/payment.evolve';
import type { PaymentEvent } from '../../domain/payment/payment.events';
import type { PaymentState } from '../../domain/payment/payment.state';
import type { RecordedEvent } from '../ports/event-store.port';
import { ORDERS, type OrderDoc, type OrderDocBase } from './order-read-model';
import { streamKind, type Projection, type ProjectionWriter } from '../event-sourcing/projection';

function derive(doc: OrderDocBase): OrderDoc {
  const { order } = doc;
  return {
    ...doc,
    status: order.status,
    hasPayment: order.attempts.length > 0 || order.refusedApprovals.length > 0 || order.payment !== null,
  };
}

async function onOrderEvent(event: RecordedEvent, writer: ProjectionWriter): Promise<void> {
  const orderId = event.streamId.slice('order-'.length);
  const existing = await writer.get<OrderDoc>(ORDERS, orderId);
  const domainEvent = { type: event.type, data: event.data } as OrderEvent;
  const evolved = evolveOrder(existing?.order ?? { status: 'NONE' }, domainEvent);
  if (evolved.status === 'NONE') return;
  const order: ExistingOrder = evolved;
  const base = existing ?? {
    orderId,
    userId: order.order.userId,
    planId: order.order.planId,
    createdAtMs: order.order.createdAt,
    expiresAtMs: order.order.expiresAt,
    payment: initialPaymentState,
  };
  writer.put(ORDERS, orderId, derive({ ...base, order }));
}

async function onPaymentEvent(event: RecordedEvent, writer: ProjectionWriter): Promise<void> {
  const orderId = event.streamId.slice('payment-'.length);
  const existing = await writer.get<OrderDoc>(ORDERS, orderId);
  if (!existing) return;
  const payment: PaymentState = evolvePayment(existing.payment, {
    type: event.type,
    data: event.data,
  } as PaymentEvent);
  writer.put(ORDERS, orderId, derive({ ...existing, payment }));
}

/** Orders with their payments and refunds, as the order and payment APIs serve them. */
export const ordersProjection: Projection = {
  name: 'orders',
  collections: [ORDERS],
  async apply(event, writer) {
    switch (streamKind(event.streamId)) {
      case 'order':
        return onOrderEvent(event, writer);
      case 'payment':
        return onPaymentEvent(event, writer);
      default:
        return;
    }
  },
};
