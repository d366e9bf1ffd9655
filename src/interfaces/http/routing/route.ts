import type { AnyZodObject, ZodTypeAny } from 'zod';
import type { Page } from '../../../application/ports/read-model-store.port';
import type { Principal, Role } from '../auth/jwt';
import type { HttpContext } from '../http-context';
import type { ProblemCode } from '../problem/error-status';

/** Who may call a route: anyone, any authenticated caller (reading their own data), or these roles. */
export type Access = 'public' | 'caller' | readonly Role[];

/** A request taken apart, whoever served it (Express or a fast path before it). */
export interface RouteRequest {
  /** The path's `:name` segments, decoded. */
  params: Record<string, string>;
  /** The parsed query string. */
  query: unknown;
  /** The verified caller; null on public routes. */
  principal: Principal | null;
  /** A request header by lower-case name. */
  header(name: string): string | undefined;
  /** The request's id (X-Request-Id, sane, or made here): the correlation id of what it records. */
  requestId: string;
}

export interface CommandRequest extends RouteRequest {
  /** The body as parsed (JSON, or a form), `{}` when there was none. */
  body: unknown;
}

export interface CommandAnswer {
  status: number;
  json: unknown;
  headers?: Record<string, string>;
  /** Work to start once the answer is on its way. */
  afterwards?: () => void;
}

/** One answer of a route other than a problem: what it means and its body. */
export interface ResponseDoc {
  description: string;
  schema: ZodTypeAny;
  /** application/json unless said. */
  contentType?: string;
}

/**
 * How a route appears in the OpenAPI document (openapi/), beside the route so they cannot part:
 * `request` holds the very zod schemas the route validates with.
 */
export interface RouteDoc {
  summary: string;
  description?: string;
  request?: { params?: AnyZodObject; query?: AnyZodObject; body?: ZodTypeAny };
  /** Status → answer; problems are derived from `errors` and the route's access, input and key. */
  responses: Record<number, ResponseDoc>;
  /** The problem codes particular to this route (not those every guarded or validated route has). */
  errors?: readonly ProblemCode[];
}

/** One POST (or DELETE) of the contract: its path, who may call it, its body, and what it does. */
export interface CommandRoute {
  /** DELETE routes are served by Express only (the fast command path takes POSTs). */
  method: 'POST' | 'DELETE';
  path: string;
  access: Access;
  /** Honours the Idempotency-Key header (a fast path leaves such requests to Express). */
  idempotencyKey: boolean;
  /** JSON (served before Express when ordinary) or a form post (PortOne's webhook; Express only). */
  body: 'json' | 'form';
  openapi: RouteDoc;
  run(request: CommandRequest, ctx: HttpContext): Promise<CommandAnswer>;
}

export type ReadAnswer =
  | { page: Page<object> }
  | { json: unknown; status?: number }
  /** A body already rendered (the OpenAPI document, its reference page). */
  | { text: string; contentType: string; headers?: Record<string, string> };

/** One GET of the contract, answered from the projections (or the stores' health). */
export interface ReadRoute {
  method: 'GET';
  path: string;
  access: Access;
  openapi: RouteDoc;
  answer(request: RouteRequest, ctx: HttpContext): Promise<ReadAnswer> | ReadAnswer;
}

export type Route = CommandRoute | ReadRoute;

/** The routes of one noun (orders, payments, ...): every request path serves this same table. */
export type RouteTable = readonly Route[];

/** The caller of a route that requires one. */
export const callerOf = (request: RouteRequest): Principal => request.principal as Principal;

/** The roles that may call a route, or null when any authenticated caller may. */
export const rolesOf = (access: Exclude<Access, 'public'>): readonly Role[] | null =>
  access === 'caller' ? null : access;
