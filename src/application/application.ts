import type { ApiKeys } from './api-key/api-keys';
import type { AuditEvents } from './audit/audit-events';
import type { AuditReports } from './audit/audit-reports';
import type { Sealer } from './audit/sealer';
import type { Projector } from './event-sourcing/projector';
import type { ProcessJob, ProcessStatus } from './jobs/process-job';
import type { PendingWork } from './jobs/pending-work';
import type { Scheduler } from './jobs/scheduler';
import type { PlaceOrderHandler } from './order/place-order.handler';
import type { ConfirmPaymentHandler } from './payment/confirm-payment.handler';
import type { Clock } from './ports/clock.port';
import type { EventStore } from './ports/event-store.port';
import type { ReadModelStore } from './ports/read-model-store.port';
import type { Queries } from './queries/queries';
import type { RequestRefundHandler } from './refund/request-refund.handler';
import type { WebhookInbox } from './webhook/webhook-inbox';

/**
 * What the composition root hands the request paths, the CLI, the tests and the bench: the
 * command handlers and queries, and what operators look at. Nothing is looked up later.
 */
export interface Application {
  placeOrder: PlaceOrderHandler;
  confirmPayment: ConfirmPaymentHandler;
  requestRefund: RequestRefundHandler;
  webhooks: WebhookInbox;
  queries: Queries;
  /** Read-your-writes: a command's response waits until the read models include its position. */
  projector: Projector;
  scheduler: Scheduler;
  /** Each process over its pending work (P1–P2). */
  processes: ReadonlyArray<ProcessJob<PendingWork>>;
  clock: Clock;
  eventStore: EventStore;
  readModels: ReadModelStore;
  /** Merchant backends' API keys: created, listed and revoked by admins, checked per request. */
  apiKeys: ApiKeys;
  /** A2: seals the history; its key's public half is served to auditors. */
  sealer: Sealer;
  /** A4: the audit reports the service makes in process (signed, read models compared live). */
  auditReports: AuditReports;
  /** A4: an order's or a user's full history, from the event store. */
  auditEvents: AuditEvents;
}

/** Every process's pending and parked work, for /health and operators. */
export function processStatuses(app: Application): Promise<ProcessStatus[]> {
  return Promise.all(app.processes.map((process) => process.status()));
}
