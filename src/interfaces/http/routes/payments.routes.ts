import { Router } from 'express';
import { z } from 'zod';
import type { ConfirmPaymentHandler } from '../../../application/payment/confirm-payment.handler';
import type { Queries } from '../../../application/queries/queries';
import { TOKENS } from '../../../application/tokens';
import { requireRole } from '../auth/authenticate.middleware';
import { awaitProjection, callerOf, type HttpContext } from '../http-context';
import { krwAmountSchema, orderIdSchema } from '../validation/common.schemas';
import { parseBody, parseParams } from '../validation/parse';

const pgId = z
  .string({ invalid_type_error: 'must be a string' })
  .regex(/^[A-Za-z0-9_-]{1,200}$/, 'must be 1–200 characters of A-Z a-z 0-9 _ -');

const confirmSchema = z.discriminatedUnion('provider', [
  z
    .object({
      provider: z.literal('toss'),
      paymentKey: pgId,
      orderId: orderIdSchema,
      amount: krwAmountSchema,
    })
    .strict(),
  z.object({ provider: z.literal('portone'), impUid: pgId, orderId: orderIdSchema }).strict(),
]);
const orderParamsSchema = z.object({ orderId: orderIdSchema });

export function paymentsRouter(ctx: HttpContext): Router {
  const router = Router();
  const queries = () => ctx.container.get<Queries>(TOKENS.Queries);

  router.post(
    '/v1/payments/confirm',
    ctx.authenticate,
    requireRole('user'),
    ctx.idempotency,
    async (req, res) => {
      const body = parseBody(confirmSchema, req);
      const { reader, actor, requestId } = callerOf(res);
      const result = await ctx.container.get<ConfirmPaymentHandler>(TOKENS.ConfirmPaymentHandler).handle({
        requestId,
        userId: reader.userId,
        actor,
        provider: body.provider,
        orderId: body.orderId,
        pgPaymentId: body.provider === 'toss' ? body.paymentKey : body.impUid,
        amount: body.provider === 'toss' ? body.amount : null,
      });
      await awaitProjection(ctx, result.position);
      if (result.kind === 'pending') {
        res.status(202).json({ orderId: body.orderId, status: 'PENDING' });
        return;
      }
      res.status(200).json(await queries().payment(body.orderId, reader));
    },
  );

  router.get('/v1/payments/:orderId', ctx.authenticate, async (req, res) => {
    const { orderId } = parseParams(orderParamsSchema, req);
    res.json(await queries().payment(orderId, callerOf(res).reader));
  });

  return router;
}
