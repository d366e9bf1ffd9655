import { pendingWorkProjection, recordedAtMs, type PendingWork } from '../jobs/pending-work';
import { INLINE_GRACE_MS } from './approval-follow-up.pending';

export const CLAIM_FOLLOW_UP = 'claim-follow-up';

export interface ClaimItem extends PendingWork {
  orderId: string;
  provider: 'toss' | 'portone';
  pgPaymentId: string;
}

/** The order events that record what became of a claimed PG payment. */
const ANSWERING = new Set(['PaymentAttemptStarted', 'OrderPaid', 'PgApprovalRefused']);

/**
 * C4 + C7's owed work: a PG payment claimed for an order whose stream does not mention it yet.
 * The confirm records an attempt right after its claim, so an item lives only across a crash
 * between the two; the payment may be captured at the PG (PortOne takes the money in the window)
 * and must then be honoured or cancelled.
 */
export const claimFollowUpPending = pendingWorkProjection<ClaimItem>(
  CLAIM_FOLLOW_UP,
  async (event, pending) => {
    const d = event.data;
    if (event.streamId.startsWith('pgpayment-')) {
      // pgpayment-<provider>-<pgPaymentId>
      const rest = event.streamId.slice('pgpayment-'.length);
      const provider = rest.slice(0, rest.indexOf('-')) as ClaimItem['provider'];
      const pgPaymentId = rest.slice(provider.length + 1);
      const id = `${provider}:${pgPaymentId}`;
      if (event.type === 'PgPaymentClaimed') {
        const at = recordedAtMs(event);
        await pending.put({
          id,
          orderId: String(d.orderId),
          provider,
          pgPaymentId,
          owed: true,
          sinceMs: at,
          dueAtMs: at + INLINE_GRACE_MS,
        });
      } else if (event.type === 'PgPaymentClaimSettled') {
        pending.drop(id);
      }
      return;
    }
    if (event.streamId.startsWith('order-') && ANSWERING.has(event.type)) {
      const id = `${String(d.provider)}:${String(d.pgPaymentId)}`;
      const item = await pending.get(id);
      if (item && item.orderId === event.streamId.slice('order-'.length)) pending.drop(id);
    }
  },
);
