import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type {
  CancelRequest,
  ConfirmRequest,
  PaymentGateway,
  PgPayment,
  PgResult,
} from '../../../application/ports/payment-gateway.port';
import { withDeadline } from '../call-deadline';
import { classifyTossFailure, classifyTossResponse } from './toss-response.classifier';

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
  private readonly http: AxiosInstance;
  private readonly agents: { http: http.Agent; https: https.Agent };
  private readonly timeoutMs: number;

  constructor(options: TossPaymentGatewayOptions) {
    this.timeoutMs = options.timeoutMs;
    // Keep-alive: this path runs at hundreds of calls a second.
    this.agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
    this.http = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      timeout: options.timeoutMs,
      httpAgent: this.agents.http,
      httpsAgent: this.agents.https,
      // A PG API never redirects; following one would resend the secret key elsewhere.
      maxRedirects: 0,
      headers: {
        Authorization: `Basic ${Buffer.from(`${options.secretKey}:`).toString('base64')}`,
        'Content-Type': 'application/json',
      },
      validateStatus: () => true, // we classify every status ourselves
    });
  }

  confirm(request: ConfirmRequest): Promise<PgResult<PgPayment>> {
    const body = { paymentKey: request.pgPaymentId, orderId: request.orderId, amount: request.amount };
    const headers = { 'Idempotency-Key': request.idempotencyKey };
    return this.send((signal) => this.http.post('/v1/payments/confirm', body, { signal, headers }), false);
  }

  findByOrderId(orderId: string): Promise<PgResult<PgPayment | null>> {
    const path = `/v1/payments/orders/${encodeURIComponent(orderId)}`;
    return this.send((signal) => this.http.get(path, { signal }), true);
  }

  getPayment(pgPaymentId: string): Promise<PgResult<PgPayment | null>> {
    const path = `/v1/payments/${encodeURIComponent(pgPaymentId)}`;
    return this.send((signal) => this.http.get(path, { signal }), true);
  }

  cancel(request: CancelRequest): Promise<PgResult<PgPayment>> {
    const body: { cancelReason: string; cancelAmount?: number } = { cancelReason: request.reason };
    if (request.amount !== undefined) body.cancelAmount = request.amount;
    const path = `/v1/payments/${encodeURIComponent(request.pgPaymentId)}/cancel`;
    const headers = { 'Idempotency-Key': request.idempotencyKey };
    return this.send((signal) => this.http.post(path, body, { signal, headers }), false);
  }

  /** Closes pooled connections (tests, shutdown). */
  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private send(
    call: (signal: AbortSignal) => Promise<AxiosResponse<unknown>>,
    nullWhenNotFound: true,
  ): Promise<PgResult<PgPayment | null>>;
  private send(
    call: (signal: AbortSignal) => Promise<AxiosResponse<unknown>>,
    nullWhenNotFound: false,
  ): Promise<PgResult<PgPayment>>;
  private async send(
    call: (signal: AbortSignal) => Promise<AxiosResponse<unknown>>,
    nullWhenNotFound: boolean,
  ): Promise<PgResult<PgPayment | null>> {
    try {
      const res = await withDeadline(this.timeoutMs, call);
      return nullWhenNotFound ? classifyTossResponse(res, true) : classifyTossResponse(res, false);
    } catch (err) {
      return classifyTossFailure(err);
    }
  }
}
