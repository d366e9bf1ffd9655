import { z } from './zod-openapi';

/**
 * The bodies the contract answers with (DESIGN.md, "Response shapes"), as zod schemas for the
 * OpenAPI document. Objects are not strict: more fields are welcome, the listed ones are promised.
 * Each names itself a component, so the document shows it once and refers to it.
 */

const instant = z.string().datetime({ offset: true });
const krw = z.number().int().describe('whole KRW');
const planType = z.enum(['SUBSCRIPTION', 'EVENT']);
const pgFailure = z.object({ code: z.string(), message: z.string() }).openapi('PgFailure');

/** A list page: `nextCursor` is passed back as `?cursor=` for the next page, null on the last. */
export function pageOf(item: z.ZodTypeAny, name: string) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z.string().nullable().describe('pass as ?cursor= for the next page; null on the last'),
    })
    .openapi(name);
}

export const planSchema = z
  .object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    type: planType,
    kind: planType,
    currency: z.literal('KRW'),
    price: krw.optional().describe('SUBSCRIPTION plans: the price'),
    months: z.number().int().optional().describe('SUBSCRIPTION plans: the months one purchase buys'),
    minAmount: krw.optional().describe('EVENT plan: the smallest amount a buyer may give'),
    maxAmount: krw.optional().describe('EVENT plan: the largest amount a buyer may give'),
  })
  .openapi('Plan');

export const orderSchema = z
  .object({
    orderId: z.string(),
    userId: z.string(),
    planId: z.number().int(),
    planType,
    orderName: z.string(),
    amount: krw,
    currency: z.literal('KRW'),
    status: z.enum(['PENDING', 'PAID', 'EXPIRED']),
    createdAt: instant,
    expiresAt: instant,
    paidAt: instant.nullable(),
  })
  .openapi('Order');

export const refundSchema = z
  .object({
    refundId: z.string(),
    amount: krw,
    reason: z.string(),
    status: z.enum(['PENDING', 'COMPLETED', 'REJECTED']),
    requestedAt: instant,
    completedAt: instant.nullable(),
    requestedBy: z.object({ userId: z.string(), role: z.enum(['user', 'admin']) }).nullable(),
    failure: pgFailure.optional().describe('REJECTED: the PG code and message'),
  })
  .openapi('Refund');

export const paymentSchema = z
  .object({
    orderId: z.string(),
    userId: z.string(),
    planId: z.number().int(),
    planType,
    orderName: z.string(),
    provider: z.enum(['toss', 'portone']).nullable(),
    pgPaymentId: z.string().nullable(),
    status: z.enum([
      'PENDING',
      'APPROVED',
      'REJECTED',
      'PARTIALLY_REFUNDED',
      'REFUNDED',
      'CANCELED_BY_SYSTEM',
    ]),
    amount: krw,
    refundedAmount: krw,
    currency: z.literal('KRW'),
    method: z.string().nullable(),
    methodDetail: z
      .object({
        method: z.string(),
        cardIssuerCode: z.string().optional(),
        cardIssuerName: z.string().optional(),
        cardNumber: z.string().optional(),
        easyPayProvider: z.string().optional(),
      })
      .nullable(),
    approvedAt: instant.nullable(),
    createdAt: instant,
    failure: pgFailure.optional().describe('REJECTED: the PG code and message'),
    systemCancel: z
      .object({ reason: z.string(), cancelledAtPg: z.boolean() })
      .optional()
      .describe('CANCELED_BY_SYSTEM: why the approval could not be honoured (C7)'),
    refunds: z.array(refundSchema),
  })
  .openapi('Payment');

export const paymentPageSchema = pageOf(paymentSchema, 'PaymentPage');

/** C6: the PG's answer is not known yet; a reconciler finds out, and a read shows it. */
export const pendingSchema = z
  .object({ orderId: z.string(), status: z.literal('PENDING') })
  .openapi('Pending');

export const refundAnswerSchema = refundSchema
  .extend({
    orderId: z.string(),
    status: z.enum(['PENDING', 'COMPLETED']),
    payment: z.object({ status: paymentSchema.shape.status, amount: krw, refundedAmount: krw }),
  })
  .openapi('RefundAnswer');

const period = z.object({
  planId: z.number().int(),
  planName: z.string(),
  orderId: z.string(),
  start: instant,
  end: instant,
});

export const subscriptionSchema = z
  .object({
    userId: z.string(),
    status: z.enum(['ACTIVE', 'EXPIRED', 'REVOKED']),
    planId: z.number().int(),
    planName: z.string(),
    periodStart: instant,
    periodEnd: instant,
    periods: z.array(period),
    queued: z.array(
      z.object({
        planId: z.number().int(),
        planName: z.string(),
        orderId: z.string(),
        months: z.number().int(),
      }),
    ),
  })
  .openapi('Subscription');

export const eventFundSchema = z
  .object({ total: krw, contributions: z.number().int().describe('approved EVENT payments counted') })
  .openapi('EventFund');

export const webhookReceiptSchema = z
  .object({ received: z.literal(true), ignored: z.string().optional() })
  .openapi('WebhookReceipt');
