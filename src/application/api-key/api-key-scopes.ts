/**
 * What a merchant backend's API key may do. A key acts with the admin role, limited to the
 * routes its scopes name (the HTTP layer maps routes to scopes); it never acts as a user, so it
 * cannot place orders or confirm payments for a buyer.
 */
export const API_KEY_SCOPES = [
  'orders:read',
  'payments:read',
  'refunds:write',
  'subscriptions:read',
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export function isApiKeyScope(value: unknown): value is ApiKeyScope {
  return typeof value === 'string' && (API_KEY_SCOPES as readonly string[]).includes(value);
}
