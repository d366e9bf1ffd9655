import { Router } from 'express';
import { z } from 'zod';
import { DomainError } from '../../../domain/shared/domain-error';
import { requireRole } from '../auth/authenticate.middleware';
import { awaitProjection, callerOf, type HttpContext } from '../http-context';
import { krwAmountSchema, orderIdSchema } from '../validation/common.schemas';
import { parseBody, parseParams } from '../validation/parse';

const refundSchema = z
  .object({
    amount: krwAmountSchema.optional(),
    reason: z
      .string({ required_error: 'is required', invalid_type_error: 'must be a string' })
      .trim()
      .min(1, 'must not be empty')
      .max(200),
  })
  .strict();
const orderParamsSchema = z.object({ orderId: orderIdSchema });

/** F1–F4: refunds by the owner (within the window) or an admin (any time). */
export function refundsRouter(ctx: HttpContext): Router {
  const router = Router();

  router.post(
    '/v1/payments/:orderId/refunds',
    ctx.authenticate,
    requireRole('user', 'admin'),
    ctx.idempotency,
    async (req, res) => {
      const { orderId } = parseParams(orderParamsSchema, req);
      const body = parseBody(refundSchema, req);
      const { reader, requestId } = callerOf(res);
      const queries = ctx.app.queries;
      // Ownership and existence are checked before anything is recorded.
      await queries.payment(orderId, reader);
      const outcome = await ctx.app.requestRefund.handle({
        requestId,
        actor: { userId: reader.userId, role: reader.role === 'admin' ? 'admin' : 'user' },
        orderId,
        amount: body.amount,
        reason: body.reason,
        idempotencyKey: req.get('Idempotency-Key'),
      });
      await awaitProjection(ctx, outcome.position);
      const payment = await queries.payment(orderId, reader);
      const refund = payment.refunds.find((r) => r.refundId === outcome.refundId);
      if (outcome.status === 'REJECTED') {
        throw new DomainError('PAYMENT_REJECTED', refund?.failure?.message ?? 'the PG refused the cancel', {
          pgCode: refund?.failure?.code,
          refundId: outcome.refundId,
        });
      }
      const status = outcome.status === 'PENDING' ? 202 : 201;
      res.status(status).json({
        ...refund,
        orderId,
        status: outcome.status === 'PENDING' ? 'PENDING' : refund?.status,
        payment: { status: payment.status, amount: payment.amount, refundedAmount: payment.refundedAmount },
      });
    },
  );

  return router;
}
