import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { processStatuses } from '../../../application/application';
import { DomainError } from '../../../domain/shared/domain-error';
import { processStatusSchema, retryAcceptedSchema } from '../openapi/operations.schemas';
import { pageOf } from '../openapi/response.schemas';
import type { RouteTable } from '../routing/route';
import { parsePart } from '../validation/parse';

export const retryParams = z.object({
  process: z.string().regex(/^[a-z-]{1,64}$/),
  itemId: z.string().min(1).max(200),
});

/**
 * P2 for operators: each process's pending and parked work, and the retry of a parked item
 * (recorded on the process's stream; the item then gets fresh attempts).
 */
export const PROCESS_ROUTES: RouteTable = [
  {
    method: 'GET',
    path: '/v1/admin/processes',
    access: ['admin', 'auditor'],
    openapi: {
      summary: "Each process's pending and parked work (P2)",
      responses: {
        200: { description: 'every process, one page', schema: pageOf(processStatusSchema, 'ProcessPage') },
      },
    },
    answer: async (_request, ctx) => ({ json: { items: await processStatuses(ctx.app), nextCursor: null } }),
  },
  {
    method: 'POST',
    path: '/v1/admin/processes/:process/parked/:itemId/retry',
    access: ['admin'],
    idempotencyKey: false,
    body: 'json',
    openapi: {
      summary: 'Retry a parked item: it gets fresh attempts',
      request: { params: retryParams },
      responses: { 202: { description: 'the retry is recorded', schema: retryAcceptedSchema } },
      errors: ['NOT_FOUND'],
    },
    async run(request, ctx) {
      const { process, itemId } = parsePart(retryParams, request.params, 'params');
      const job = ctx.app.processes.find((candidate) => candidate.name === process);
      if (!job) throw new DomainError('NOT_FOUND', `no process named ${process}`);
      if (!(await job.retryParked(itemId, randomUUID())))
        throw new DomainError('NOT_FOUND', `no parked item ${itemId} in ${process}`);
      return { status: 202, json: { process, itemId, status: 'RETRYING' } };
    },
  },
];
