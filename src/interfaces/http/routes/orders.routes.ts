import { Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../auth/authenticate.middleware';
import { awaitProjection, callerOf, type HttpContext } from '../http-context';
import { krwAmountSchema, orderIdSchema } from '../validation/common.schemas';
import { parseBody, parseParams } from '../validation/parse';

const createOrderSchema = z
  .object({
    planId: z.number({ invalid_type_error: 'must be a number' }).int().positive().max(1e9),
    amount: krwAmountSchema.optional(),
  })
  .strict();
const orderParamsSchema = z.object({ orderId: orderIdSchema });

export function ordersRouter(ctx: HttpContext): Router {
  const router = Router();
  const queries = () => ctx.app.queries;

  router.post('/v1/orders', ctx.authenticate, requireRole('user'), ctx.idempotency, async (req, res) => {
    const body = parseBody(createOrderSchema, req);
    const { reader, actor, requestId } = callerOf(res);
    const placed = await ctx.app.placeOrder.handle({
      requestId,
      userId: reader.userId,
      actor,
      planId: body.planId,
      amount: body.amount,
    });
    await awaitProjection(ctx, placed.position);
    const order = await queries().order(placed.order.order.orderId, reader);
    res.status(201).location(`/v1/orders/${order.orderId}`).json(order);
  });

  router.get('/v1/orders/:orderId', ctx.authenticate, async (req, res) => {
    const { orderId } = parseParams(orderParamsSchema, req);
    res.json(await queries().order(orderId, callerOf(res).reader));
  });

  return router;
}
