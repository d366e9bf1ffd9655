import { z } from 'zod';
import { orderIdSchema } from '../validation/common.schemas';
import { parsePart } from '../validation/parse';
import type { CommandRoute } from './command-route';
import { acceptWebhook } from './webhook-acceptance';

export const pgIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/);
// Bodies are hints: only the ids we re-query by are read, the rest passes through untouched.
const tossStatusChangeSchema = z
  .object({
    eventType: z.string().max(64),
    data: z
      .object({ orderId: orderIdSchema, paymentKey: pgIdSchema, status: z.string().max(64) })
      .passthrough(),
  })
  .passthrough();
const tossDepositSchema = z
  .object({
    orderId: orderIdSchema,
    status: z.string().max(64),
    transactionKey: z.string().max(200).optional(),
  })
  .passthrough();

/** POST /v1/webhooks/toss: PAYMENT_STATUS_CHANGED, or a virtual-account deposit callback. */
export const tossWebhookCommand: CommandRoute = {
  path: '/v1/webhooks/toss',
  access: 'public',
  idempotencyKey: false,
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
};
