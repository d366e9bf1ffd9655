import { z } from 'zod';
import { subscriptionSchema } from '../openapi/response.schemas';
import { callerOf, type RouteTable } from '../routing/route';
import { userIdSchema } from '../validation/common.schemas';
import { parsePart } from '../validation/parse';

export const userParams = z.object({ userId: userIdSchema });

/** S1–S5: a user's subscription, its periods and what is queued. */
export const SUBSCRIPTION_ROUTES: RouteTable = [
  {
    method: 'GET',
    path: '/v1/users/me/subscription',
    access: 'caller',
    openapi: {
      summary: "The caller's subscription: status, plan, period, past periods, what is queued",
      responses: { 200: { description: 'the subscription', schema: subscriptionSchema } },
      errors: ['SUBSCRIPTION_NOT_FOUND'],
    },
    answer: async (request, ctx) => ({ json: await ctx.app.queries.subscription(callerOf(request).userId) }),
  },
  {
    method: 'GET',
    path: '/v1/users/:userId/subscription',
    access: ['admin', 'auditor'],
    openapi: {
      summary: "A user's subscription",
      request: { params: userParams },
      responses: { 200: { description: 'the subscription', schema: subscriptionSchema } },
      errors: ['SUBSCRIPTION_NOT_FOUND'],
    },
    async answer(request, ctx) {
      const { userId } = parsePart(userParams, request.params, 'params');
      return { json: await ctx.app.queries.subscription(userId) };
    },
  },
];
