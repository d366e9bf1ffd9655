import { processStatuses } from '../../../application/application';
import { healthSchema } from '../openapi/operations.schemas';
import type { RouteTable } from '../routing/route';

/** Liveness, the stores' status and the processes' pending and parked work; 503 when a store does not answer. */
export const HEALTH_ROUTES: RouteTable = [
  {
    method: 'GET',
    path: '/health',
    access: 'public',
    openapi: {
      summary: "Liveness, the stores' status, and each process's pending and parked work",
      responses: {
        200: { description: 'every store answers', schema: healthSchema },
        503: { description: 'a store does not answer, or a projection failed', schema: healthSchema },
      },
    },
    async answer(_request, ctx) {
      const { eventStore: events, readModels, projector } = ctx.app;
      const [eventStore, readModelStore, head, processes] = await Promise.all([
        events.status().catch((e: unknown) => ({ kind: 'event-store', ok: false, detail: String(e) })),
        readModels.status().catch((e: unknown) => ({ kind: 'read-models', ok: false, detail: String(e) })),
        events.headPosition().catch(() => null),
        processStatuses(ctx.app).catch(() => []),
      ]);
      const ok = eventStore.ok && readModelStore.ok && projector.failure === null;
      return {
        status: ok ? 200 : 503,
        json: {
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
        },
      };
    },
  },
];
