import type { Scheduler } from '../../../application/jobs/scheduler';
import type { ReadModelStore } from '../../../application/ports/read-model-store.port';
import { ORDERS, type OrderDoc } from '../../../application/order/order-read-model';
import { TOKENS } from '../../../application/tokens';
import type { WebhookHint, WebhookInbox } from '../../../application/webhook/webhook-inbox';
import type { HttpContext } from '../http-context';
import type { CommandAnswer } from './command-route';

const APPROVED_STATUSES = new Set(['DONE', 'paid']);

/** True when the hint says "approved" of the very payment that paid the order, and nothing else happened since. */
function confirmsWhatWeKnow(hint: WebhookHint, doc: OrderDoc): boolean {
  const paid = doc.order.payment;
  const refunds = doc.payment.status === 'NONE' ? [] : doc.payment.refunds;
  return (
    hint.status !== null &&
    APPROVED_STATUSES.has(hint.status) &&
    paid !== null &&
    paid.pgPaymentId === hint.pgPaymentId &&
    refunds.length === 0
  );
}

/** A PG webhook: recorded durably and answered 200 at once; the inbox job acts on it. */
export async function acceptWebhook(ctx: HttpContext, hint: WebhookHint): Promise<CommandAnswer> {
  const known = await ctx.container
    .get<ReadModelStore>(TOKENS.ReadModelStore)
    .get<OrderDoc>(ORDERS, hint.orderId);
  if (!known) {
    // Not one of our orders: nothing to reconcile, and a retry would not change that.
    return { status: 200, json: { received: true, ignored: 'unknown order' } };
  }
  if (confirmsWhatWeKnow(hint, known)) {
    // An approval we already recorded, with nothing refunded: asking the PG again teaches nothing.
    return { status: 200, json: { received: true, ignored: 'already recorded' } };
  }
  await ctx.container.get<WebhookInbox>(TOKENS.WebhookInbox).receive(hint);
  return {
    status: 200,
    json: { received: true },
    afterwards: () => void ctx.container.get<Scheduler>(TOKENS.Scheduler).runDue(),
  };
}
