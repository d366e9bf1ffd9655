import { fromIso } from '../../domain/shared/time';
import { pendingWorkProjection, type PendingWork } from '../jobs/pending-work';
import { RECONCILE_OFFSETS_MS } from '../jobs/reconcile-schedule';

export const CONFIRMATION_RECONCILER = 'confirmation-reconciler';

export interface AttemptItem extends PendingWork {
  orderId: string;
  attempt: number;
}

const SETTLING = new Set(['PaymentAttemptRejected', 'OrderPaid', 'PgApprovalRefused']);

/** C6's owed work: confirmation attempts whose outcome is not known yet (in flight or unknown). */
export const confirmationReconcilerPending = pendingWorkProjection<AttemptItem>(
  CONFIRMATION_RECONCILER,
  async (event, pending) => {
    if (!event.streamId.startsWith('order-')) return;
    const orderId = event.streamId.slice('order-'.length);
    const attempt = event.data.attempt;
    if (typeof attempt !== 'number') return;
    const id = `${orderId}:${attempt}`;
    if (event.type === 'PaymentAttemptStarted') {
      const startedAt = fromIso(String(event.data.startedAt));
      await pending.put({
        id,
        orderId,
        attempt,
        owed: true,
        sinceMs: startedAt,
        dueAtMs: startedAt + (RECONCILE_OFFSETS_MS[0] ?? 0),
      });
    } else if (SETTLING.has(event.type)) {
      pending.drop(id);
    }
  },
);
