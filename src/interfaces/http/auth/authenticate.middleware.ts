import type { RequestHandler, Response } from 'express';
import { DomainError } from '../../../domain/shared/domain-error';
import { sendProblem } from '../problem/problem-details';
import { BEARER_CHALLENGE, BearerAuthenticator } from './bearer-authenticator';
import { isRole, type Principal, type Role } from './jwt';

/** Where the authenticated caller lives for the rest of the request. */
const PRINCIPAL = 'principal';

/**
 * Requires `Authorization: Bearer <jwt>` (or an API key: bearer-authenticator.ts). The user id
 * always comes from the credential, never from the body or the path. Takes the service's
 * authenticator, or a secret (and a clock for tests).
 */
export function authenticate(
  secretOrBearer: string | BearerAuthenticator,
  nowSeconds?: () => number,
): RequestHandler {
  const bearer =
    typeof secretOrBearer === 'string' ? new BearerAuthenticator(secretOrBearer, nowSeconds) : secretOrBearer;
  return async (req, res, next) => {
    const check = await bearer.check(req.headers.authorization, req.headers['x-api-key']);
    if (!check.ok) {
      res.set('WWW-Authenticate', check.challenge);
      return sendProblem(res, 'UNAUTHENTICATED', check.detail);
    }
    res.locals[PRINCIPAL] = check.principal;
    next();
  };
}

/** 403 unless the caller has one of the roles; mount after `authenticate`. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (_req, res, next) => {
    const principal = findPrincipal(res);
    if (!principal) {
      res.set('WWW-Authenticate', BEARER_CHALLENGE);
      return sendProblem(res, 'UNAUTHENTICATED', 'a bearer token is required');
    }
    if (!roles.includes(principal.role)) {
      return sendProblem(res, 'FORBIDDEN', `this action requires the role ${roles.join(' or ')}`);
    }
    next();
  };
}

/** The caller, or undefined on routes that do not authenticate (webhooks, public reads). */
export function findPrincipal(res: Response): Principal | undefined {
  const value: unknown = res.locals[PRINCIPAL];
  if (typeof value !== 'object' || value === null) return undefined;
  const { userId, role, apiKey } = value as Principal;
  if (typeof userId !== 'string' || !isRole(role)) return undefined;
  return apiKey ? { userId, role, apiKey } : { userId, role };
}

/** The caller on an authenticated route; a missing principal is refused, never guessed. */
export function principalOf(res: Response): Principal {
  const principal = findPrincipal(res);
  if (!principal) throw new DomainError('UNAUTHENTICATED', 'a bearer token is required');
  return principal;
}
