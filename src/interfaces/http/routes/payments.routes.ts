import { Router } from 'express';
import { z } from 'zod';
import { callerOf, type HttpContext } from '../http-context';
import { orderIdSchema } from '../validation/common.schemas';
import { parseParams } from '../validation/parse';

const orderParamsSchema = z.object({ orderId: orderIdSchema });

export function paymentsRouter(ctx: HttpContext): Router {
  const router = Router();
  const queries = () => ctx.app.queries;

  router.get('/v1/payments/:orderId', ctx.authenticate, async (req, res) => {
    const { orderId } = parseParams(orderParamsSchema, req);
    res.json(await queries().payment(orderId, callerOf(res).reader));
  });

  return router;
}
