import { Container } from 'inversify';
import { AggregateRepository } from '../../application/event-sourcing/aggregate-repository';
import { ApprovalRepairJob } from '../../application/payment/approval-repair.job';
import { ConfirmationReconcilerJob } from '../../application/payment/confirmation-reconciler.job';
import { OrderExpiryJob } from '../../application/order/order-expiry.job';
import { Scheduler } from '../../application/jobs/scheduler';
import { SubscriptionExpiryJob } from '../../application/subscription/subscription-expiry.job';
import { PlaceOrderHandler } from '../../application/order/place-order.handler';
import { PlanCatalog } from '../../application/order/plan-catalog';
import { Queries } from '../../application/queries/queries';
import { ApprovalFollowUp } from '../../application/payment/approval-follow-up.process';
import { ApprovalVoider } from '../../application/payment/approval-voider';
import { ConfirmPaymentHandler } from '../../application/payment/confirm-payment.handler';
import { PaymentGateways } from '../../application/payment/payment-gateways';
import { PgOutcomeRecorder } from '../../application/payment/pg-outcome.recorder';
import { SingleFlight } from '../../application/event-sourcing/single-flight';
import type { DueJobSource } from '../../application/ports/due-job-source.port';
import { eventFundProjection } from '../../application/event-fund/event-fund.projection';
import { ordersProjection } from '../../application/order/orders.projection';
import { pgNoticesProjection } from '../../application/webhook/pg-notices.projection';
import { Projector } from '../../application/event-sourcing/projector';
import { EntitlementRevocation } from '../../application/refund/entitlement-revocation.process';
import { RefundExecutor } from '../../application/refund/refund-executor';
import { RequestRefundHandler } from '../../application/refund/request-refund.handler';
import { WebhookInbox } from '../../application/webhook/webhook-inbox';
import { RefundReconcilerJob } from '../../application/refund/refund-reconciler.job';
import { WebhookInboxJob } from '../../application/webhook/webhook-inbox.job';
import { PaymentSync } from '../../application/payment/payment-sync';
import { subscriptionsProjection } from '../../application/subscription/subscriptions.projection';
import { TOKENS } from '../../application/tokens';
import type { Settings } from '../config/settings';
import { CryptoIdGenerator } from '../ids/crypto-id-generator';
import type { Adapters } from './adapters';

/** Reports background failures without taking the service down. */
export type ErrorReporter = (source: string, error: unknown) => void;

/**
 * The one composition root: adapters chosen by the settings, the application's handlers,
 * projections and jobs. `extraJobs` are the sandbox PGs' webhook deliveries, when mounted.
 */
export function buildContainer(
  settings: Settings,
  adapters: Adapters,
  report: ErrorReporter,
  extraJobs: DueJobSource[] = [],
): Container {
  const c = new Container({ defaultScope: 'Singleton' });
  c.bind(TOKENS.Settings).toConstantValue(settings);
  c.bind(TOKENS.Clock).toConstantValue(adapters.clock);
  c.bind(TOKENS.SandboxClock).toConstantValue(adapters.sandboxClock);
  c.bind(TOKENS.EventStore).toConstantValue(adapters.eventStore);
  c.bind(TOKENS.ReadModelStore).toConstantValue(adapters.readModels);
  c.bind(TOKENS.IdempotencyStore).toConstantValue(adapters.idempotency);
  c.bind(TOKENS.PaymentGateways).toConstantValue(new PaymentGateways(adapters.gateways));
  c.bind(TOKENS.PlanCatalog).toConstantValue(new PlanCatalog(settings.plans));
  c.bind(TOKENS.OrderTtlMs).toConstantValue(settings.orderTtlMinutes * 60_000);
  c.bind(TOKENS.RefundWindowDays).toConstantValue(settings.refundWindowDays);
  c.bind(TOKENS.ErrorReporter).toConstantValue(report);
  c.bind(TOKENS.SingleFlight).toConstantValue(new SingleFlight());
  c.bind(TOKENS.IdGenerator).toConstantValue(new CryptoIdGenerator());

  const projector = new Projector(adapters.eventStore, adapters.readModels, [
    ordersProjection,
    eventFundProjection,
    subscriptionsProjection,
    pgNoticesProjection,
  ]);
  c.bind(TOKENS.Projector).toConstantValue(projector);
  c.bind(TOKENS.CatchUp).toConstantValue(() => projector.catchUp());

  c.bind(TOKENS.AggregateRepository).to(AggregateRepository);
  c.bind(TOKENS.ApprovalFollowUp).to(ApprovalFollowUp);
  c.bind(TOKENS.ApprovalVoider).to(ApprovalVoider);
  c.bind(TOKENS.PgOutcomeRecorder).to(PgOutcomeRecorder);
  c.bind(TOKENS.PlaceOrderHandler).to(PlaceOrderHandler);
  c.bind(TOKENS.ConfirmPaymentHandler).to(ConfirmPaymentHandler);
  c.bind(TOKENS.EntitlementRevocation).to(EntitlementRevocation);
  c.bind(TOKENS.RefundExecutor).to(RefundExecutor);
  c.bind(TOKENS.RequestRefundHandler).to(RequestRefundHandler);
  c.bind(TOKENS.PaymentSync).to(PaymentSync);
  c.bind(TOKENS.WebhookInbox).to(WebhookInbox);
  c.bind(TOKENS.OrderExpiryJob).to(OrderExpiryJob);
  c.bind(TOKENS.RefundReconcilerJob).to(RefundReconcilerJob);
  c.bind(TOKENS.WebhookInboxJob).to(WebhookInboxJob);
  c.bind(TOKENS.ConfirmationReconcilerJob).to(ConfirmationReconcilerJob);
  c.bind(TOKENS.ApprovalRepairJob).to(ApprovalRepairJob);
  c.bind(TOKENS.SubscriptionExpiryJob).to(SubscriptionExpiryJob);
  c.bind(TOKENS.SandboxJobs).toConstantValue(extraJobs);
  c.bind(TOKENS.Queries).to(Queries);

  c.bind(TOKENS.Scheduler).toDynamicValue((ctx) => {
    const jobs: DueJobSource[] = [
      ctx.get<DueJobSource>(TOKENS.OrderExpiryJob),
      ctx.get<DueJobSource>(TOKENS.ConfirmationReconcilerJob),
      ctx.get<DueJobSource>(TOKENS.ApprovalRepairJob),
      ctx.get<DueJobSource>(TOKENS.SubscriptionExpiryJob),
      ctx.get<DueJobSource>(TOKENS.RefundReconcilerJob),
      ctx.get<DueJobSource>(TOKENS.WebhookInboxJob),
      ...ctx.get<DueJobSource[]>(TOKENS.SandboxJobs),
    ];
    return new Scheduler(jobs, adapters.clock, () => projector.catchUp(), report);
  });

  // Wake the projector on every append made in this process.
  c.get<AggregateRepository>(TOKENS.AggregateRepository).onAppended((position) => projector.wake(position));
  return c;
}
