import { Router } from 'express';
import { z } from 'zod';
import { processStatuses } from '../../../application/application';
import { DomainError } from '../../../domain/shared/domain-error';
import { requireRole } from '../auth/authenticate.middleware';
import { callerOf, type HttpContext } from '../http-context';
import { parseParams } from '../validation/parse';

const retryParamsSchema = z.object({
  process: z.string().regex(/^[a-z-]{1,64}$/),
  itemId: z.string().min(1).max(200),
});

/**
 * P2 for operators: each process's pending and parked work, and the retry of a parked item
 * (recorded on the process's stream; the item then gets fresh attempts).
 */
export function processesRouter(ctx: HttpContext): Router {
  const router = Router();

  router.get('/v1/admin/processes', ctx.authenticate, requireRole('admin', 'auditor'), async (_req, res) => {
    res.json({ items: await processStatuses(ctx.app), nextCursor: null });
  });

  router.post(
    '/v1/admin/processes/:process/parked/:itemId/retry',
    ctx.authenticate,
    requireRole('admin'),
    async (req, res) => {
      const { process, itemId } = parseParams(retryParamsSchema, req);
      const job = ctx.app.processes.find((candidate) => candidate.name === process);
      if (!job) throw new DomainError('NOT_FOUND', `no process named ${process}`);
      if (!(await job.retryParked(itemId, callerOf(res).requestId)))
        throw new DomainError('NOT_FOUND', `no parked item ${itemId} in ${process}`);
      res.status(202).json({ process, itemId, status: 'RETRYING' });
    },
  );

  return router;
}
