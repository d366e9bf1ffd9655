import { Router } from 'express';
import type { EventStore } from '../../../application/ports/event-store.port';
import type { ReadModelStore } from '../../../application/ports/read-model-store.port';
import type { Projector } from '../../../application/event-sourcing/projector';
import { TOKENS } from '../../../application/tokens';
import type { HttpContext } from '../http-context';

/** Liveness plus the stores' status; 503 when a store does not answer. */
export function healthRouter(ctx: HttpContext): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const events = ctx.container.get<EventStore>(TOKENS.EventStore);
    const readModels = ctx.container.get<ReadModelStore>(TOKENS.ReadModelStore);
    const projector = ctx.container.get<Projector>(TOKENS.Projector);
    const [eventStore, readModelStore, head] = await Promise.all([
      events.status().catch((e: unknown) => ({ kind: 'event-store', ok: false, detail: String(e) })),
      readModels.status().catch((e: unknown) => ({ kind: 'read-models', ok: false, detail: String(e) })),
      events.headPosition().catch(() => null),
    ]);
    const ok = eventStore.ok && readModelStore.ok && projector.failure === null;
    res.status(ok ? 200 : 503).json({
      status: ok ? 'ok' : 'degraded',
      eventStore,
      readModels: readModelStore,
      projections: { checkpoint: projector.checkpoint, head, healthy: projector.failure === null },
    });
  });
  return router;
}
