import type { Request } from 'express';
import type { z } from 'zod';
import { DomainError } from '../../../domain/shared/domain-error';
import { fieldErrors, summarize, type RequestPart } from './zod-issues';

/**
 * Parse one part of a request with a zod schema. Failures throw a DomainError
 * VALIDATION_FAILED carrying `errors: [{path, message, in}]`, which the error handler turns
 * into a 400 problem; route handlers only ever see typed, validated values.
 */
export function parseBody<S extends z.ZodTypeAny>(schema: S, req: Request): z.output<S> {
  return parsePart(schema, bodyOf(req), 'body');
}

/**
 * The body express.json() parsed. No body at all is an empty object, so a schema names the
 * required fields; a body that was sent but not parsed is refused.
 */
export function bodyOf(req: Request): unknown {
  if (req.body === undefined && declaresBody(req)) {
    // express.json() leaves the body unparsed when the Content-Type is not JSON.
    throw new DomainError('VALIDATION_FAILED', 'request body must be JSON (Content-Type: application/json)', {
      errors: [{ path: '', message: 'expected an application/json body', in: 'body' }],
    });
  }
  return req.body ?? {};
}

export function parseParams<S extends z.ZodTypeAny>(schema: S, req: Request): z.output<S> {
  return parsePart(schema, req.params, 'params');
}

export function parseQuery<S extends z.ZodTypeAny>(schema: S, req: Request): z.output<S> {
  return parsePart(schema, req.query, 'query');
}

/** The same for input taken apart without Express (the fast read path). */
export function parsePart<S extends z.ZodTypeAny>(schema: S, input: unknown, part: RequestPart): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = fieldErrors(result.error, part);
  throw new DomainError('VALIDATION_FAILED', summarize(errors, `request ${part}`), { errors });
}

function declaresBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
