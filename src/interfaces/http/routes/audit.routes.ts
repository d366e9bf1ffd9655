import { z } from 'zod';
import { DomainError } from '../../../domain/shared/domain-error';
import { auditEventPageSchema, auditReportSchema } from '../openapi/audit.schemas';
import { sealPublicKeySchema } from '../openapi/operations.schemas';
import type { RouteTable } from '../routing/route';
import { orderIdSchema, paginationQuerySchema, userIdSchema } from '../validation/common.schemas';
import { parsePart } from '../validation/parse';

const orderParams = z.object({ orderId: orderIdSchema });
const userParams = z.object({ userId: userIdSchema });

const reportQuery = z
  .object({
    fresh: z
      .string({ invalid_type_error: 'must be given once' })
      .regex(/^(true|false)$/, 'must be true or false')
      .optional()
      .describe('true: run a new audit instead of answering with the latest report'),
  })
  .strict();

/** The auditor's routes: the seal key (public, A2), the audit report and the histories (A4). */
export const AUDIT_ROUTES: RouteTable = [
  {
    method: 'GET',
    path: '/v1/audit/public-key',
    access: 'public',
    openapi: {
      summary: "The Ed25519 public key that verifies the history's seals (A2)",
      responses: { 200: { description: 'the key, PEM', schema: sealPublicKeySchema } },
    },
    answer: (_request, ctx) => ({
      json: {
        algorithm: 'Ed25519' as const,
        keyId: ctx.app.sealer.keyId,
        publicKeyPem: ctx.app.sealer.publicKeyPem,
      },
    }),
  },
  {
    method: 'GET',
    path: '/v1/audit/report',
    access: ['auditor'],
    openapi: {
      summary: 'The latest audit report, signed; a new audit when there is none or `fresh=true` (A4)',
      description:
        'An audit run in the service over its own event store: hash chains, seals, business rules, ' +
        'and the read models compared live with a fold of the events. One audit runs at a time: a ' +
        'request arriving meanwhile gets its report. `npm run audit -- --verify` checks a saved one.',
      request: { query: reportQuery },
      responses: { 200: { description: 'the report', schema: auditReportSchema } },
    },
    async answer(request, ctx) {
      const { fresh } = parsePart(reportQuery, request.query, 'query');
      return { json: await ctx.app.auditReports.report({ fresh: fresh === 'true' }) };
    },
  },
  {
    method: 'GET',
    path: '/v1/audit/orders/:orderId/events',
    access: ['auditor'],
    openapi: {
      summary: "An order's full history in global order, with metadata (A4)",
      description:
        'Every event of the order, its payment and refunds, the PG notices about it and the claim ' +
        'streams of the PG payments it names.',
      request: { params: orderParams, query: paginationQuerySchema },
      responses: { 200: { description: 'a page of events', schema: auditEventPageSchema } },
      errors: ['ORDER_NOT_FOUND'],
    },
    async answer(request, ctx) {
      const { orderId } = parsePart(orderParams, request.params, 'params');
      const { limit, cursor } = parsePart(paginationQuerySchema, request.query, 'query');
      const page = await ctx.app.auditEvents.ofOrder(orderId, limit, cursor);
      if (page === null) throw new DomainError('ORDER_NOT_FOUND', `no order ${orderId}`);
      return { page };
    },
  },
  {
    method: 'GET',
    path: '/v1/audit/users/:userId/events',
    access: ['auditor'],
    openapi: {
      summary: "A user's full history in global order, with metadata (A4)",
      description:
        "The user's subscription stream and every stream of every order the user placed (as the " +
        'order history above); an empty page for a user with no history.',
      request: { params: userParams, query: paginationQuerySchema },
      responses: { 200: { description: 'a page of events', schema: auditEventPageSchema } },
    },
    async answer(request, ctx) {
      const { userId } = parsePart(userParams, request.params, 'params');
      const { limit, cursor } = parsePart(paginationQuerySchema, request.query, 'query');
      return { page: await ctx.app.auditEvents.ofUser(userId, limit, cursor) };
    },
  },
];
