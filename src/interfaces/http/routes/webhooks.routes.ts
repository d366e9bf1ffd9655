import express, { Router } from 'express';
import { z } from 'zod';
import type { Scheduler } from '../../../application/jobs/scheduler';
import type { ReadModelStore } from '../../../application/ports/read-model-store.port';
import { ORDERS, type OrderDoc } from '../../../application/projections/order-read-model';
import type { WebhookHint, WebhookInbox } from '../../../application/webhooks/webhook-inbox';
import { TOKENS } from '../../../application/tokens';
import type { HttpContext } from '../http-context';
import { orderIdSchema } from '../validation/common.schemas';
import { parseBody } from '../validation/parse';

const pgId = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/);
// Bodies are hints: only the ids we re-query by are read, the rest passes through untouched.
const tossStatusChangeSchema = z
  .object({
    eventType: z.string().max(64),
    data: z.object({ orderId: orderIdSchema, paymentKey: pgId, status: z.string().max(64) }).passthrough(),
  })
  .passthrough();
const tossDepositSchema = z
  .object({
    orderId: orderIdSchema,
    status: z.string().max(64),
    transactionKey: z.string().max(200).optional(),
  })
  .passthrough();
const portoneSchema = z
  .object({
    imp_uid: pgId,
    merchant_uid: orderIdSchema,
    status: z.string().max(32),
    cancellation_id: z.string().max(200).optional(),
  })
  .passthrough();

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

/** PG webhooks: recorded durably, answered 200 at once, acted on by the inbox job. */
export function webhooksRouter(ctx: HttpContext): Router {
  const router = Router();

  const accept = async (hint: WebhookHint, res: express.Response) => {
    const known = await ctx.container
      .get<ReadModelStore>(TOKENS.ReadModelStore)
      .get<OrderDoc>(ORDERS, hint.orderId);
    if (!known) {
      // Not one of our orders: nothing to reconcile, and a retry would not change that.
      res.status(200).json({ received: true, ignored: 'unknown order' });
      return;
    }
    if (confirmsWhatWeKnow(hint, known)) {
      // An approval we already recorded, with nothing refunded: asking the PG again teaches nothing.
      res.status(200).json({ received: true, ignored: 'already recorded' });
      return;
    }
    await ctx.container.get<WebhookInbox>(TOKENS.WebhookInbox).receive(hint);
    res.status(200).json({ received: true });
    void ctx.container.get<Scheduler>(TOKENS.Scheduler).runDue();
  };

  router.post('/v1/webhooks/toss', async (req, res) => {
    const transmission = req.get('tosspayments-webhook-transmission-id');
    const deliveryId = transmission && transmission.length <= 200 ? `toss:${transmission}` : null;
    const change = tossStatusChangeSchema.safeParse(req.body);
    if (change.success) {
      const { data } = change.data;
      const hint = { orderId: data.orderId, pgPaymentId: data.paymentKey, status: data.status };
      await accept(
        { provider: 'toss', ...hint, eventType: change.data.eventType, deliveryId, body: change.data },
        res,
      );
      return;
    }
    const deposit = parseBody(tossDepositSchema, req);
    await accept(
      {
        provider: 'toss',
        orderId: deposit.orderId,
        pgPaymentId: null,
        eventType: 'DEPOSIT_CALLBACK',
        status: deposit.status,
        deliveryId,
        body: deposit,
      },
      res,
    );
  });

  router.post(
    '/v1/webhooks/portone',
    express.urlencoded({ extended: false, limit: '16kb' }),
    async (req, res) => {
      const body = parseBody(portoneSchema, req);
      await accept(
        {
          provider: 'portone',
          orderId: body.merchant_uid,
          pgPaymentId: body.imp_uid,
          eventType: 'PAYMENT',
          status: body.status,
          deliveryId: null,
          body,
        },
        res,
      );
    },
  );

  return router;
}
