import { fromIso } from '../../domain/shared/time';
import { pendingWorkProjection, type PendingWork } from '../jobs/pending-work';

export const ORDER_EXPIRY = 'order-expiry';

/** A pending order: owed an expiry at its instant, unless an attempt's outcome is still unknown (O3). */
export interface ExpiryItem extends PendingWork {
  orderId: string;
  /** Attempts whose outcome is not known yet: they hold the order past its expiry. */
  unsettled: number[];
}

/** O3's owed work: pending orders, due at their expiry instant, held while an attempt is unsettled. */
export const orderExpiryPending = pendingWorkProjection<ExpiryItem>(ORDER_EXPIRY, async (event, pending) => {
  if (!event.streamId.startsWith('order-')) return;
  const orderId = event.streamId.slice('order-'.length);
  const d = event.data;
  if (event.type === 'OrderPlaced') {
    const createdAt = fromIso(String(d.createdAt));
    await pending.put({
      id: orderId,
      orderId,
      unsettled: [],
      owed: true,
      sinceMs: createdAt,
      dueAtMs: fromIso(String(d.expiresAt)),
    });
    return;
  }
  if (event.type === 'OrderPaid' || event.type === 'OrderExpired') {
    pending.drop(orderId);
    return;
  }
  const item = await pending.get(orderId);
  if (!item || typeof d.attempt !== 'number') return;
  const attempt = d.attempt;
  let unsettled = item.unsettled;
  if (event.type === 'PaymentAttemptStarted') unsettled = [...unsettled, attempt];
  else if (event.type === 'PaymentAttemptRejected' || event.type === 'PgApprovalRefused')
    unsettled = unsettled.filter((a) => a !== attempt);
  else return;
  await pending.put({ ...item, unsettled, owed: unsettled.length === 0 });
});
