import type {
  CancelRequest,
  ConfirmRequest,
  PaymentGateway,
  PgCommandResult,
  PgPayment,
  PgProvider,
  PgResult,
} from '../../application/ports/payment-gateway.port';
import type { ServiceMetrics } from '../metrics/service-metrics';

/**
 * A PaymentGateway that counts and times every call by provider, operation and outcome (the
 * adapter's own classification: ok, already_done, refused, unknown). A call that throws, which
 * an adapter should never let happen, counts as unknown.
 */
export class MeteredPaymentGateway implements PaymentGateway {
  constructor(
    private readonly inner: PaymentGateway,
    private readonly metrics: ServiceMetrics,
  ) {}

  get provider(): PgProvider {
    return this.inner.provider;
  }

  confirm(request: ConfirmRequest): Promise<PgCommandResult<PgPayment>> {
    return this.meter('confirm', () => this.inner.confirm(request));
  }

  findByOrderId(orderId: string): Promise<PgResult<PgPayment | null>> {
    return this.meter('find_by_order_id', () => this.inner.findByOrderId(orderId));
  }

  getPayment(pgPaymentId: string): Promise<PgResult<PgPayment | null>> {
    return this.meter('get_payment', () => this.inner.getPayment(pgPaymentId));
  }

  cancel(request: CancelRequest): Promise<PgCommandResult<PgPayment>> {
    return this.meter('cancel', () => this.inner.cancel(request));
  }

  /** The adapter's own resources (keep-alive sockets), closed with the composition. */
  close(): void {
    (this.inner as { close?: () => void }).close?.();
  }

  private async meter<R extends { kind: string }>(operation: string, call: () => Promise<R>): Promise<R> {
    const started = performance.now();
    let outcome = 'unknown';
    try {
      const result = await call();
      outcome = result.kind;
      return result;
    } finally {
      const labels = { provider: this.inner.provider, operation, outcome };
      this.metrics.pgCalls.inc(labels);
      this.metrics.pgDuration.observe(labels, (performance.now() - started) / 1000);
    }
  }
}
