import { pendingWorkProjection, recordedAtMs, type PendingWork } from '../jobs/pending-work';
import { INLINE_GRACE_MS } from './approval-follow-up.pending';

export const APPROVAL_VOID = 'approval-void';

export interface VoidItem extends PendingWork {
  orderId: string;
  pgPaymentId: string;
}

/** C7's owed work: an approval we refused that the PG has not confirmed cancelled yet. */
export const approvalVoidPending = pendingWorkProjection<VoidItem>(APPROVAL_VOID, async (event, pending) => {
  if (!event.streamId.startsWith('order-')) return;
  const orderId = event.streamId.slice('order-'.length);
  const pgPaymentId = String(event.data.pgPaymentId);
  const id = `${orderId}:${pgPaymentId}`;
  if (event.type === 'PgApprovalRefused') {
    const at = recordedAtMs(event);
    await pending.put({ id, orderId, pgPaymentId, owed: true, sinceMs: at, dueAtMs: at + INLINE_GRACE_MS });
  } else if (event.type === 'PgApprovalCancelled') {
    pending.drop(id);
  }
});
