import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import type { ProblemCode } from '../problem/error-status';
import type { Route } from '../routing/route';
import { problemResponses } from './problem.schema';
import { z } from './zod-openapi';

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

const IDEMPOTENCY_RULES =
  'Same key and same body: the stored answer is replayed (header `Idempotent-Replayed: true`). ' +
  'Same key, another body: 422 `IDEMPOTENCY_KEY_REUSED`. While the first request is in flight: ' +
  '409 `IDEMPOTENCY_KEY_IN_USE` with `Retry-After`. Keys are scoped to the caller and the route; ' +
  'a refused request (a problem answer) releases its key, and 202 PENDING answers are not stored.';

const INTRO = [
  'The REST contract of Ledgerline (v1), generated from the zod schemas the routes validate with.',
  '',
  '**Authentication**: `Authorization: Bearer <JWT>`; claims `sub` (user id) and `role` (user | admin | auditor).',
  '',
  '**Errors** are `application/problem+json` `{type, title, status, detail, code}`; `code` is stable. ' +
    'Each operation lists the codes it can answer with, by status.',
  '',
  `**Idempotency-Key** (on the POSTs that take it): ${IDEMPOTENCY_RULES}`,
  '',
  '**Pagination**: lists answer `{items, nextCursor}`; pass `nextCursor` back as `?cursor=` ' +
    '(with `?limit=`, 1–100, default 20) for the next page; `nextCursor` is null on the last page.',
].join('\n');

const idempotencyKeyHeader = z
  .string()
  .regex(/^[\x21-\x7E]{1,255}$/)
  .optional()
  .openapi({ param: { name: 'Idempotency-Key', in: 'header', description: IDEMPOTENCY_RULES } });

/** `/v1/orders/:orderId` → `/v1/orders/{orderId}`. */
export const openApiPath = (path: string): string => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/**
 * The problem codes a route can answer with: those its own description lists, plus those every
 * route of its kind has (input validation, authentication, roles, idempotency keys, a failure).
 */
export function problemCodesOf(route: Route): ProblemCode[] {
  const codes: ProblemCode[] = ['INTERNAL'];
  const request = route.openapi.request;
  if (route.method === 'POST') codes.push('VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
  else if (request?.params || request?.query) codes.push('VALIDATION_FAILED');
  // Any guarded route may refuse a caller: a role not allowed, or an API key without the scope.
  if (route.access !== 'public') codes.push('UNAUTHENTICATED', 'FORBIDDEN');
  if (route.method === 'POST' && route.idempotencyKey)
    codes.push('IDEMPOTENCY_KEY_IN_USE', 'IDEMPOTENCY_KEY_REUSED');
  return [...codes, ...(route.openapi.errors ?? [])];
}

function whoMayCall(route: Route): string {
  if (route.access === 'public') return 'Anyone (no token).';
  if (route.access === 'caller') return 'Any authenticated caller.';
  return `Role ${route.access.join(' or ')}.`;
}

function operationOf(route: Route, keyHeader: z.ZodTypeAny): RouteConfig {
  const doc = route.openapi;
  const idempotent = route.method === 'POST' && route.idempotencyKey;
  const responses: Record<number, ResponseConfig> = {};
  for (const [status, answer] of Object.entries(doc.responses)) {
    responses[Number(status)] = {
      description: answer.description,
      content: { [answer.contentType ?? 'application/json']: { schema: answer.schema } },
      ...(idempotent && Number(status) < 300
        ? {
            headers: {
              'Idempotent-Replayed': { description: 'true on a replayed answer', schema: { type: 'string' } },
            },
          }
        : {}),
    };
  }
  const bodyType =
    route.method === 'POST' && route.body === 'form'
      ? 'application/x-www-form-urlencoded'
      : 'application/json';
  return {
    method: route.method === 'GET' ? 'get' : route.method === 'DELETE' ? 'delete' : 'post',
    path: openApiPath(route.path),
    operationId: operationIdOf(route),
    summary: doc.summary,
    description: [doc.description, `Who may call: ${whoMayCall(route)}`].filter(Boolean).join('\n\n'),
    security: route.access === 'public' ? [] : [{ bearerAuth: [] }],
    request: {
      params: doc.request?.params,
      query: doc.request?.query,
      headers: idempotent ? [keyHeader] : undefined,
      body: doc.request?.body && { required: true, content: { [bodyType]: { schema: doc.request.body } } },
    },
    responses: { ...responses, ...problemResponses(problemCodesOf(route)) },
  };
}

/** `POST /v1/payments/:orderId/refunds` → `postV1PaymentsOrderIdRefunds`. */
function operationIdOf(route: Route): string {
  const words = route.path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return route.method.toLowerCase() + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

/** The OpenAPI 3.1 document of `routes`: built once, at start, from the route tables themselves. */
export function buildOpenApiDocument(routes: readonly Route[]): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'HS256 with JWT_SECRET; claims `sub` (user id) and `role` (user | admin | auditor).',
  });
  const keyHeader = registry.registerParameter('IdempotencyKey', idempotencyKeyHeader);
  for (const route of routes) registry.registerPath(operationOf(route, keyHeader));
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Ledgerline', version: '1', description: INTRO },
  });
}
