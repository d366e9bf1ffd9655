import type { ZodError } from 'zod';

/** One refused field as clients see it: `path` is dotted (`items.0.amount`), '' for the whole input. */
export interface FieldError {
  path: string;
  message: string;
  /** Which part of the request, when known: body, params or query. */
  in?: RequestPart;
}

export type RequestPart = 'body' | 'params' | 'query';

const MAX_MESSAGE = 200; // zod may quote the received value; keep a hostile one from bloating the answer

export function fieldErrors(error: ZodError, part?: RequestPart): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.join('.'),
    message: truncate(issue.message),
    ...(part ? { in: part } : {}),
  }));
}

/** A one-line summary for `detail`: the first few problems, the rest counted. */
export function summarize(errors: FieldError[], what: string): string {
  const shown = errors.slice(0, 3).map((e) => (e.path ? `${e.path}: ${e.message}` : e.message));
  const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
  return `${what} is invalid: ${shown.join('; ')}${more}`;
}

function truncate(message: string): string {
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message;
}
