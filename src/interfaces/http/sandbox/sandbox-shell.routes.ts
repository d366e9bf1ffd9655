import express, { Router } from 'express';
import { z } from 'zod';
import type { Scheduler } from '../../../application/jobs/scheduler';
import {
  ClockMovedBackwardsError,
  type SandboxClock,
  FAULT_KINDS,
  SANDBOX_OPERATIONS,
  type FaultRegistry,
} from '../../../infrastructure/composition';
import { signJwt } from '../auth/jwt';
import { sendProblem } from '../problem/problem-details';
import type { HttpContext } from '../http-context';
import { userIdSchema } from '../validation/common.schemas';
import { parseBody } from '../validation/parse';

const MAX_ADVANCE_MS = 5 * 366 * 24 * 3_600_000;
const clockSchema = z.union([
  z.object({ advanceMs: z.number().int().min(0).max(MAX_ADVANCE_MS) }).strict(),
  z.object({ now: z.string().datetime({ offset: true }) }).strict(),
]);
const tokenSchema = z
  .object({
    userId: userIdSchema,
    role: z.enum(['user', 'admin', 'auditor']).default('user'),
    expiresInSeconds: z
      .number()
      .int()
      .min(1)
      .max(30 * 86_400)
      .default(3_600),
  })
  .strict();
const faultSchema = z
  .object({
    provider: z.enum(['toss', 'portone']),
    operation: z.enum(SANDBOX_OPERATIONS as [string, ...string[]]),
    kind: z.enum(FAULT_KINDS as [string, ...string[]]),
    times: z.number().int().min(1).max(1_000).default(1),
  })
  .strict();

/** The sandbox's own controls, mounted at /sandbox: the movable clock, test tokens and PG faults. */
export function sandboxShellRouter(
  ctx: HttpContext,
  clock: SandboxClock,
  faults: FaultRegistry,
  jwtSecret: string,
): Router {
  const router = Router();
  router.use(sandboxClockRouter(clock, () => ctx.app.scheduler));
  router.use(sandboxTokensRouter(() => jwtSecret));
  router.use(sandboxFaultsRouter(faults));
  return router;
}

/**
 * GET /clock reads the sandbox clock; POST /clock moves it forward, running every job that
 * falls due on the way (through `scheduler`) before it answers.
 */
export function sandboxClockRouter(clock: SandboxClock, scheduler: () => Scheduler): Router {
  const router = Router();
  router.use('/clock', express.json({ limit: '16kb' }));

  router.get('/clock', (_req, res) => {
    res.json({ now: new Date(clock.now()).toISOString() });
  });

  router.post('/clock', async (req, res) => {
    const body = parseBody(clockSchema, req);
    const target = 'advanceMs' in body ? clock.now() + body.advanceMs : Date.parse(body.now);
    if (target < clock.now()) {
      sendProblem(res, 'VALIDATION_FAILED', new ClockMovedBackwardsError(clock.now(), target).message);
      return;
    }
    // Wall time moves on while jobs run: an instant the clock has already passed is skipped.
    await scheduler().advanceTo(target, (instant) => clock.moveForwardTo(instant));
    res.json({ now: new Date(clock.now()).toISOString() });
  });
  return router;
}

/** POST /tokens mints a test JWT signed with the service's secret. */
export function sandboxTokensRouter(jwtSecret: () => string): Router {
  const router = Router();
  router.post('/tokens', express.json({ limit: '16kb' }), (req, res) => {
    const body = parseBody(tokenSchema, req);
    const token = signJwt({ sub: body.userId, role: body.role }, jwtSecret(), {
      expiresInSeconds: body.expiresInSeconds,
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    res.status(201).json({ token });
  });
  return router;
}

/** POST /faults arms a PG fault for the next calls; DELETE /faults clears them all. */
export function sandboxFaultsRouter(faults: FaultRegistry): Router {
  const router = Router();
  router.post('/faults', express.json({ limit: '16kb' }), (req, res) => {
    const body = parseBody(faultSchema, req);
    faults.add(body.provider as 'toss', body.operation as 'confirm', body.kind as 'timeout', body.times);
    res.status(201).json(body);
  });

  router.delete('/faults', (_req, res) => {
    faults.clear();
    res.status(204).end();
  });
  return router;
}
