import { Container } from 'inversify';
import { ApiKeys } from '../../application/api-key/api-keys';
import { AggregateRepository } from '../../application/event-sourcing/aggregate-repository';
import { Projector } from '../../application/event-sourcing/projector';
import { SingleFlight } from '../../application/event-sourcing/single-flight';
import { ProcessJob, type ProcessStep } from '../../application/jobs/process-job';
import type { PendingWork } from '../../application/jobs/pending-work';
import { Scheduler } from '../../application/jobs/scheduler';
import { OrderExpiry } from '../../application/order/order-expiry.process';
import { PlaceOrderHandler } from '../../application/order/place-order.handler';
import { PlanCatalog } from '../../application/order/plan-catalog';
import { ApprovalFollowUp } from '../../application/payment/approval-follow-up.process';
import { ApprovalVoider } from '../../application/payment/approval-voider';
import { ClaimFollowUp } from '../../application/payment/claim-follow-up.process';
import { ConfirmPaymentHandler } from '../../application/payment/confirm-payment.handler';
import { ConfirmationReconciler } from '../../application/payment/confirmation-reconciler.process';
import { PaymentGateways } from '../../application/payment/payment-gateways';
import { PaymentRecheck } from '../../application/payment/payment-recheck.process';
import { PaymentSync } from '../../application/payment/payment-sync';
import { PgOutcomeRecorder } from '../../application/payment/pg-outcome.recorder';
import type { DueJobSource } from '../../application/ports/due-job-source.port';
import { Queries } from '../../application/queries/queries';
import { EntitlementRemoval } from '../../application/refund/entitlement-removal.process';
import { RefundExecution } from '../../application/refund/refund-execution.process';
import { RefundExecutor } from '../../application/refund/refund-executor';
import { RequestRefundHandler } from '../../application/refund/request-refund.handler';
import { SubscriptionExpiry } from '../../application/subscription/subscription-expiry.process';
import { TOKENS } from '../../application/tokens';
import { WebhookInboxProcess } from '../../application/webhook/webhook-inbox.process';
import { WebhookInbox } from '../../application/webhook/webhook-inbox';
import type { Application } from '../../application/application';
import type { Settings } from '../config/settings';
import { createSandboxPgs, type SandboxPgs } from './sandbox-pgs';
import { CryptoIdGenerator } from '../ids/crypto-id-generator';
import { createAdapters, type Adapters } from './adapters';
import { metered } from './metered';
import type { ServiceMetrics } from '../metrics/service-metrics';
import { projectionGroups } from './projection-groups';
import { createSealer, sealSigner } from './sealing';
import { auditEvents, inProcessAuditReports } from './audit-reports';

/** Reports background failures without taking the service down. */
export type ErrorReporter = (source: string, error: unknown) => void;

/** The processes, in the order the scheduler runs them at one instant. */
const PROCESS_STEPS = [
  TOKENS.OrderExpiry,
  TOKENS.ConfirmationReconciler,
  TOKENS.ClaimFollowUp,
  TOKENS.ApprovalFollowUp,
  TOKENS.ApprovalVoider,
  TOKENS.RefundExecution,
  TOKENS.EntitlementRemoval,
  TOKENS.SubscriptionExpiry,
  TOKENS.WebhookInboxProcess,
] as const;

export interface ComposeOptions {
  /** The service's own URL: where the built-in PG sandboxes send webhooks (sandbox mode). */
  serviceUrl?: string;
  /** Adapters to use instead of the settings' (tests: a crashing event store, a scripted PG). */
  adapters?: Partial<Adapters>;
  report?: ErrorReporter;
  /** Events the projector folds per commit (default 500); tests use small batches. */
  projectorBatchSize?: number;
}

export interface Composition {
  settings: Settings;
  adapters: Adapters;
  app: Application;
  /** The built-in PG sandboxes, in sandbox mode with a service URL. */
  sandbox: SandboxPgs | null;
  /** Prometheus metrics: the PG calls and appends counted here, the HTTP layer's, the app's state. */
  metrics: ServiceMetrics;
  /** Catches the read models up, then starts the background jobs. */
  start(options?: { schedulerIntervalMs?: number }): Promise<void>;
  /** Stops the jobs and the projector, then closes every adapter. */
  close(): Promise<void>;
}

/**
 * The one composition root: adapters chosen by the settings (or given), the application's
 * handlers, projections, processes and jobs, built once. The service, the tests and the bench
 * all start here; routers get their handlers from `app`.
 */
