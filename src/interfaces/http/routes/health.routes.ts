import { Router } from 'express';
import { processStatuses } from '../../../application/application';
import type { HttpContext } from '../http-context';

/** Liveness, the stores' status and the processes' pending and parked work; 503 when a store does not answer. */
export function healthRouter(ctx: HttpContext): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const events = ctx.app.eventStore;
    const readModels = ctx.app.readModels;
    const projector = ctx.app.projector;
    const [eventStore, readModelStore, head, processes] = await Promise.all([
      events.status().catch((e: unknown) => ({ kind: 'event-store', ok: false, detail: String(e) })),
      readModels.status().catch((e: unknown) => ({ kind: 'read-models', ok: false, detail: String(e) })),
      events.headPosition().catch(() => null),
      processStatuses(ctx.app).catch(() => []),
    ]);
    const ok = eventStore.ok && readModelStore.ok && projector.failure === null;
    res.status(ok ? 200 : 503).json({
      status: ok ? 'ok' : 'degraded',
      eventStore,
      readModels: readModelStore,
      projections: { checkpoint: projector.checkpoint, head, healthy: projector.failure === null },
      // P2: work each process still owes, and what it parked (to be resolved by an operator).
      processes: {
        pending: processes.reduce((sum, p) => sum + p.pending, 0),
        parked: processes.reduce((sum, p) => sum + p.parked.length, 0),
        byProcess: processes,
      },
    });
  });
  return router;
}
