import type { AxiosInstance, AxiosResponse } from 'axios';
import type {
  CancelRequest,
  ConfirmRequest,
  PaymentGateway,
  PgCommandResult,
  PgPayment,
  PgResult,
} from '../../../application/ports/payment-gateway.port';
import { withDeadline } from '../call-deadline';
import { tossHttpClient, type TossHttpClient } from './toss-http-client';
import {
  TOSS_ALREADY_CANCELLED,
  TOSS_ALREADY_CONFIRMED,
  classifyTossCommand,
  classifyTossFailure,
  classifyTossLookup,
} from './toss-response.classifier';

export interface TossPaymentGatewayOptions {
  /** e.g. https://api.tosspayments.com or http://localhost:3000/sandbox/toss */
  baseUrl: string;
  secretKey: string;
  /** Deadline of one call; past it the outcome is unknown. */
  timeoutMs: number;
}

/** Toss Payments core API v1 as a PaymentGateway. Classifies every answer; never throws. */
export class TossPaymentGateway implements PaymentGateway {
  readonly provider = 'toss' as const;
  private readonly client: TossHttpClient;
  private readonly http: AxiosInstance;
  private readonly timeoutMs: number;

  constructor(options: TossPaymentGatewayOptions) {
    this.timeoutMs = options.timeoutMs;
    this.client = tossHttpClient(options);
    this.http = this.client.http;
  }

  confirm(request: ConfirmRequest): Promise<PgCommandResult<PgPayment>> {
    const body = { paymentKey: request.pgPaymentId, orderId: request.orderId, amount: request.amount };
    const headers = { 'Idempotency-Key': request.idempotencyKey };
    return this.send(
      (signal) => this.http.post('/v1/payments/confirm', body, { signal, headers }),
      (res) => classifyTossCommand(res, TOSS_ALREADY_CONFIRMED, null),
    );
  }

  findByOrderId(orderId: string): Promise<PgResult<PgPayment | null>> {
    const path = `/v1/payments/orders/${encodeURIComponent(orderId)}`;
    return this.send((signal) => this.http.get(path, { signal }), classifyTossLookup);
  }

  getPayment(pgPaymentId: string): Promise<PgResult<PgPayment | null>> {
    const path = `/v1/payments/${encodeURIComponent(pgPaymentId)}`;
    return this.send((signal) => this.http.get(path, { signal }), classifyTossLookup);
  }

  /**
   * Toss answers a cancel with the whole Payment; the cancel this request made is the one whose
   * transactionKey is the answer's lastTransactionKey. A re-sent request with the same key gets
   * the stored first answer, so it names the original cancel too, never a later one.
   */
  cancel(request: CancelRequest): Promise<PgCommandResult<PgPayment>> {
    const body: { cancelReason: string; cancelAmount?: number } = { cancelReason: request.reason };
    if (request.amount !== undefined) body.cancelAmount = request.amount;
    const path = `/v1/payments/${encodeURIComponent(request.pgPaymentId)}/cancel`;
    const headers = { 'Idempotency-Key': request.idempotencyKey };
    return this.send(
      (signal) => this.http.post(path, body, { signal, headers }),
      (res) => classifyTossCommand(res, TOSS_ALREADY_CANCELLED, request.idempotencyKey),
    );
  }

  /** Closes pooled connections (tests, shutdown). */
  close(): void {
    this.client.close();
  }

  private async send<R>(
    call: (signal: AbortSignal) => Promise<AxiosResponse<unknown>>,
    classify: (res: AxiosResponse<unknown>) => R,
  ): Promise<R | { kind: 'unknown'; reason: string }> {
    try {
      return classify(await withDeadline(this.timeoutMs, call));
    } catch (err) {
      return classifyTossFailure(err);
    }
  }
}
