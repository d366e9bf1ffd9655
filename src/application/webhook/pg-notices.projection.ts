import type { Doc } from '../ports/read-model-store.port';
import { streamKind, type Projection } from '../event-sourcing/projection';

export const PG_NOTICES = 'pg_notices';

export interface PgNoticeDoc extends Doc {
  orderId: string;
  provider: 'toss' | 'portone';
  pgPaymentId: string | null;
  received: number;
  processed: number;
  pending: boolean;
  receivedAtMs: number;
}

/** Webhook hints per order, and whether any is still to be acted on. */
export const pgNoticesProjection: Projection = {
  name: 'pg-notices',
  async apply(event, writer) {
    if (streamKind(event.streamId) !== 'pgnotice') return;
    const orderId = event.streamId.slice('pgnotice-'.length);
    const doc = await writer.get<PgNoticeDoc>(PG_NOTICES, orderId);
    const d = event.data;
    if (event.type === 'PgNotificationReceived') {
      const received = (doc?.received ?? 0) + 1;
      writer.put(PG_NOTICES, orderId, {
        orderId,
        provider: d.provider as PgNoticeDoc['provider'],
        pgPaymentId: (d.pgPaymentId as string | null) ?? doc?.pgPaymentId ?? null,
        received,
        processed: doc?.processed ?? 0,
        pending: true,
        receivedAtMs: Date.parse(d.receivedAt as string),
      });
    } else if (event.type === 'PgNotificationsProcessed' && doc) {
      const processed = Math.max(doc.processed, d.upTo as number);
      writer.put(PG_NOTICES, orderId, { ...doc, processed, pending: processed < doc.received });
    }
  },
};
