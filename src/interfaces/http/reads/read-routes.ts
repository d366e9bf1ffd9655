import { z } from 'zod';
import type { Page } from '../../../application/ports/read-model-store.port';
import type { Queries } from '../../../application/queries/queries';
import type { Principal, Role } from '../auth/jwt';
import { paginationQuerySchema, planIdParamSchema, userIdSchema } from '../validation/common.schemas';
import { parsePart } from '../validation/parse';

/** A read request taken apart, whoever served it (Express or the fast read path). */
export interface ReadRequest {
  params: Record<string, unknown>;
  query: unknown;
  /** The verified caller; null on public routes. */
  principal: Principal | null;
}

export type ReadAnswer = { page: Page<object> } | { json: unknown };

/**
 * One projection-backed GET: its path (`:name` segments), who may call it, and the answer.
 * `access`: 'public', 'caller' (any authenticated caller, who reads their own data), or roles.
 */
export interface ReadRoute {
  path: string;
  access: 'public' | 'caller' | readonly Role[];
  answer(request: ReadRequest, queries: Queries): Promise<ReadAnswer> | ReadAnswer;
}

const userParams = z.object({ userId: userIdSchema });
const planParams = z.object({ planId: planIdParamSchema });
const STAFF: readonly Role[] = ['admin', 'auditor'];

const pagination = (request: ReadRequest) => parsePart(paginationQuerySchema, request.query, 'query');
const caller = (request: ReadRequest): string => (request.principal as Principal).userId;

/** Plans, payment history, subscriptions, the event fund: every read of the v1 contract. */
export const READ_ROUTES: readonly ReadRoute[] = [
  {
    path: '/v1/plans',
    access: 'public',
    answer: (_request, queries) => ({
      json: {
        items: queries.plans().map((plan) => ({ ...plan, type: plan.kind, currency: 'KRW' })),
        nextCursor: null,
      },
    }),
  },
  {
    path: '/v1/users/me/payments',
    access: 'caller',
    async answer(request, queries) {
      const { limit, cursor } = pagination(request);
      return { page: await queries.history({ userId: caller(request) }, limit, cursor) };
    },
  },
  {
    path: '/v1/users/me/subscription',
    access: 'caller',
    answer: async (request, queries) => ({ json: await queries.subscription(caller(request)) }),
  },
  {
    path: '/v1/users/:userId/payments',
    access: STAFF,
    async answer(request, queries) {
      const { userId } = parsePart(userParams, request.params, 'params');
      const { limit, cursor } = pagination(request);
      return { page: await queries.history({ userId }, limit, cursor) };
    },
  },
  {
    path: '/v1/users/:userId/subscription',
    access: STAFF,
    async answer(request, queries) {
      const { userId } = parsePart(userParams, request.params, 'params');
      return { json: await queries.subscription(userId) };
    },
  },
  {
    path: '/v1/plans/:planId/payments',
    access: STAFF,
    async answer(request, queries) {
      const { planId } = parsePart(planParams, request.params, 'params');
      const { limit, cursor } = pagination(request);
      return { page: await queries.history({ planId }, limit, cursor) };
    },
  },
  {
    path: '/v1/event-fund',
    access: 'public',
    answer: async (_request, queries) => ({ json: await queries.eventFund() }),
  },
];
