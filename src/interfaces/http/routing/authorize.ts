import type { RequestHandler } from 'express';
import { scopeForRoute } from '../auth/api-key-access';
import { findPrincipal } from '../auth/authenticate.middleware';
import { BEARER_CHALLENGE } from '../auth/bearer-authenticator';
import type { Principal } from '../auth/jwt';
import { sendProblem } from '../problem/problem-details';
import type { Route } from './route';

/**
 * Why an authenticated caller may not call this route (403 FORBIDDEN), or null when it may:
 * the route's roles for a token, the key's scopes for an API key. Express and both fast paths
 * ask this one function.
 */
export function accessDenial(route: Route, principal: Principal): string | null {
  if (route.access === 'public') return null;
  if (principal.apiKey) {
    const scope = scopeForRoute(route.method, route.path);
    if (scope === null) return 'an API key cannot call this route';
    if (!principal.apiKey.scopes.includes(scope)) return `this API key lacks the scope ${scope}`;
  }
  if (route.access === 'caller' || route.access.includes(principal.role)) return null;
  return `this action requires the role ${route.access.join(' or ')}`;
}

/** `accessDenial` as Express middleware; mount after `authenticate`. */
export function authorizeRoute(route: Route): RequestHandler {
  return (_req, res, next) => {
    const principal = findPrincipal(res);
    if (!principal) {
      res.set('WWW-Authenticate', BEARER_CHALLENGE);
      return sendProblem(res, 'UNAUTHENTICATED', 'a bearer token is required');
    }
    const denial = accessDenial(route, principal);
    if (denial !== null) return sendProblem(res, 'FORBIDDEN', denial);
    next();
  };
}
