import express, { Router } from 'express';
import type Database from 'better-sqlite3';
import type { Clock } from '../../../application/ports/clock.port';
import type { DueJobSource } from '../../../application/ports/due-job-source.port';
import type { FaultRegistry } from '../fault-registry';
import { noticeUrlPolicy } from '../notice-url-policy';
import { PortoneCallCounter, type PortoneCallCounts } from './portone-call-counter';
import { PortoneCancelService } from './portone-cancel.service';
import { portoneErrorHandler, sendFail } from './portone-envelope';
import { PortonePaymentStore } from './portone-payment.store';
import { portonePaymentListRoutes } from './portone-payment-list.routes';
import { portonePaymentRoutes } from './portone-payment.routes';
import type { PortoneSandboxContext } from './portone-sandbox.context';
import { ensurePortoneSandboxSchema } from './portone-sandbox.schema';
import { portoneSandboxToolsRoutes } from './portone-sandbox-tools.routes';
import { PortoneSessionService } from './portone-session.service';
import { portoneTokenRoutes } from './portone-token.routes';
import { portoneWindowRoutes } from './portone-window.router';
import { PortoneTokenStore } from './portone-token.store';
import { PortoneWebhookOutbox, type PortoneWebhookDelivery } from './portone-webhook-outbox';

export interface PortoneSandboxDeps {
  /** The shared sandbox database; this sandbox's tables are prefixed `portone_`. */
  db: Database.Database;
  /** The service's (movable) clock: the sandbox's "now" for tokens, payments and webhooks. */
  clock: Clock;
  faults: FaultRegistry;
  apiKey: string;
  apiSecret: string;
  /** Where webhooks go, read at delivery time; null sends none (deliveries are marked skipped). */
  webhookUrl: () => string | null;
  /** Whether a payment's notice_url may be used (loopback or an allow-list); default: loopback only. */
  noticeUrlAllowed?: (url: string) => boolean;
}

/** Webhook deliveries, for the scheduler and `POST /sandbox/clock`. */
export interface PortoneSandboxJobs extends DueJobSource {
  list(): PortoneWebhookDelivery[];
}

export interface PortoneSandbox {
  /** Mount at `/sandbox/portone`. It parses its own JSON and form bodies. */
  router: Router;
  webhooks: PortoneSandboxJobs;
  /** The same counters as `GET /calls`, for in-process tests. */
  callCounts(merchantUid?: string): PortoneCallCounts;
}

/** A PortOne (iamport REST v1)-compatible PG whose state lives in SQLite and whose time is the service's. */
export function createPortoneSandbox(deps: PortoneSandboxDeps): PortoneSandbox {
  ensurePortoneSandboxSchema(deps.db);
  const payments = new PortonePaymentStore(deps.db);
  const noticeUrlAllowed = deps.noticeUrlAllowed ?? noticeUrlPolicy([]);
  const outbox = new PortoneWebhookOutbox(deps.db, deps.webhookUrl, noticeUrlAllowed);
  const ctx: PortoneSandboxContext = {
    clock: deps.clock,
    faults: deps.faults,
    apiKey: deps.apiKey,
    apiSecret: deps.apiSecret,
    tokens: new PortoneTokenStore(deps.db),
    payments,
    cancels: new PortoneCancelService(deps.db, payments),
    sessions: new PortoneSessionService(payments),
    calls: new PortoneCallCounter(deps.db),
    outbox,
    noticeUrlAllowed,
  };

  const router = Router();
  router.use(express.json({ limit: '100kb' }), express.urlencoded({ extended: false, limit: '100kb' }));
  router.use(portoneTokenRoutes(ctx));
  router.use(portonePaymentListRoutes(ctx));
  router.use(portonePaymentRoutes(ctx));
  router.use(portoneSandboxToolsRoutes(ctx));
  router.use(portoneWindowRoutes());
  router.use((_req, res) => sendFail(res, 404, -1, '존재하지 않는 API 입니다.'));
  router.use(portoneErrorHandler);
  return { router, webhooks: outbox, callCounts: (merchantUid) => ctx.calls.counts(merchantUid) };
}
