import { inject, injectable } from 'inversify';
import { TOKENS } from '../tokens';
import { orderDecider, orderStreamId } from '../../domain/order/order.decider';
import type { RefusedApproval } from '../../domain/order/order.state';
import type { AggregateRepository } from '../event-sourcing/aggregate-repository';
import { systemContext } from '../event-sourcing/command-context';
import type { SingleFlight } from '../event-sourcing/single-flight';
import { done, failed, type ProcessStep, type StepOutcome } from '../jobs/process-job';
import { APPROVAL_VOID, type VoidItem } from './approval-void.pending';
import type { PaymentGateways } from './payment-gateways';

/**
 * C7: an approval we refused is cancelled at the PG. The refusal is recorded first; the cancel
 * uses a key derived from order and PG payment, so a retry never cancels twice, and a PG that
 * answers "already cancelled" (a repeat whose first answer was lost) settles it too.
 */
@injectable()
export class ApprovalVoider implements ProcessStep<VoidItem> {
  readonly process = APPROVAL_VOID;

  constructor(
    @inject(TOKENS.AggregateRepository) private readonly repository: AggregateRepository,
    @inject(TOKENS.PaymentGateways) private readonly gateways: PaymentGateways,
    @inject(TOKENS.SingleFlight) private readonly singleFlight: SingleFlight,
  ) {}

  async run(item: VoidItem): Promise<StepOutcome> {
    const { state } = await this.repository.load(orderStreamId(item.orderId), orderDecider);
    if (state.status === 'NONE') return done;
    const refused = state.refusedApprovals.find((r) => r.pgPaymentId === item.pgPaymentId);
    if (!refused) return done;
    return this.void(item.orderId, refused, `void:${item.orderId}`);
  }

  void(orderId: string, refused: RefusedApproval, causationId: string): Promise<StepOutcome> {
    if (refused.cancelled) return Promise.resolve(done);
    return this.singleFlight.run(`void:${orderId}:${refused.pgPaymentId}`, async () => {
      const result = await this.gateways.get(refused.provider).cancel({
        pgPaymentId: refused.pgPaymentId,
        reason: `Ledgerline cannot honour this approval: ${refused.reason}`,
        idempotencyKey: `ll-void-${orderId}-${refused.pgPaymentId}`,
        balanceBefore: refused.pgAmount,
      });
      if (result.kind === 'unknown')
        return failed(`the PG's answer to the cancel is unknown: ${result.reason}`);
      if (result.kind === 'refused')
        return failed(`the PG refused the cancel: ${result.code} ${result.message}`);
      await this.repository.handle(
        orderStreamId(orderId),
        orderDecider,
        { type: 'RecordApprovalCancelled', pgPaymentId: refused.pgPaymentId },
        systemContext(APPROVAL_VOID, `void:${orderId}:${refused.pgPaymentId}`, causationId),
      );
      return done;
    });
  }
}
