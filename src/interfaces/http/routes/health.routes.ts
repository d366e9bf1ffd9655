import { processStatuses } from '../../../application/application';
import { healthSchema, liveSchema, readySchema } from '../openapi/operations.schemas';
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
  {
    method: 'GET',
    path: '/health/live',
    access: 'public',
    openapi: {
      summary: 'Liveness probe: the process is up and answering',
      responses: { 200: { description: 'up', schema: liveSchema } },
    },
    // The process is up and answering: nothing else is asked, so a slow store never restarts it.
    answer: () => ({ json: { status: 'ok' } }),
  },
  {
    method: 'GET',
    path: '/health/ready',
    access: 'public',
    openapi: {
      summary: 'Readiness probe: the read models caught up at start, and the server is not draining',
      responses: {
        200: { description: 'ready', schema: readySchema },
        503: { description: 'starting, or shutting down', schema: readySchema },
      },
    },
    answer(_request, ctx) {
      // Ready once the projector caught up with the head the store had at start (reads and a
      // command's read-your-writes are then current), until the server starts draining.
      const { projector } = ctx.app;
      const draining = ctx.shuttingDown?.() ?? false;
      const ready = projector.caughtUp && !draining;
      return {
        status: ready ? 200 : 503,
        json: {
          status: ready ? 'ready' : draining ? 'shutting-down' : 'starting',
          projections: { checkpoint: projector.checkpoint, caughtUpAtStart: projector.caughtUp },
        },
      };
    },
  },
];
