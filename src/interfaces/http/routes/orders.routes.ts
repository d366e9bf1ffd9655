import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { awaitProjection } from '../http-context';
import { orderSchema } from '../openapi/response.schemas';
import { callerOf, type RouteTable } from '../routing/route';
import { krwAmountSchema, orderIdSchema } from '../validation/common.schemas';
import { parsePart } from '../validation/parse';

export const createOrderSchema = z
  .object({
    planId: z.number({ invalid_type_error: 'must be a number' }).int().positive().max(1e9),
    amount: krwAmountSchema.optional(),
  })
  .strict();
export const orderParams = z.object({ orderId: orderIdSchema });

/** O1–O3: a pre-order made by the server from the plan, and reading it back. */
export const ORDER_ROUTES: RouteTable = [
  {
    method: 'POST',
    path: '/v1/orders',
    access: ['user'],
    idempotencyKey: true,
    body: 'json',
    openapi: {
      summary: 'Create a pre-order (O1–O3): the server sets the amount from the plan',
      description: 'EVENT plans take the buyer-chosen `amount` within the plan bounds; others take none.',
      request: { body: createOrderSchema },
      responses: { 201: { description: 'the order, PENDING until paid or expired', schema: orderSchema } },
      errors: ['PLAN_NOT_FOUND'],
    },
    async run(request, ctx) {
      const body = parsePart(createOrderSchema, request.body, 'body');
      const { userId, role } = callerOf(request);
      const placed = await ctx.app.placeOrder.handle({
        requestId: randomUUID(),
        correlationId: request.requestId,
        userId,
        actor: { kind: 'user', userId, role },
        planId: body.planId,
        amount: body.amount,
      });
      await awaitProjection(ctx, placed.position);
      const order = await ctx.app.queries.order(placed.order.order.orderId, { userId, role });
      return { status: 201, json: order, headers: { location: `/v1/orders/${order.orderId}` } };
    },
  },
  {
    method: 'GET',
    path: '/v1/orders/:orderId',
    access: 'caller',
    openapi: {
      summary: 'An order (its owner, or an admin)',
      request: { params: orderParams },
      responses: { 200: { description: 'the order', schema: orderSchema } },
      errors: ['ORDER_NOT_FOUND', 'FORBIDDEN'],
    },
    async answer(request, ctx) {
      const { orderId } = parsePart(orderParams, request.params, 'params');
      const { userId, role } = callerOf(request);
      return { json: await ctx.app.queries.order(orderId, { userId, role }) };
    },
  },
];
