import { OpenApiGeneratorV31, OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { OPENAPI_DOCUMENT, ROUTES } from '../../../src/interfaces/http/routes';
import { confirmSchema } from '../../../src/interfaces/http/routes/payments.routes';
import { openApiPath } from '../../../src/interfaces/http/openapi/openapi-document';
import type { CommandRoute } from '../../../src/interfaces/http/routing/route';

type Operation = {
  security: unknown[];
  parameters?: Array<{ name?: string; in?: string; $ref?: string }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};
const operation = (method: string, path: string): Operation =>
  (OPENAPI_DOCUMENT.paths?.[openApiPath(path)] as Record<string, Operation>)[method.toLowerCase()];
const statuses = (op: Operation) => Object.keys(op.responses).map(Number);

describe('the OpenAPI document built from the route tables', () => {
  it('is OpenAPI 3.1 and lists every route of ROUTES, and nothing else', () => {
    expect(OPENAPI_DOCUMENT.openapi).toBe('3.1.0');
    const documented = Object.entries(OPENAPI_DOCUMENT.paths ?? {}).flatMap(([path, item]) =>
      Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(ROUTES.map((r) => `${r.method} ${openApiPath(r.path)}`).sort());
  });

  it('describes a request body with the very zod schema the route validates with', () => {
    const registry = new OpenAPIRegistry();
    registry.registerPath({
      method: 'post',
      path: '/x',
      request: { body: { content: { 'application/json': { schema: confirmSchema } } } },
      responses: {},
    });
    const alone = new OpenApiGeneratorV31(registry.definitions).generateDocument({
      openapi: '3.1.0',
      info: { title: 'x', version: '1' },
    });
    const expected = (alone.paths?.['/x'] as Record<string, Operation>).post.requestBody;

    expect(operation('POST', '/v1/payments/confirm').requestBody?.content).toEqual(expected?.content);
  });

  it('asks for a bearer token on every route but the public ones', () => {
    for (const route of ROUTES) {
      const op = operation(route.method, route.path);
      expect({ route: route.path, security: op.security }).toEqual({
        route: route.path,
        security: route.access === 'public' ? [] : [{ bearerAuth: [] }],
      });
      if (route.access !== 'public') expect(statuses(op)).toContain(401);
    }
  });

  it('documents the Idempotency-Key header and its 409 and 422 on the POSTs that honour it', () => {
    for (const route of ROUTES.filter((r): r is CommandRoute => r.method === 'POST')) {
      const op = operation(route.method, route.path);
      const hasKey = (op.parameters ?? []).some((p) => p.$ref === '#/components/parameters/IdempotencyKey');
      expect({ route: route.path, hasKey }).toEqual({ route: route.path, hasKey: route.idempotencyKey });
      if (route.idempotencyKey) {
        const codes = JSON.stringify([op.responses[409], op.responses[422]]);
        expect(codes).toContain('IDEMPOTENCY_KEY_IN_USE');
        expect(codes).toContain('IDEMPOTENCY_KEY_REUSED');
      }
    }
    expect(JSON.stringify(OPENAPI_DOCUMENT.components?.parameters)).toMatch(
      /replayed[\s\S]*IDEMPOTENCY_KEY_REUSED/,
    );
  });

  it('documents limit and cursor on the lists, and nextCursor in their pages', () => {
    const op = operation('GET', '/v1/users/:userId/payments');
    expect((op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name)).toEqual([
      'limit',
      'cursor',
    ]);
    expect(op.responses[200].content?.['application/json'].schema).toEqual({
      $ref: '#/components/schemas/PaymentPage',
    });
    expect(OPENAPI_DOCUMENT.components?.schemas?.PaymentPage).toMatchObject({
      required: ['items', 'nextCursor'],
    });
  });

  it("answers each route's problems as problem+json, with the codes it can give by status", () => {
    const confirm = JSON.stringify(operation('POST', '/v1/payments/confirm').responses);
    for (const code of ['AMOUNT_MISMATCH', 'ORDER_EXPIRED', 'PAYMENT_REJECTED', 'PG_PAYMENT_ALREADY_USED'])
      expect(confirm).toContain(code);
    const problem = operation('GET', '/v1/users/me/subscription').responses[404].content;
    expect(Object.keys(problem ?? {})).toEqual(['application/problem+json']);
    expect(JSON.stringify(problem)).toContain('SUBSCRIPTION_NOT_FOUND');
  });
});
