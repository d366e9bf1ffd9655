import { refundedAmount } from '../../domain/payment/payment.state';
import type { Doc } from '../ports/read-model-store.port';
import { ORDERS, type OrderDoc } from '../order/order-read-model';
import { streamKind, type Projection } from '../event-sourcing/projection';

export const EVENT_FUND = 'event_fund';
export const EVENT_FUND_ENTRIES = 'event_fund_entries';
export const EVENT_FUND_ID = 'total';

export interface EventFundDoc extends Doc {
  total: number;
  contributions: number;
}

interface EntryDoc extends Doc {
  orderId: string;
  net: number;
}

/**
 * E1: total = approved EVENT payments minus their refunds; contributions counts EVENT payments
 * not wholly refunded. Each payment's net is kept so the total moves by differences only.
 * Runs after the orders projection, whose document already holds the payment state.
 */
export const eventFundProjection: Projection = {
  name: 'event-fund',
  collections: [EVENT_FUND, EVENT_FUND_ENTRIES],
  async apply(event, writer) {
    if (streamKind(event.streamId) !== 'payment') return;
    const orderId = event.streamId.slice('payment-'.length);
    const doc = await writer.get<OrderDoc>(ORDERS, orderId);
    if (!doc || doc.payment.status === 'NONE' || doc.payment.planType !== 'EVENT') return;
    const net = doc.payment.amount - refundedAmount(doc.payment);
    const entry = await writer.get<EntryDoc>(EVENT_FUND_ENTRIES, orderId);
    const before = entry?.net ?? 0;
    if (entry && before === net) return;
    const fund = (await writer.get<EventFundDoc>(EVENT_FUND, EVENT_FUND_ID)) ?? {
      total: 0,
      contributions: 0,
    };
    const counted = (n: number) => (n > 0 ? 1 : 0);
    writer.put(EVENT_FUND, EVENT_FUND_ID, {
      total: fund.total + net - before,
      contributions: fund.contributions + counted(net) - (entry ? counted(before) : 0),
    });
    writer.put(EVENT_FUND_ENTRIES, orderId, { orderId, net });
  },
};
