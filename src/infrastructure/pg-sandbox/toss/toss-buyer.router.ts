import { Router } from 'express';
import type { Database } from 'better-sqlite3';
import { invalidRequest } from './toss-api.router';
import type { TossPaymentOperations } from './toss-payment.operations';
import { cancelBodySchema, sessionBodySchema } from './toss-sandbox.schemas';

/**
 * The other side of the PG, without auth: the buyer's payment window (sessions; the page is
 * toss-window.router.ts) and the merchant console (a cancel made at Toss, which the service learns of by webhook).
 */
export function createTossBuyerRouter(db: Database, ops: TossPaymentOperations): Router {
  const router = Router();

  router.post('/sessions', (req, res) => {
    const parsed = sessionBodySchema.safeParse(req.body);
    const reply = parsed.success
      ? db.transaction(() => ops.createSession(parsed.data))()
      : invalidRequest(parsed.error);
    res.status(reply.status).json(reply.body);
  });

  router.post('/console/payments/:paymentKey/cancel', (req, res) => {
    const parsed = cancelBodySchema.safeParse(req.body);
    const reply = parsed.success
      ? db.transaction(() => ops.cancel(String(req.params.paymentKey), parsed.data, false))()
      : invalidRequest(parsed.error);
    res.status(reply.status).json(reply.body);
  });

  return router;
}
