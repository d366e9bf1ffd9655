import type { PgCommandResult, PgPayment, PgResult } from '../../../application/ports/payment-gateway.port';
import type { HttpOutcome } from './portone-http-client';
import { portoneEnvelope, portonePayment, toPgPayment } from './portone-payment.mapper';

export interface AnswerHandlers<T> {
  /** HTTP 2xx with code 0: the envelope's `response`. */
  onSuccess: (response: unknown) => PgResult<T>;
  /** What an HTTP 404 means for this call; by default a refusal like any other 4xx. */
  onNotFound?: (message: string) => PgResult<T>;
}

/**
 * PortOne answer → ok / refused / unknown. No answer, 5xx or a body we cannot read is unknown
 * (PortOne may have acted); a 4xx or a 2xx with a non-zero code is a refusal.
 */
export function classifyPortoneAnswer<T>(outcome: HttpOutcome, handlers: AnswerHandlers<T>): PgResult<T> {
  if (outcome.kind === 'no-answer') return { kind: 'unknown', reason: outcome.reason };
  const { status } = outcome;
  const envelope = portoneEnvelope.safeParse(outcome.body);
  const message = envelope.success ? (envelope.data.message ?? '') : '';
  if (status >= 500)
    return { kind: 'unknown', reason: `PortOne HTTP ${status}${message ? `: ${message}` : ''}` };
  if (status === 404 && handlers.onNotFound) return handlers.onNotFound(message);
  if (status >= 200 && status < 300) {
    if (!envelope.success)
      return { kind: 'unknown', reason: `PortOne HTTP ${status} with an unreadable body` };
    if (envelope.data.code !== 0) return { kind: 'refused', code: String(envelope.data.code), message };
    return handlers.onSuccess(envelope.data.response);
  }
  if (status >= 400)
    return { kind: 'refused', code: `HTTP_${status}`, message: message || `PortOne HTTP ${status}` };
  // 1xx/3xx (redirects are not followed): not a PortOne answer we understand.
  return { kind: 'unknown', reason: `PortOne HTTP ${status}` };
}

/** A 2xx whose payment we cannot read may still mean PortOne acted (a cancel): unknown. */
export function paymentFrom(response: unknown): PgResult<PgPayment> {
  const parsed = portonePayment.safeParse(response);
  if (!parsed.success) return { kind: 'unknown', reason: 'PortOne answered with an unreadable payment' };
  return { kind: 'ok', value: toPgPayment(parsed.data) };
}

/**
 * PortOne answers a cancel of a fully cancelled payment with HTTP 200, code 1 and "이미
 * 전액취소된 주문입니다." (reference 2.2). Code 1 is every logical failure, so the message is what
 * tells this one apart; any other refusal stays a refusal.
 */
const ALREADY_FULLY_CANCELLED = '이미 전액취소된 주문입니다';

export function alreadyCancelledAsDone<T>(result: PgResult<T>): PgCommandResult<T> {
  if (result.kind === 'refused' && result.code === '1' && result.message.includes(ALREADY_FULLY_CANCELLED)) {
    return { kind: 'already_done', code: result.code, message: result.message };
  }
  return result;
}
