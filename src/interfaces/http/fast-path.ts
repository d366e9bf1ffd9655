import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJsonText } from './json-page';
import { knownProblem, type ErrorLogger } from './problem/error-handler.middleware';
import type { ProblemCode } from './problem/error-status';
import { problemBody, PROBLEM_CONTENT_TYPE } from './problem/problem-details';
import { BEARER_CHALLENGE } from './auth/bearer-authenticator';

/**
 * A handler that runs before Express: it serves the request and returns true, or returns
 * false, having touched nothing, to pass it on.
 */
export type RequestHandlerFirst = (req: IncomingMessage, res: ServerResponse) => boolean;

/** problem+json on a plain node response, byte for byte what Express's sendProblem writes. */
export function sendRawProblem(
  res: ServerResponse,
  code: ProblemCode,
  detail: string,
  extra: Record<string, unknown> = {},
): void {
  const body = problemBody(code, detail, extra);
  sendJsonText(res, body.status, JSON.stringify(body), `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
}

/** What the Express error handler does for a thrown error, on a plain node response. */
export function answerFailure(
  res: ServerResponse,
  error: unknown,
  log: ErrorLogger,
  request: { method: string; path: string },
): void {
  const problem = knownProblem(error);
  if (!problem) log('unhandled error', { ...request, error });
  if (res.headersSent) return void res.destroy();
  const { code, detail, extra } = problem ?? { code: 'INTERNAL', detail: 'an unexpected error occurred' };
  if (code === 'UNAUTHENTICATED') res.setHeader('WWW-Authenticate', BEARER_CHALLENGE);
  sendRawProblem(res, code, detail, extra);
}
