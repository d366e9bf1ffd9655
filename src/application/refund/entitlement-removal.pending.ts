import { paymentStatus } from '../../domain/payment/payment.state';
import { pendingWorkProjection, recordedAtMs, type PendingWork } from '../jobs/pending-work';
import { ORDERS, type OrderDoc } from '../order/order-read-model';
import { INLINE_GRACE_MS } from '../payment/approval-follow-up.pending';

export const ENTITLEMENT_REMOVAL = 'entitlement-removal';

export interface RemovalItem extends PendingWork {
  orderId: string;
}

/**
 * F4's owed work: a subscription payment fully refunded whose purchase is not removed from the
 * subscription yet. Reads the payment as the orders projection folded it in this same batch
 * (that projection runs first). A removed purchase stays as a tracker that owes nothing.
 */
export const entitlementRemovalPending = pendingWorkProjection<RemovalItem>(
  ENTITLEMENT_REMOVAL,
  async (event, pending) => {
    if (event.streamId.startsWith('subscription-')) {
      if (event.type !== 'SubscriptionPurchaseRemoved') return;
      const orderId = String(event.data.orderId);
      const at = recordedAtMs(event);
      await pending.put({ id: orderId, orderId, owed: false, sinceMs: at, dueAtMs: at });
      return;
    }
    if (!event.streamId.startsWith('payment-')) return;
    if (event.type !== 'RefundCompleted' && event.type !== 'PgCancelRecorded') return;
    const orderId = event.streamId.slice('payment-'.length);
    const doc = await pending.read<OrderDoc>(ORDERS, orderId);
    const payment = doc?.payment;
    if (!payment || payment.status === 'NONE' || payment.planType !== 'SUBSCRIPTION') return;
    if (paymentStatus(payment) !== 'REFUNDED' || (await pending.get(orderId))) return;
    const at = recordedAtMs(event);
    await pending.put({ id: orderId, orderId, owed: true, sinceMs: at, dueAtMs: at + INLINE_GRACE_MS });
  },
);
