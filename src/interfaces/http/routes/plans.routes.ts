import { z } from 'zod';
import { pageOf, paymentPageSchema, planSchema } from '../openapi/response.schemas';
import type { RouteTable } from '../routing/route';
import { paginationQuerySchema, planIdParamSchema } from '../validation/common.schemas';
import { parsePart } from '../validation/parse';

export const planParams = z.object({ planId: planIdParamSchema });

/** The catalog, and the payments of a plan (staff). */
export const PLAN_ROUTES: RouteTable = [
  {
    method: 'GET',
    path: '/v1/plans',
    access: 'public',
    openapi: {
      summary: 'The plan catalog',
      responses: { 200: { description: 'every plan, one page', schema: pageOf(planSchema, 'PlanPage') } },
    },
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
    openapi: {
      summary: 'The payments of a plan, newest first',
      request: { params: planParams, query: paginationQuerySchema },
      responses: { 200: { description: 'a page of payments', schema: paymentPageSchema } },
    },
    async answer(request, ctx) {
      const { planId } = parsePart(planParams, request.params, 'params');
      const { limit, cursor } = parsePart(paginationQuerySchema, request.query, 'query');
      return { page: await ctx.app.queries.history({ planId }, limit, cursor) };
    },
  },
];
