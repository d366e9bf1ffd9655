import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Principal } from '../auth/jwt';
import { awaitProjection } from '../http-context';
import { krwAmountSchema, orderIdSchema } from '../validation/common.schemas';
import { parsePart } from '../validation/parse';
import type { CommandRoute } from './command-route';

const pgId = z
  .string({ invalid_type_error: 'must be a string' })
  .regex(/^[A-Za-z0-9_-]{1,200}$/, 'must be 1–200 characters of A-Z a-z 0-9 _ -');

const confirmSchema = z.discriminatedUnion('provider', [
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

/** POST /v1/payments/confirm: C1–C9, answered with the payment, or 202 while its outcome is unknown. */
export const confirmPaymentCommand: CommandRoute = {
  path: '/v1/payments/confirm',
  access: ['user'],
  idempotencyKey: true,
  async run(request, ctx) {
    const body = parsePart(confirmSchema, request.body, 'body');
    const { userId, role } = request.principal as Principal;
    const result = await ctx.app.confirmPayment.handle({
      requestId: randomUUID(),
      userId,
      actor: { kind: 'user', userId, role },
      provider: body.provider,
      orderId: body.orderId,
      pgPaymentId: body.provider === 'toss' ? body.paymentKey : body.impUid,
      amount: body.provider === 'toss' ? body.amount : null,
    });
    await awaitProjection(ctx, result.position);
    if (result.kind === 'pending') return { status: 202, json: { orderId: body.orderId, status: 'PENDING' } };
    const payment = await ctx.app.queries.payment(body.orderId, { userId, role });
    return { status: 200, json: payment };
  },
};
