import { Router } from 'express';
import { z } from 'zod';
import type { Queries } from '../../../application/queries/queries';
import { TOKENS } from '../../../application/tokens';
import { requireRole } from '../auth/authenticate.middleware';
import { callerOf, type HttpContext } from '../http-context';
import { sendPage } from '../json-page';
import { paginationQuerySchema, planIdParamSchema, userIdSchema } from '../validation/common.schemas';
import { parseParams, parseQuery } from '../validation/parse';

const userParams = z.object({ userId: userIdSchema });
const planParams = z.object({ planId: planIdParamSchema });

/** Projection-backed reads: plans, payment history, subscriptions, the event fund. */
export function readsRouter(ctx: HttpContext): Router {
  const router = Router();
  const queries = () => ctx.container.get<Queries>(TOKENS.Queries);

  router.get('/v1/plans', (_req, res) => {
    const items = queries()
      .plans()
      .map((plan) => ({ ...plan, type: plan.kind, currency: 'KRW' }));
    res.json({ items, nextCursor: null });
  });

  router.get('/v1/users/me/payments', ctx.authenticate, async (req, res) => {
    const { limit, cursor } = parseQuery(paginationQuerySchema, req);
    sendPage(res, await queries().history({ userId: callerOf(res).reader.userId }, limit, cursor));
  });

  router.get('/v1/users/me/subscription', ctx.authenticate, async (_req, res) => {
    res.json(await queries().subscription(callerOf(res).reader.userId));
  });

  router.get(
    '/v1/users/:userId/payments',
    ctx.authenticate,
    requireRole('admin', 'auditor'),
    async (req, res) => {
      const { userId } = parseParams(userParams, req);
      const { limit, cursor } = parseQuery(paginationQuerySchema, req);
      sendPage(res, await queries().history({ userId }, limit, cursor));
    },
  );

  router.get(
    '/v1/users/:userId/subscription',
    ctx.authenticate,
    requireRole('admin', 'auditor'),
    async (req, res) => {
      const { userId } = parseParams(userParams, req);
      res.json(await queries().subscription(userId));
    },
  );

  router.get(
    '/v1/plans/:planId/payments',
    ctx.authenticate,
    requireRole('admin', 'auditor'),
    async (req, res) => {
      const { planId } = parseParams(planParams, req);
      const { limit, cursor } = parseQuery(paginationQuerySchema, req);
      sendPage(res, await queries().history({ planId }, limit, cursor));
    },
  );

  router.get('/v1/event-fund', async (_req, res) => {
    res.json(await queries().eventFund());
  });

  return router;
}
