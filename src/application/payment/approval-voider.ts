import { inject, injectable } from 'inversify';
import { TOKENS } from '../tokens';
import { orderDecider, orderStreamId } from '../../domain/order/order.decider';
import type { RefusedApproval } from '../../domain/order/order.state';
import type { AggregateRepository } from '../event-sourcing/aggregate-repository';
import { systemContext } from '../event-sourcing/command-context';
import type { PaymentGateways } from './payment-gateways';

/** PG codes that mean the payment is already cancelled: the void is done. */
const ALREADY_CANCELLED = new Set(['ALREADY_CANCELED_PAYMENT', 'ALREADY_REFUND_PAYMENT']);

/**
 * C7: an approval we refused is cancelled at the PG. The refusal is recorded first; the cancel
 * uses a key derived from order and PG payment, so retries by the job never cancel twice.
 */
@injectable()
export class ApprovalVoider {
  constructor(
    @inject(TOKENS.AggregateRepository) private readonly repository: AggregateRepository,
    @inject(TOKENS.PaymentGateways) private readonly gateways: PaymentGateways,
  ) {}

  /** True when the PG confirmed the cancel; false when it must be retried later. */
  async void(orderId: string, refused: RefusedApproval, causationId: string): Promise<boolean> {
    if (refused.cancelled) return true;
    const result = await this.gateways.get(refused.provider).cancel({
      pgPaymentId: refused.pgPaymentId,
      reason: `Ledgerline cannot honour this approval: ${refused.reason}`,
      idempotencyKey: `ll-void-${orderId}-${refused.pgPaymentId}`,
      balanceBefore: refused.pgAmount,
    });
    const done =
      result.kind === 'ok' ||
      result.kind === 'already_done' ||
      (result.kind === 'refused' && ALREADY_CANCELLED.has(result.code));
    if (!done) return false;
    await this.repository.handle(
      orderStreamId(orderId),
      orderDecider,
      { type: 'RecordApprovalCancelled', pgPaymentId: refused.pgPaymentId },
      systemContext('approval-voider', `void:${orderId}:${refused.pgPaymentId}`, causationId),
    );
    return true;
  }
}
