import type { Provider } from '../../domain/order/order.events';
import { fromIso } from '../../domain/shared/time';
import { pendingWorkProjection, type PendingWork } from '../jobs/pending-work';

export const WEBHOOK_INBOX = 'webhook-inbox';

/** Per order: the hints received and processed so far; owed while some are not processed. */
export interface HintItem extends PendingWork {
  orderId: string;
  provider: Provider;
  pgPaymentId: string | null;
  received: number;
  processed: number;
}

/** P3's owed work: webhook hints not acted on yet (the PG not re-queried successfully). */
export const webhookInboxPending = pendingWorkProjection<HintItem>(WEBHOOK_INBOX, async (event, pending) => {
  if (!event.streamId.startsWith('pgnotice-')) return;
  const orderId = event.streamId.slice('pgnotice-'.length);
  const item = await pending.get(orderId);
  const d = event.data;
  if (event.type === 'PgNotificationReceived') {
    const at = fromIso(String(d.receivedAt));
    const episode = item?.owed ? item.sinceMs : at;
    await pending.put({
      id: orderId,
      orderId,
      provider: d.provider as Provider,
      pgPaymentId: (d.pgPaymentId as string | null) ?? item?.pgPaymentId ?? null,
      received: (item?.received ?? 0) + 1,
      processed: item?.processed ?? 0,
      owed: true,
      sinceMs: episode,
      dueAtMs: episode,
    });
  } else if (event.type === 'PgNotificationsProcessed' && item) {
    const processed = Math.max(item.processed, Number(d.upTo));
    await pending.put({ ...item, processed, owed: processed < item.received });
  }
});