export async function compose(settings: Settings, options: ComposeOptions = {}): Promise<Composition> {
  const report =
    options.report ?? ((source, error) => console.error(`[${source}] background failure`, error));
  // The PGs and the event store as the application sees them: counted and timed (metered.ts).
  const { adapters, metrics } = metered(await createAdapters(settings, options.adapters));
  const sandbox =
    adapters.sandboxClock && options.serviceUrl
      ? createSandboxPgs(settings, adapters.sandboxClock, options.serviceUrl)
      : null;
  const signer = sealSigner(settings);
  const sealer = createSealer(settings, adapters, report, signer);
  const c = buildContainer(
    settings,
    adapters,
    report,
    [...(sandbox?.jobs ?? []), sealer],
    options.projectorBatchSize,
  );
  c.get<AggregateRepository>(TOKENS.AggregateRepository).onAppended(() => sealer.appended());
  const app: Application = {
    placeOrder: c.get(TOKENS.PlaceOrderHandler),
    confirmPayment: c.get(TOKENS.ConfirmPaymentHandler),
    requestRefund: c.get(TOKENS.RequestRefundHandler),
    webhooks: c.get(TOKENS.WebhookInbox),
    queries: c.get(TOKENS.Queries),
    projector: c.get(TOKENS.Projector),
    scheduler: c.get(TOKENS.Scheduler),
    processes: c.get(TOKENS.ProcessJobs),
    clock: adapters.clock,
    eventStore: adapters.eventStore,
    readModels: adapters.readModels,
    apiKeys: new ApiKeys(adapters.apiKeys, adapters.clock),
    sealer,
    auditReports: inProcessAuditReports(adapters, signer),
    auditEvents: auditEvents(adapters),
  };
  metrics.observe(app);
  return {
    settings,
    adapters,
    app,
    sandbox,
    metrics,
    async start(startOptions = {}) {
      await app.projector.start();
      app.scheduler.start(startOptions.schedulerIntervalMs ?? 1_000);
    },
    async close() {
      await app.scheduler.stop();
      await sealer.close(); // the shutdown seal (A2)
      // A running projector takes in the seal too, so the next start has nothing to fold again
      // (one that never caught up, a failed start, leaves its work to the next start).
      if (app.projector.caughtUp) await app.projector.catchUp().catch(() => undefined);
      await app.projector.stop();
      for (const gateway of adapters.gateways) (gateway as { close?: () => void }).close?.();
      sandbox?.close();
      await adapters.eventStore.close();
      await adapters.readModels.close();
      (adapters.idempotency as { close?: () => void }).close?.();
      await adapters.apiKeys.close();
    },
  };
}

/** The object graph behind `compose`: inversify, with every token bound once. */
function buildContainer(
  settings: Settings,
  adapters: Adapters,
  report: ErrorReporter,
  extraJobs: DueJobSource[] = [],
  projectorBatchSize = 500,
): Container {
  const c = new Container({ defaultScope: 'Singleton' });
  c.bind(TOKENS.Clock).toConstantValue(adapters.clock);
  c.bind(TOKENS.EventStore).toConstantValue(adapters.eventStore);
  c.bind(TOKENS.ReadModelStore).toConstantValue(adapters.readModels);
  c.bind(TOKENS.PaymentGateways).toConstantValue(new PaymentGateways(adapters.gateways));
  c.bind(TOKENS.PlanCatalog).toConstantValue(new PlanCatalog(settings.plans));
  c.bind(TOKENS.OrderTtlMs).toConstantValue(settings.orderTtlMinutes * 60_000);
  c.bind(TOKENS.RefundWindowDays).toConstantValue(settings.refundWindowDays);
  c.bind(TOKENS.SingleFlight).toConstantValue(new SingleFlight());
  c.bind(TOKENS.IdGenerator).toConstantValue(new CryptoIdGenerator());

  c.bind(TOKENS.AggregateRepository).to(AggregateRepository);
  c.bind(TOKENS.ApprovalFollowUp).to(ApprovalFollowUp);
  c.bind(TOKENS.ApprovalVoider).to(ApprovalVoider);
  c.bind(TOKENS.PgOutcomeRecorder).to(PgOutcomeRecorder);
  c.bind(TOKENS.PlaceOrderHandler).to(PlaceOrderHandler);
  c.bind(TOKENS.ConfirmPaymentHandler).to(ConfirmPaymentHandler);
  c.bind(TOKENS.EntitlementRemoval).to(EntitlementRemoval);
  c.bind(TOKENS.RefundExecutor).to(RefundExecutor);
  c.bind(TOKENS.RequestRefundHandler).to(RequestRefundHandler);
  c.bind(TOKENS.PaymentSync).to(PaymentSync);
  c.bind(TOKENS.WebhookInbox).to(WebhookInbox);
  c.bind(TOKENS.OrderExpiry).to(OrderExpiry);
  c.bind(TOKENS.ConfirmationReconciler).to(ConfirmationReconciler);
  c.bind(TOKENS.SubscriptionExpiry).to(SubscriptionExpiry);
  c.bind(TOKENS.RefundExecution).to(RefundExecution);
  c.bind(TOKENS.WebhookInboxProcess).to(WebhookInboxProcess);
  c.bind(TOKENS.PaymentRecheck).to(PaymentRecheck);
  c.bind(TOKENS.ClaimFollowUp).to(ClaimFollowUp);
  c.bind(TOKENS.Queries).to(Queries);

  const projector = new Projector(
    adapters.eventStore,
    adapters.readModels,
    projectionGroups(c.get<PaymentRecheck>(TOKENS.PaymentRecheck).feed),
    { batchSize: projectorBatchSize, pollMs: 250 },
  );
  c.bind(TOKENS.Projector).toConstantValue(projector);

  const repository = c.get<AggregateRepository>(TOKENS.AggregateRepository);
  const processJobs = PROCESS_STEPS.map(
    (token) =>
      new ProcessJob(c.get<ProcessStep<PendingWork>>(token), adapters.readModels, repository, report),
  );
  c.bind(TOKENS.ProcessJobs).toConstantValue(processJobs);
  c.bind(TOKENS.Scheduler).toConstantValue(
    new Scheduler(
      [...processJobs, c.get<DueJobSource>(TOKENS.PaymentRecheck), ...extraJobs],
      adapters.clock,
      () => projector.catchUp(),
      report,
    ),
  );

  // Wake the projector on every append made in this process.
  repository.onAppended((position) => projector.wake(position));
  return c;
}
