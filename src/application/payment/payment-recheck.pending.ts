import type { Provider } from '../../domain/order/order.events';
import { fromIso } from '../../domain/shared/time';
import { pendingWorkProjection, type PendingWork } from '../jobs/pending-work';

export const PAYMENT_RECHECK = 'payment-recheck';

/** A paid order to re-check against its PG for a while after approval (webhooks can be missed). */
export interface RecheckItem extends PendingWork {
  orderId: string;
  provider: Provider;
  pgPaymentId: string;
  approvedAtMs: number;
}

/** P3: every approved payment, by approval instant (the job looks only at the recent ones). */
export const paymentRecheckPending = pendingWorkProjection<RecheckItem>(
  PAYMENT_RECHECK,
  async (event, pending) => {
    if (!event.streamId.startsWith('payment-')) return;
    const orderId = event.streamId.slice('payment-'.length);
    if (event.type === 'PaymentApproved') {
      const approvedAtMs = fromIso(String(event.data.approvedAt));
      await pending.put({
        id: orderId,
        orderId,
        provider: event.data.provider as Provider,
        pgPaymentId: String(event.data.pgPaymentId),
        approvedAtMs,
        owed: true,
        sinceMs: approvedAtMs,
        dueAtMs: approvedAtMs,
      });
    }
  },
);
