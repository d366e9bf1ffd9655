import { z } from 'zod';
import type { RouteTable } from '../routing/route';
import { paginationQuerySchema, planIdParamSchema } from '../validation/common.schemas';
import { parsePart } from '../validation/parse';

const planParams = z.object({ planId: planIdParamSchema });

/** The catalog, and the payments of a plan (staff). */
export const PLAN_ROUTES: RouteTable = [
  {
    method: 'GET',
    path: '/v1/plans',
    access: 'public',
    answer: (_request, ctx) => ({
      json: {
        items: ctx.app.queries.plans().map((plan) => ({ ...plan, type: plan.kind, currency: 'KRW' })),
        nextCursor: null,
      },
    }),
  },
  {
    method: 'GET',
    path: '/v1/plans/:planId/payments',
    access: ['admin', 'auditor'],
    async answer(request, ctx) {
      const { planId } = parsePart(planParams, request.params, 'params');
      const { limit, cursor } = parsePart(paginationQuerySchema, request.query, 'query');
      return { page: await ctx.app.queries.history({ planId }, limit, cursor) };
    },
  },
];
