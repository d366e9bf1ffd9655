import { inject, injectable } from 'inversify';
import { systemContext } from '../event-sourcing/command-context';
import type { SingleFlight } from '../event-sourcing/single-flight';
import { done, failed, type ProcessStep, type StepOutcome } from '../jobs/process-job';
import { TOKENS } from '../tokens';
import type { EntitlementRemoval } from './entitlement-removal.process';
import { REFUND_EXECUTION, type RefundItem } from './refund-execution.pending';
import type { RefundExecutor } from './refund-executor';

/**
 * F3/C6 for refunds: finishes a refund whose PG cancel was never made (a crash after it was
 * recorded) or whose answer was lost, on the process backoff, until the PG's answer is known.
 */
@injectable()
export class RefundExecution implements ProcessStep<RefundItem> {
  readonly process = REFUND_EXECUTION;

  constructor(
    @inject(TOKENS.RefundExecutor) private readonly executor: RefundExecutor,
    @inject(TOKENS.EntitlementRemoval) private readonly removal: EntitlementRemoval,
    @inject(TOKENS.SingleFlight) private readonly singleFlight: SingleFlight,
  ) {}

  async run(item: RefundItem, now: number): Promise<StepOutcome> {
    const context = systemContext(this.process, `refund:${item.refundId}:${now}`);
    const outcome = await this.singleFlight.run(`payment:${item.orderId}`, () =>
      this.executor.execute(item.orderId, item.refundId, true, context),
    );
    if (outcome.status === 'PENDING') return failed("the PG's answer to the cancel is still unknown");
    // F4 at once when it is due; the entitlement-removal process owns it if this fails.
    await this.removal.tryNow(item.orderId, context.causationId);
    return done;
  }
}
