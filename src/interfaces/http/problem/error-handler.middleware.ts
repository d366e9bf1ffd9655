import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { InvalidCursorError } from '../../../application/ports/read-model-store.port';
import { DomainError } from '../../../domain/shared/domain-error';
import { fieldErrors, summarize } from '../validation/zod-issues';
import type { ProblemCode } from './error-status';
import { markAnsweringThrownError, sendProblem } from './problem-details';

/** Receives unexpected errors only. Gets no headers, so a bearer token can never be logged. */
export type ErrorLogger = (
  message: string,
  context: { method: string; path: string; error: unknown },
) => void;

export interface Problem {
  code: ProblemCode;
  detail: string;
  extra?: Record<string, unknown>;
}

/** A request body that is not JSON (or, strictly, not an object or array). */
export const MALFORMED_JSON: Problem = {
  code: 'VALIDATION_FAILED',
  detail: 'malformed JSON in the request body',
};

const defaultLogger: ErrorLogger = (message, context) => console.error(message, context);

/** The last middleware of the app: every thrown error leaves as problem+json. */
export function errorHandler(log: ErrorLogger = defaultLogger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    const problem = knownProblem(error);
    if (!problem) log('unhandled error', { method: req.method, path: pathOf(req), error });
    // Too late for a problem body; express's final handler closes the connection.
    if (res.headersSent) return next(error);
    const { code, detail, extra } = problem ?? { code: 'INTERNAL', detail: 'an unexpected error occurred' };
    if (code === 'UNAUTHENTICATED') res.set('WWW-Authenticate', 'Bearer realm="ledgerline"');
    markAnsweringThrownError(res);
    sendProblem(res, code, detail, extra);
  };
}

/** Unknown routes, as a problem instead of express's HTML page. */
export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, 'NOT_FOUND', `no route for ${req.method} ${pathOf(req)}`);
};

/** The problem a thrown error answers with; undefined for an unexpected one (500, logged). */
export function knownProblem(error: unknown): Problem | undefined {
  if (error instanceof DomainError) return { code: error.code, detail: error.message, extra: error.details };
  if (error instanceof ZodError) {
    const errors = fieldErrors(error);
    return { code: 'VALIDATION_FAILED', detail: summarize(errors, 'request'), extra: { errors } };
  }
  if (error instanceof InvalidCursorError) {
    return {
      code: 'VALIDATION_FAILED',
      detail: 'the cursor is invalid; use the nextCursor of a previous page',
      extra: { errors: [{ path: 'cursor', message: 'invalid cursor', in: 'query' }] },
    };
  }
  return clientHttpError(error);
}

/**
 * body-parser and express raise http-errors: a 4xx `status` with `expose: true`. Only those
 * are trusted; a status on any other error could come from a library talking to a PG.
 */
function clientHttpError(error: unknown): Problem | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, expose, type, message, limit } = error as Record<string, unknown>;
  if (typeof status !== 'number' || status < 400 || status > 499 || expose !== true) return undefined;
  switch (type) {
    case 'entity.parse.failed':
      // The parser's message quotes the body; the client already has it.
      return MALFORMED_JSON;
    case 'entity.too.large':
      return {
        code: 'PAYLOAD_TOO_LARGE',
        detail: 'the request body is too large',
        extra: typeof limit === 'number' ? { limitBytes: limit } : {},
      };
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return {
        code: 'UNSUPPORTED_MEDIA_TYPE',
        detail: 'unsupported request body charset or content encoding',
      };
  }
  if (status === 413) return { code: 'PAYLOAD_TOO_LARGE', detail: 'the request is too large' };
  if (status === 415) return { code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'unsupported request media type' };
  if (status === 404) return { code: 'NOT_FOUND', detail: 'not found' };
  const detail = typeof message === 'string' && message.length <= 200 ? message : 'bad request';
  return { code: 'VALIDATION_FAILED', detail };
}

/** The path without the query string, which may carry values we do not want in logs. */
function pathOf(req: Request): string {
  return req.originalUrl.split('?')[0] ?? '';
}
