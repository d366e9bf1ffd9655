import axios, { type AxiosResponse } from 'axios';
import type { PgCommandResult, PgPayment, PgResult } from '../../../application/ports/payment-gateway.port';
import { toPgPayment } from './toss-payment.mapper';

/** Toss's codes for "this was done before" (reference 1.3, 1.7): the PG's state is what we asked for. */
export const TOSS_ALREADY_CONFIRMED: ReadonlySet<string> = new Set(['ALREADY_PROCESSED_PAYMENT']);
export const TOSS_ALREADY_CANCELLED: ReadonlySet<string> = new Set([
  'ALREADY_CANCELED_PAYMENT',
  'ALREADY_REFUND_PAYMENT',
]);

const unknown = (reason: string): { kind: 'unknown'; reason: string } => ({ kind: 'unknown', reason });

function tossErrorOf(body: unknown): { code: string; message: string } | null {
  if (typeof body !== 'object' || body === null) return null;
  const { code, message } = body as { code?: unknown; message?: unknown };
  return typeof code === 'string' && code.length > 0
    ? { code, message: typeof message === 'string' ? message : '' }
    : null;
}

/**
 * An HTTP answer from Toss as a PgResult. 2xx with a Payment is ok; 4xx with a Toss code is a
 * refusal, except "still processing", a request timeout or a rate limit (the PG may yet act);
 * 5xx and anything unreadable are unknown. `requestKey` marks the cancel the request made.
 */
function classify(res: AxiosResponse<unknown>, requestKey: string | null): PgResult<PgPayment> {
  const { status } = res;
  if (status >= 200 && status < 300) {
    const payment = toPgPayment(res.data, requestKey);
    return payment ? { kind: 'ok', value: payment } : unknown(`HTTP ${status} without a readable payment`);
  }
  const error = tossErrorOf(res.data);
  if (status >= 500 || !error) return unknown(`HTTP ${status}${error ? ` ${error.code}` : ''}`);
  if (error.code === 'IDEMPOTENT_REQUEST_PROCESSING' || status === 408 || status === 429) {
    return unknown(`HTTP ${status} ${error.code}`);
  }
  if (status >= 400) return { kind: 'refused', code: error.code, message: error.message };
  return unknown(`HTTP ${status} ${error.code}`);
}

/** A lookup's answer: 404 NOT_FOUND_PAYMENT is ok(null), Toss has no such payment. */
export function classifyTossLookup(res: AxiosResponse<unknown>): PgResult<PgPayment | null> {
  if (res.status === 404 && tossErrorOf(res.data)?.code === 'NOT_FOUND_PAYMENT') {
    return { kind: 'ok', value: null };
  }
  return classify(res, null);
}

/**
 * A confirm's or a cancel's answer: a refusal with one of `alreadyDone` codes is already_done.
 * `requestKey` (a cancel's Idempotency-Key) goes to the cancel this request made.
 */
export function classifyTossCommand(
  res: AxiosResponse<unknown>,
  alreadyDone: ReadonlySet<string>,
  requestKey: string | null,
): PgCommandResult<PgPayment> {
  const result = classify(res, requestKey);
  if (result.kind === 'refused' && alreadyDone.has(result.code)) {
    return { kind: 'already_done', code: result.code, message: result.message };
  }
  return result;
}

/**
 * A request that got no answer (timeout, refused or dropped connection): the PG may or may not
 * have acted. Only the error code is read: such errors have no response, and their config holds
 * the Authorization header, which must not reach a log.
 */
export function classifyTossFailure(err: unknown): { kind: 'unknown'; reason: string } {
  if (axios.isAxiosError(err)) return unknown(`no answer from Toss: ${err.code ?? 'network error'}`);
  return unknown(`no answer from Toss: ${err instanceof Error ? err.name : 'error'}`);
}
