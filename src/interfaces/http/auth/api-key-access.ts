import type { ApiKeyScope } from '../../../application/api-key/api-key-scopes';

/**
 * The routes a merchant backend's API key may call, each with the scope it needs. A key acts
 * with the admin role on these and nothing else: no admin console (keys cannot mint keys or
 * retry parked work), no audit, and no user's own routes (a key is not a buyer, so it places
 * no orders and confirms no payments). Public routes need no credential at all.
 */
export const SCOPE_OF_ROUTE: Readonly<Record<string, ApiKeyScope>> = {
  'GET /v1/orders/:orderId': 'orders:read',
  'GET /v1/payments/:orderId': 'payments:read',
  'GET /v1/users/:userId/payments': 'payments:read',
  'GET /v1/plans/:planId/payments': 'payments:read',
  'GET /v1/users/:userId/subscription': 'subscriptions:read',
  'POST /v1/payments/:orderId/refunds': 'refunds:write',
};

/** The scope a key needs for this route of the tables, or null when no key may call it. */
export function scopeForRoute(method: string, path: string): ApiKeyScope | null {
  return SCOPE_OF_ROUTE[`${method} ${path}`] ?? null;
}
