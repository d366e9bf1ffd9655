import { inject, injectable } from 'inversify';
import { orderDecider, orderStreamId } from '../../domain/order/order.decider';
import { pgPaymentClaimDecider, pgPaymentClaimStreamId } from '../../domain/payment/pg-payment-claim.decider';
import type { AggregateRepository } from '../event-sourcing/aggregate-repository';
import { systemContext } from '../event-sourcing/command-context';
import type { SingleFlight } from '../event-sourcing/single-flight';
import { done, failed, waitUntil, type ProcessStep, type StepOutcome } from '../jobs/process-job';
import { TOKENS } from '../tokens';
import { CLAIM_FOLLOW_UP, type ClaimItem } from './claim-follow-up.pending';
import { AWAITING_GRACE_MS } from './confirmation-reconciler.process';
import type { PaymentGateways } from './payment-gateways';
import type { PaymentSync } from './payment-sync';

const APPROVED = new Set(['APPROVED', 'PARTIALLY_CANCELED', 'CANCELED']);

/**
 * Finishes a claim the order never recorded anything about (a crash right after the claim):
 * asks the PG, and an approval it holds for the order is honoured or cancelled as any late
 * approval is (C7). A payment the PG never approved is settled on the claim, so nothing waits.
 */
@injectable()
export class ClaimFollowUp implements ProcessStep<ClaimItem> {
  readonly process = CLAIM_FOLLOW_UP;

  constructor(
    @inject(TOKENS.AggregateRepository) private readonly repository: AggregateRepository,
    @inject(TOKENS.PaymentGateways) private readonly gateways: PaymentGateways,
    @inject(TOKENS.PaymentSync) private readonly sync: PaymentSync,
    @inject(TOKENS.SingleFlight) private readonly singleFlight: SingleFlight,
  ) {}

  run(item: ClaimItem, now: number): Promise<StepOutcome> {
    return this.singleFlight.run(`order:${item.orderId}`, () => this.followUp(item, now));
  }

  private async followUp(item: ClaimItem, now: number): Promise<StepOutcome> {
    const { state } = await this.repository.load(orderStreamId(item.orderId), orderDecider);
    if (state.status === 'NONE') return this.settle(item, 'ORDER_NOT_FOUND');
    const mentioned =
      state.attempts.some((a) => a.pgPaymentId === item.pgPaymentId) ||
      state.payment?.pgPaymentId === item.pgPaymentId ||
      state.refusedApprovals.some((r) => r.pgPaymentId === item.pgPaymentId);
    if (mentioned) return done;
    const found = await this.gateways.get(item.provider).getPayment(item.pgPaymentId);
    if (found.kind !== 'ok') {
      return failed(found.kind === 'unknown' ? found.reason : `${found.code} ${found.message}`);
    }
    const pg = found.value;
    if (!pg || pg.orderId !== item.orderId) return this.settle(item, 'NOT_THIS_ORDERS_PAYMENT');
    if (APPROVED.has(pg.status)) {
      const context = systemContext(this.process, `claim:${item.id}`, `claim:${item.id}`);
      await this.sync.syncOrder(item.orderId, pg, context);
      return done;
    }
    // Not approved: the buyer may still confirm it while the order is payable.
    if (pg.status === 'AWAITING' && now < state.order.expiresAt + AWAITING_GRACE_MS) {
      return waitUntil(state.order.expiresAt + AWAITING_GRACE_MS);
    }
    return this.settle(item, `PG_${pg.pgStatus}`);
  }

  private async settle(item: ClaimItem, outcome: string): Promise<StepOutcome> {
    await this.repository.handle(
      pgPaymentClaimStreamId(item.provider, item.pgPaymentId),
      pgPaymentClaimDecider,
      { type: 'SettleClaim', orderId: item.orderId, outcome },
      systemContext(this.process, `settle-claim:${item.id}`),
    );
    return done;
  }
}
