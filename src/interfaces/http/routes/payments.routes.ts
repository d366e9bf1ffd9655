import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { awaitProjection } from '../http-context';
import { paymentPageSchema, paymentSchema, pendingSchema } from '../openapi/response.schemas';
import { callerOf, type RouteTable } from '../routing/route';
import {
  krwAmountSchema,
  orderIdSchema,
  paginationQuerySchema,
  userIdSchema,
} from '../validation/common.schemas';
import { parsePart } from '../validation/parse';

const pgId = z
  .string({ invalid_type_error: 'must be a string' })
  .regex(/^[A-Za-z0-9_-]{1,200}$/, 'must be 1–200 characters of A-Z a-z 0-9 _ -');

export const confirmSchema = z.discriminatedUnion('provider', [
  z
    .object({
      provider: z.literal('toss'),
      paymentKey: pgId,
      orderId: orderIdSchema,
      amount: krwAmountSchema,
    })
    .strict(),
  z.object({ provider: z.literal('portone'), impUid: pgId, orderId: orderIdSchema }).strict(),
]);
export const orderParams = z.object({ orderId: orderIdSchema });
export const userParams = z.object({ userId: userIdSchema });

/** C1–C9's confirm, a payment with its refunds, and payment history. */
export const PAYMENT_ROUTES: RouteTable = [
  {
    method: 'POST',
    path: '/v1/payments/confirm',
    access: ['user'],
    idempotencyKey: true,
    body: 'json',
    openapi: {
      summary: "Confirm a payment with the PG (C1–C9): what the buyer's window returned",
      description:
        'Checks the order (owner, pending, unexpired, amount) before any PG call. Confirming again ' +
        'returns the first result; an unknown PG outcome answers 202 and is reconciled.',
      request: { body: confirmSchema },
      responses: {
        200: { description: 'approved: the payment', schema: paymentSchema },
        202: { description: 'the PG outcome is not known yet (C6)', schema: pendingSchema },
      },
      errors: [
        'ORDER_NOT_FOUND',
        'FORBIDDEN',
        'ORDER_EXPIRED',
        'ORDER_ALREADY_PAID',
        'AMOUNT_MISMATCH',
        'PG_PAYMENT_ALREADY_USED',
        'PAYMENT_REJECTED',
        'CONCURRENCY_CONFLICT',
        'UNSUPPORTED_PROVIDER',
      ],
    },
    async run(request, ctx) {
      const body = parsePart(confirmSchema, request.body, 'body');
      const { userId, role } = callerOf(request);
      const result = await ctx.app.confirmPayment.handle({
        requestId: randomUUID(),
        correlationId: request.requestId,
        userId,
        actor: { kind: 'user', userId, role },
        provider: body.provider,
        orderId: body.orderId,
        pgPaymentId: body.provider === 'toss' ? body.paymentKey : body.impUid,
        amount: body.provider === 'toss' ? body.amount : null,
      });
      await awaitProjection(ctx, result.position);
      if (result.kind === 'pending')
        return { status: 202, json: { orderId: body.orderId, status: 'PENDING' } };
      return { status: 200, json: await ctx.app.queries.payment(body.orderId, { userId, role }) };
    },
  },
  {
    method: 'GET',
    path: '/v1/payments/:orderId',
    access: 'caller',
    openapi: {
      summary: 'A payment with its refunds (its owner, an admin or an auditor)',
      request: { params: orderParams },
      responses: { 200: { description: 'the payment', schema: paymentSchema } },
      errors: ['PAYMENT_NOT_FOUND', 'FORBIDDEN'],
    },
    async answer(request, ctx) {
      const { orderId } = parsePart(orderParams, request.params, 'params');
      const { userId, role } = callerOf(request);
      return { json: await ctx.app.queries.payment(orderId, { userId, role }) };
    },
  },
  {
    method: 'GET',
    path: '/v1/users/me/payments',
    access: 'caller',
    openapi: {
      summary: "The caller's payment history, newest first",
      request: { query: paginationQuerySchema },
      responses: { 200: { description: 'a page of payments', schema: paymentPageSchema } },
    },
    async answer(request, ctx) {
      const { limit, cursor } = parsePart(paginationQuerySchema, request.query, 'query');
      return { page: await ctx.app.queries.history({ userId: callerOf(request).userId }, limit, cursor) };
    },
  },
  {
    method: 'GET',
    path: '/v1/users/:userId/payments',
    access: ['admin', 'auditor'],
    openapi: {
      summary: "A user's payment history, newest first",
      request: { params: userParams, query: paginationQuerySchema },
      responses: { 200: { description: 'a page of payments', schema: paymentPageSchema } },
    },
    async answer(request, ctx) {
      const { userId } = parsePart(userParams, request.params, 'params');
      const { limit, cursor } = parsePart(paginationQuerySchema, request.query, 'query');
      return { page: await ctx.app.queries.history({ userId }, limit, cursor) };
    },
  },
];
