import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { DomainError } from '../../../domain/shared/domain-error';
import { awaitProjection } from '../http-context';
import { refundAnswerSchema } from '../openapi/response.schemas';
import { callerOf, type RouteTable } from '../routing/route';
import { krwAmountSchema, orderIdSchema } from '../validation/common.schemas';
import { parsePart } from '../validation/parse';

export const refundSchema = z
  .object({
    amount: krwAmountSchema.optional(),
    reason: z
      .string({ required_error: 'is required', invalid_type_error: 'must be a string' })
      .trim()
      .min(1, 'must not be empty')
      .max(200),
  })
  .strict();
export const orderParams = z.object({ orderId: orderIdSchema });

/** F1–F4: refunds by the owner (within the window) or an admin (any time). */
export const REFUND_ROUTES: RouteTable = [
  {
    method: 'POST',
    path: '/v1/payments/:orderId/refunds',
    access: ['user', 'admin'],
    idempotencyKey: true,
    body: 'json',
    openapi: {
      summary: 'Refund a payment, fully or in part (F1–F4)',
      description:
        'The owner within the refund window, an admin at any time. Without `amount`, the whole ' +
        'refundable balance. The PG cancel is really made; an unknown outcome answers 202.',
      request: { params: orderParams, body: refundSchema },
      responses: {
        201: { description: 'the refund, completed at the PG', schema: refundAnswerSchema },
        202: { description: 'the PG outcome is not known yet (PENDING)', schema: refundAnswerSchema },
      },
      errors: [
        'PAYMENT_NOT_FOUND',
        'FORBIDDEN',
        'REFUND_WINDOW_CLOSED',
        'REFUND_EXCEEDS_BALANCE',
        'PAYMENT_NOT_REFUNDABLE',
        'PAYMENT_REJECTED',
        'CONCURRENCY_CONFLICT',
      ],
    },
    async run(request, ctx) {
      const { orderId } = parsePart(orderParams, request.params, 'params');
      const body = parsePart(refundSchema, request.body, 'body');
      const { userId, role } = callerOf(request);
      const reader = { userId, role };
      const queries = ctx.app.queries;
      // Ownership and existence are checked before anything is recorded.
      await queries.payment(orderId, reader);
      const outcome = await ctx.app.requestRefund.handle({
        requestId: randomUUID(),
        correlationId: request.requestId,
        actor: { userId, role: role === 'admin' ? 'admin' : 'user' },
        orderId,
        amount: body.amount,
        reason: body.reason,
        idempotencyKey: request.header('idempotency-key'),
      });
      await awaitProjection(ctx, outcome.position);
      const payment = await queries.payment(orderId, reader);
      const refund = payment.refunds.find((r) => r.refundId === outcome.refundId);
      if (outcome.status === 'REJECTED') {
        throw new DomainError('PAYMENT_REJECTED', refund?.failure?.message ?? 'the PG refused the cancel', {
          pgCode: refund?.failure?.code,
          refundId: outcome.refundId,
        });
      }
      return {
        status: outcome.status === 'PENDING' ? 202 : 201,
        json: {
          ...refund,
          orderId,
          status: outcome.status === 'PENDING' ? 'PENDING' : refund?.status,
          payment: { status: payment.status, amount: payment.amount, refundedAmount: payment.refundedAmount },
        },
      };
    },
  },
];
