import { z } from 'zod';
import { webhookReceiptSchema } from '../openapi/response.schemas';
import type { RouteTable } from '../routing/route';
import { orderIdSchema } from '../validation/common.schemas';
import { parsePart } from '../validation/parse';
import { acceptWebhook } from './webhook-acceptance';

export const pgIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/);
// Bodies are hints: only the ids we re-query by are read, the rest passes through untouched.
export const tossStatusChangeSchema = z
  .object({
    eventType: z.string().max(64),
    data: z
      .object({ orderId: orderIdSchema, paymentKey: pgIdSchema, status: z.string().max(64) })
      .passthrough(),
  })
  .passthrough();
export const tossDepositSchema = z
  .object({
    orderId: orderIdSchema,
    status: z.string().max(64),
    transactionKey: z.string().max(200).optional(),
  })
  .passthrough();

export const portoneSchema = z
  .object({
    imp_uid: pgIdSchema,
    merchant_uid: orderIdSchema,
    status: z.string().max(32),
    cancellation_id: z.string().max(200).optional(),
  })
  .passthrough();

/** The PGs' webhooks: hints, recorded durably and answered 200 at once; the inbox acts on them. */
export const WEBHOOK_ROUTES: RouteTable = [
  {
    // PAYMENT_STATUS_CHANGED, or a virtual-account deposit callback.
    method: 'POST',
    path: '/v1/webhooks/toss',
    access: 'public',
    idempotencyKey: false,
    body: 'json',
    openapi: {
      summary: "Toss's webhook (a hint): PAYMENT_STATUS_CHANGED or a virtual-account deposit callback",
      description: 'Recorded and answered at once; the service re-queries the PG before it acts (P3).',
      request: { body: z.union([tossStatusChangeSchema, tossDepositSchema]) },
      responses: { 200: { description: 'received', schema: webhookReceiptSchema } },
    },
    async run(request, ctx) {
      const transmission = request.header('tosspayments-webhook-transmission-id');
      const deliveryId = transmission && transmission.length <= 200 ? `toss:${transmission}` : null;
      const change = tossStatusChangeSchema.safeParse(request.body);
      if (change.success) {
        const { data } = change.data;
        return acceptWebhook(ctx, {
          provider: 'toss',
          orderId: data.orderId,
          pgPaymentId: data.paymentKey,
          status: data.status,
          eventType: change.data.eventType,
          deliveryId,
          body: change.data,
        });
      }
      const deposit = parsePart(tossDepositSchema, request.body, 'body');
      return acceptWebhook(ctx, {
        provider: 'toss',
        orderId: deposit.orderId,
        pgPaymentId: null,
        eventType: 'DEPOSIT_CALLBACK',
        status: deposit.status,
        deliveryId,
        body: deposit,
      });
    },
  },
  {
    // A form post: served by Express alone.
    method: 'POST',
    path: '/v1/webhooks/portone',
    access: 'public',
    idempotencyKey: false,
    body: 'form',
    openapi: {
      summary: "PortOne's notification (a hint), as a form post",
      description: 'Recorded and answered at once; the service re-queries the PG before it acts (P3).',
      request: { body: portoneSchema },
      responses: { 200: { description: 'received', schema: webhookReceiptSchema } },
    },
    async run(request, ctx) {
      const body = parsePart(portoneSchema, request.body, 'body');
      return acceptWebhook(ctx, {
        provider: 'portone',
        orderId: body.merchant_uid,
        pgPaymentId: body.imp_uid,
        eventType: 'PAYMENT',
        status: body.status,
        deliveryId: null,
        body,
      });
    },
  },
];
