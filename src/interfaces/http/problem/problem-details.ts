import type { Response } from 'express';
import { statusOf, titleOf, type ProblemCode } from './error-status';

/** RFC 9457 problem details, plus the stable `code` clients switch on. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const TYPE_BASE = 'https://ledgerline.dev/problems/';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  [extra: string]: unknown;
}

/** `PG_PAYMENT_ALREADY_USED` → `https://ledgerline.dev/problems/pg-payment-already-used`. */
export function problemType(code: ProblemCode): string {
  return TYPE_BASE + code.toLowerCase().replace(/_/g, '-');
}

/** Extra fields come first so they can never overwrite the five standard ones. */
export function problemBody(
  code: ProblemCode,
  detail: string,
  extra: Record<string, unknown> = {},
): ProblemBody {
  return { ...extra, type: problemType(code), title: titleOf(code), status: statusOf(code), detail, code };
}

export function sendProblem(
  res: Response,
  code: ProblemCode,
  detail: string,
  extra: Record<string, unknown> = {},
): void {
  const body = problemBody(code, detail, extra);
  res.status(body.status).type(PROBLEM_CONTENT_TYPE).json(body);
}

/**
 * Responses the error handler writes for a thrown error. The idempotency middleware releases
 * the key for these instead of storing them: a thrown refusal had no effect, so a retry with
 * the same key must be allowed to run again (e.g. after a CONCURRENCY_CONFLICT).
 */
const thrownErrorResponses = new WeakSet<Response>();

export function markAnsweringThrownError(res: Response): void {
  thrownErrorResponses.add(res);
}

export function isAnsweringThrownError(res: Response): boolean {
  return thrownErrorResponses.has(res);
}
