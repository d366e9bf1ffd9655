import type { RecordedEvent } from '../ports/event-store.port';
import { streamKind } from '../event-sourcing/projection';
import { pendingWorkProjection, recordedAtMs, type PendingWork } from '../jobs/pending-work';

export const APPROVAL_FOLLOW_UP = 'approval-follow-up';
/** Left to the confirm that paid the order before the job steps in. */
export const INLINE_GRACE_MS = 15_000;

export interface FollowUpItem extends PendingWork {
  orderId: string;
}

const idAfter = (event: RecordedEvent, prefix: string): string => event.streamId.slice(prefix.length);

/**
 * C9's owed work: an order paid whose payment stream is not opened yet, or whose subscription
 * purchase is not applied yet. EVENT payments are done once the payment is opened (the fund is
 * a projection).
 */
export const approvalFollowUpPending = pendingWorkProjection<FollowUpItem>(
  APPROVAL_FOLLOW_UP,
  async (event, pending) => {
    switch (streamKind(event.streamId)) {
      case 'order':
        if (event.type !== 'OrderPaid') return;
        {
          const at = recordedAtMs(event);
          const orderId = idAfter(event, 'order-');
          await pending.put({ id: orderId, orderId, owed: true, sinceMs: at, dueAtMs: at + INLINE_GRACE_MS });
        }
        return;
      case 'payment':
        if (event.type === 'PaymentApproved' && event.data.planType !== 'SUBSCRIPTION')
          pending.drop(idAfter(event, 'payment-'));
        return;
      case 'subscription':
        if (event.type === 'SubscriptionPurchaseApplied') pending.drop(String(event.data.orderId));
        return;
      default:
        return;
    }
  },
);
