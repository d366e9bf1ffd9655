import { ROLES, type Role } from './jwt';

/**
 * The role in an identity provider's token, found by `JWT_ROLE_CLAIM`:
 * - a claim name taken as it is first (namespaced claims such as `https://example.com/role`
 *   contain dots), otherwise a dot path into nested objects (`realm_access.roles`);
 * - its value a role, or an array of strings (an IdP's role or group list) of which the first of
 *   `user`, `admin`, `auditor` present, in that order, is taken: a token listing several gets the
 *   least powerful, so no list order decides privilege. Anything else: no role.
 */
export function roleFromClaims(claims: Record<string, unknown>, roleClaim: string): Role | null {
  const value = claimAt(claims, roleClaim);
  if (typeof value === 'string') return isOurRole(value) ? value : null;
  if (Array.isArray(value)) return ROLES.find((role) => value.includes(role)) ?? null;
  return null;
}

function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  let current: unknown = claims;
  for (const segment of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

const isOurRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
