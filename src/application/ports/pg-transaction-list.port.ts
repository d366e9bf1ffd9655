/**
 * A PG's own list of what it did in a time window (Toss `GET /v1/transactions`, PortOne
 * `GET /payments/status/all`), for the audit's reconciliation with the history. Adapters page
 * through the PG's answers themselves and classify the PG's failures into one error.
 */
import type { Instant } from '../../domain/shared/time';
import type { Provider } from '../../domain/shared/provider';

export interface PgTransaction {
  provider: Provider;
  kind: 'approval' | 'cancel';
  /**
   * The PG's id of this transaction. A cancel's is the id the payment gateway reports as
   * `PgCancel.transactionId` (so the history's `pgCancelId`): Toss transactionKey, PortOne
   * cancellation_id (or pg_tid:time:index). An approval's: Toss transactionKey, PortOne imp_uid.
   */
  transactionId: string;
  /** Toss paymentKey / PortOne imp_uid. */
  pgPaymentId: string;
  /** Our order id as the PG holds it (orderId / merchant_uid). */
  orderId: string;
  /** Positive KRW: the approved amount, or the amount this cancel took back. */
  amount: number;
  /** When the PG made it, by the PG's clock (whole seconds at both PGs). */
  at: Instant;
}

/** Half-open: `from` included, `to` excluded. */
export interface TimeWindow {
  from: Instant;
  to: Instant;
}

/** The PG could not be asked: unreachable, or it refused our credentials or the request. */
export class PgListUnavailableError extends Error {
  constructor(
    readonly provider: Provider,
    message: string,
  ) {
    super(message);
    this.name = 'PgListUnavailableError';
  }
}

export interface PgTransactionList {
  readonly provider: Provider;
  /**
   * Every approval and cancel the PG made in the window, each once, all pages read. Throws
   * PgListUnavailableError when the PG cannot be asked or refuses.
   */
  transactions(window: TimeWindow): Promise<PgTransaction[]>;
  close(): void;
}
