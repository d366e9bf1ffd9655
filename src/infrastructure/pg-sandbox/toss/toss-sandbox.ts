import express, { Router, type ErrorRequestHandler } from 'express';
import type { Database } from 'better-sqlite3';
import type { Clock } from '../../../application/ports/clock.port';
import type { DueJobSource } from '../../../application/ports/due-job-source.port';
import type { FaultRegistry } from '../fault-registry';
import { createTossApi } from './toss-api.router';
import { createTossBuyerRouter } from './toss-buyer.router';
import { createTossWindowRouter } from './toss-window.router';
import { TossCallCounter, type TossCallCounts } from './toss-call.counter';
import type { TossRoute } from './toss-endpoint';
import { tossError } from './toss-error-codes';
import { TossIdempotencyStore } from './toss-idempotency.store';
import { createTossInspectionRouter } from './toss-inspection.router';
import { TossPaymentOperations } from './toss-payment.operations';
import { TossPaymentRepository } from './toss-payment.repository';
import { createTossTables } from './toss-sandbox.tables';
import { createTossTransactionsRouter } from './toss-transactions';
import { TossWebhookOutbox, type TossWebhookDelivery } from './toss-webhook.outbox';

export interface TossSandboxDeps {
  /** The shared sandbox DB; the sandbox keeps its state in `toss_*` tables. */
  db: Database;
  /** The sandbox's only notion of now (the service's movable clock). */
  clock: Clock;
  faults: FaultRegistry;
  secretKey: string;
  /** Where webhooks go; null when none is registered (an attempt then counts as failed). */
  webhookUrl: () => string | null;
  /** How long a webhook delivery waits for the 200 (Toss: 10 s). */
  webhookTimeoutMs?: number;
}

/** Session expiry (10-minute confirm window) and webhook delivery, as one due-job source. */
export interface TossSandboxJobs extends DueJobSource {
  list(): TossWebhookDelivery[];
}

export interface TossSandbox {
  /** Mount at `/sandbox/toss`. It parses its own JSON bodies. */
  router: Router;
  /** The confirm route, for a fast path that parses the call itself. */
  confirm: TossRoute;
  webhooks: TossSandboxJobs;
  callCounts(orderId?: string): TossCallCounts;
}

export function createTossSandbox(deps: TossSandboxDeps): TossSandbox {
  const { db, clock } = deps;
  createTossTables(db);
  const outbox = new TossWebhookOutbox({
    db,
    webhookUrl: deps.webhookUrl,
    deliveryTimeoutMs: deps.webhookTimeoutMs,
  });
  const repo = new TossPaymentRepository(db);
  const ops = new TossPaymentOperations(repo, outbox, clock);
  const calls = new TossCallCounter(db, clock);
  const idempotency = new TossIdempotencyStore(db, clock);

  const webhooks: TossSandboxJobs = {
    name: 'toss-sandbox',
    async nextDueAt() {
      const due = [ops.nextExpiryAt(), await outbox.nextDueAt()].filter((t): t is number => t !== null);
      return due.length === 0 ? null : Math.min(...due);
    },
    async runDue(now) {
      db.transaction(() => ops.expireLapsed(now))();
      await outbox.runDue(now);
    },
    list: () => outbox.list(),
  };

  const api = createTossApi({ db, secretKey: deps.secretKey, calls, idempotency, faults: deps.faults, ops });
  const router = Router();
  router.use(express.json());
  router.use(api.router);
  router.use(createTossTransactionsRouter(repo, deps.secretKey));
  router.use(createTossBuyerRouter(db, ops));
  router.use(createTossWindowRouter());
  router.use(createTossInspectionRouter(calls, outbox));
  router.use(tossErrorHandler);
  return { router, confirm: api.confirm, webhooks, callCounts: (orderId) => calls.counts(orderId) };
}

/** Unparseable bodies are Toss's INVALID_REQUEST; anything else unexpected is its internal error. */
const tossErrorHandler: ErrorRequestHandler = (err, _req, res, next) => {
  if (res.headersSent) return next(err);
  const status =
    typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : 500;
  const reply =
    status >= 400 && status < 500
      ? tossError('INVALID_REQUEST')
      : tossError('FAILED_INTERNAL_SYSTEM_PROCESSING');
  res.status(reply.status).json(reply.body);
};
