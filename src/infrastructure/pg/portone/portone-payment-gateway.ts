import type { Clock } from '../../../application/ports/clock.port';
import type {
  CancelRequest,
  ConfirmRequest,
  PaymentGateway,
  PgCommandResult,
  PgPayment,
  PgResult,
} from '../../../application/ports/payment-gateway.port';
import {
  alreadyCancelledAsDone,
  classifyPortoneAnswer,
  paymentFrom,
  type AnswerHandlers,
} from './portone-answer.classifier';
import { PortoneHttpClient, type PortoneRequest } from './portone-http-client';
import { reasonWithKey } from './portone-payment.mapper';
import { PortoneTokenCache, type FetchedToken } from './portone-token-cache';
import { requestPortoneToken } from './portone-token-request';

export interface PortonePaymentGatewayOptions {
  /** e.g. https://api.iamport.kr, or http://host:port/sandbox/portone. */
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  timeoutMs: number;
  /** Judges token freshness; defaults to the wall clock. Pass the service clock in sandbox mode. */
  clock?: Clock;
}

const systemClock: Clock = { now: () => Date.now() };

/**
 * PortOne (iamport REST v1). The payment is completed in the buyer's window, so "confirm" is a
 * token plus `GET /payments/{imp_uid}`; PortOne v1 has no idempotency keys, and cancel is
 * protected from double execution by `checksum` (our view of the balance) instead.
 */
export class PortonePaymentGateway implements PaymentGateway {
  readonly provider = 'portone' as const;
  private readonly client: PortoneHttpClient;
  private readonly tokens: PortoneTokenCache;
  private readonly apiKey: string;
  private readonly apiSecret: string;

  constructor(options: PortonePaymentGatewayOptions) {
    this.client = new PortoneHttpClient(options.baseUrl, options.timeoutMs);
    this.apiKey = options.apiKey;
    this.apiSecret = options.apiSecret;
    this.tokens = new PortoneTokenCache(() => this.fetchToken(), options.clock ?? systemClock);
  }

  confirm(request: ConfirmRequest): Promise<PgResult<PgPayment>> {
    return this.authorized(
      { method: 'GET', path: `/payments/${encodeURIComponent(request.pgPaymentId)}` },
      {
        onSuccess: paymentFrom,
        onNotFound: (message) => ({
          kind: 'refused',
          code: 'NOT_FOUND_PAYMENT',
          message: message || '유효하지 않은 imp_uid',
        }),
      },
    );
  }

  findByOrderId(orderId: string): Promise<PgResult<PgPayment | null>> {
    return this.authorized<PgPayment | null>(
      { method: 'GET', path: `/payments/find/${encodeURIComponent(orderId)}` },
      { onSuccess: paymentFrom, onNotFound: () => ({ kind: 'ok', value: null }) },
    );
  }

  getPayment(pgPaymentId: string): Promise<PgResult<PgPayment | null>> {
    return this.authorized<PgPayment | null>(
      { method: 'GET', path: `/payments/${encodeURIComponent(pgPaymentId)}` },
      { onSuccess: paymentFrom, onNotFound: () => ({ kind: 'ok', value: null }) },
    );
  }

  /**
   * PortOne v1 takes no idempotency key, so ours rides in the reason (`reasonWithKey`): the
   * cancel_history entry it leaves names the request that made it, in this answer and in every
   * later lookup, which is how a refund finds its own cancel and never one that merely has the
   * same amount. A re-sent cancel is not deduplicated by PortOne; `checksum` stops it instead.
   */
  async cancel(request: CancelRequest): Promise<PgCommandResult<PgPayment>> {
    const body = {
      imp_uid: request.pgPaymentId,
      ...(request.amount !== undefined ? { amount: request.amount } : {}),
      checksum: request.balanceBefore,
      reason: reasonWithKey(request.reason, request.idempotencyKey),
    };
    const result = await this.authorized(
      { method: 'POST', path: '/payments/cancel', body },
      { onSuccess: paymentFrom },
    );
    return alreadyCancelledAsDone(result);
  }

  /** Releases keep-alive sockets (shutdown, tests). */
  close(): void {
    this.client.close();
  }

  /** Sends with a cached token; a 401 means the token died early, so fetch a fresh one and retry once. */
  private async authorized<T>(request: PortoneRequest, handlers: AnswerHandlers<T>): Promise<PgResult<T>> {
    for (let attempt = 1; ; attempt++) {
      const token = await this.tokens.get();
      if (token.kind !== 'ok') return token;
      const outcome = await this.client.send({ ...request, token: token.value });
      if (outcome.kind === 'answer' && outcome.status === 401 && attempt === 1) {
        this.tokens.invalidate(token.value);
        continue;
      }
      return classifyPortoneAnswer(outcome, handlers);
    }
  }

  private fetchToken(): Promise<PgResult<FetchedToken>> {
    return requestPortoneToken(this.client, this.apiKey, this.apiSecret);
  }
}
