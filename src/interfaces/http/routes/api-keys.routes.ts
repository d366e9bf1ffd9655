import { z } from 'zod';
import { API_KEY_SCOPES } from '../../../application/api-key/api-key-scopes';
import { apiKeySchema, createdApiKeySchema } from '../openapi/operations.schemas';
import { pageOf } from '../openapi/response.schemas';
import { callerOf, type RouteTable } from '../routing/route';
import { parsePart } from '../validation/parse';

export const createApiKeySchema = z
  .object({
    name: z
      .string({ required_error: 'is required', invalid_type_error: 'must be a string' })
      .trim()
      .min(1, 'must not be empty')
      .max(100, 'must be at most 100 characters'),
    scopes: z
      .array(
        z.enum(API_KEY_SCOPES, {
          errorMap: () => ({ message: `must be one of ${API_KEY_SCOPES.join(', ')}` }),
        }),
        {
          required_error: 'is required',
          invalid_type_error: 'must be an array of scopes',
        },
      )
      .min(1, 'must name at least one scope')
      .max(API_KEY_SCOPES.length * 2),
  })
  .strict();
export const apiKeyParams = z.object({
  id: z.string().regex(/^[0-9a-f]{16}$/, 'must be an API key id (16 hex digits)'),
});

/**
 * Merchant backends' API keys, managed by admins (a key itself can never call these). The
 * secret is in the create answer only; it is stored hashed and cannot be shown again. No
 * Idempotency-Key on create: a replay would have to store the secret.
 */
export const API_KEY_ROUTES: RouteTable = [
  {
    method: 'POST',
    path: '/v1/admin/api-keys',
    access: ['admin'],
    idempotencyKey: false,
    body: 'json',
    openapi: {
      summary: "Create a merchant backend's API key; its secret is in this answer only",
      request: { body: createApiKeySchema },
      responses: { 201: { description: 'the key, with its secret', schema: createdApiKeySchema } },
    },
    async run(request, ctx) {
      const body = parsePart(createApiKeySchema, request.body, 'body');
      const { key, secret } = await ctx.app.apiKeys.create({
        name: body.name,
        scopes: body.scopes,
        createdBy: callerOf(request).userId,
      });
      return { status: 201, json: { ...key, secret }, headers: { 'Cache-Control': 'no-store' } };
    },
  },
  {
    method: 'GET',
    path: '/v1/admin/api-keys',
    access: ['admin'],
    openapi: {
      summary: 'Every API key, revoked ones too, never a secret',
      responses: { 200: { description: 'one page', schema: pageOf(apiKeySchema, 'ApiKeyPage') } },
    },
    answer: async (_request, ctx) => ({ json: { items: await ctx.app.apiKeys.list(), nextCursor: null } }),
  },
  {
    method: 'DELETE',
    path: '/v1/admin/api-keys/:id',
    access: ['admin'],
    idempotencyKey: false,
    body: 'json',
    openapi: {
      summary: 'Revoke an API key: refused from its next request on',
      request: { params: apiKeyParams },
      responses: { 200: { description: 'the key, revoked', schema: apiKeySchema } },
      errors: ['NOT_FOUND'],
    },
    async run(request, ctx) {
      const { id } = parsePart(apiKeyParams, request.params, 'params');
      return { status: 200, json: await ctx.app.apiKeys.revoke(id) };
    },
  },
];
