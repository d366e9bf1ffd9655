import axios, { type AxiosResponse } from 'axios';
import type { PgPayment, PgResult } from '../../../application/ports/payment-gateway.port';
import { toPgPayment } from './toss-payment.mapper';

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
 * 5xx and anything unreadable are unknown. With `nullWhenNotFound`, 404 NOT_FOUND_PAYMENT is ok(null).
 */
export function classifyTossResponse(
  res: AxiosResponse<unknown>,
  nullWhenNotFound: true,
): PgResult<PgPayment | null>;
export function classifyTossResponse(
  res: AxiosResponse<unknown>,
  nullWhenNotFound: false,
): PgResult<PgPayment>;
export function classifyTossResponse(
  res: AxiosResponse<unknown>,
  nullWhenNotFound: boolean,
): PgResult<PgPayment | null> {
  const { status } = res;
  if (status >= 200 && status < 300) {
    const payment = toPgPayment(res.data);
    return payment ? { kind: 'ok', value: payment } : unknown(`HTTP ${status} without a readable payment`);
  }
  const error = tossErrorOf(res.data);
  if (status >= 500 || !error) return unknown(`HTTP ${status}${error ? ` ${error.code}` : ''}`);
  if (nullWhenNotFound && status === 404 && error.code === 'NOT_FOUND_PAYMENT')
    return { kind: 'ok', value: null };
  if (error.code === 'IDEMPOTENT_REQUEST_PROCESSING' || status === 408 || status === 429) {
    return unknown(`HTTP ${status} ${error.code}`);
  }
  if (status >= 400) return { kind: 'refused', code: error.code, message: error.message };
  return unknown(`HTTP ${status} ${error.code}`);
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
