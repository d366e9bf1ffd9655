import express, { Router } from 'express';
import { z } from 'zod';
import type { HttpContext } from '../http-context';
import { pgIdSchema } from '../commands/toss-webhook.command';
import { acceptWebhook } from '../commands/webhook-acceptance';
import { orderIdSchema } from '../validation/common.schemas';
import { parseBody } from '../validation/parse';

const portoneSchema = z
  .object({
    imp_uid: pgIdSchema,
    merchant_uid: orderIdSchema,
    status: z.string().max(32),
    cancellation_id: z.string().max(200).optional(),
  })
  .passthrough();

/**
 * PortOne's webhook (a form post): recorded durably, answered 200 at once, acted on by the
 * inbox job. Toss's JSON webhook is in the command table (commands/toss-webhook.command.ts).
 */
export function webhooksRouter(ctx: HttpContext): Router {
  const router = Router();

  router.post(
    '/v1/webhooks/portone',
    express.urlencoded({ extended: false, limit: '16kb' }),
    async (req, res) => {
      const body = parseBody(portoneSchema, req);
      const answer = await acceptWebhook(ctx, {
        provider: 'portone',
        orderId: body.merchant_uid,
        pgPaymentId: body.imp_uid,
        eventType: 'PAYMENT',
        status: body.status,
        deliveryId: null,
        body,
      });
      res.status(answer.status).json(answer.json);
      answer.afterwards?.();
    },
  );

  return router;
}
