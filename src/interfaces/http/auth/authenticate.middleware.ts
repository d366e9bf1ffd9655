import type { RequestHandler, Response } from 'express';
import { DomainError } from '../../../domain/shared/domain-error';
import { sendProblem } from '../problem/problem-details';
import { isRole, JwtError, type Principal, type Role } from './jwt';
import { VerifiedTokenCache } from './verified-token-cache';

/** Where the authenticated caller lives for the rest of the request. */
const PRINCIPAL = 'principal';
const CHALLENGE = 'Bearer realm="ledgerline"';
const BEARER = /^Bearer +(\S+)$/i;

const wallClockSeconds = (): number => Math.floor(Date.now() / 1000);

/**
 * Requires `Authorization: Bearer <jwt>`. The user id always comes from the token, never from
 * the body or the path. `nowSeconds` is injectable for tests; the service uses the wall clock.
 */
export function authenticate(secret: string, nowSeconds: () => number = wallClockSeconds): RequestHandler {
  const verified = new VerifiedTokenCache(secret);
  return (req, res, next) => {
    const header = req.headers.authorization;
    if (header === undefined || header.trim() === '') {
      res.set('WWW-Authenticate', CHALLENGE);
      return sendProblem(res, 'UNAUTHENTICATED', 'a bearer token is required');
    }
    const match = BEARER.exec(header.trim());
    if (!match?.[1]) return refuseToken(res, 'the Authorization header must be "Bearer <token>"');
    try {
      res.locals[PRINCIPAL] = verified.verify(match[1], nowSeconds());
    } catch (error) {
      if (!(error instanceof JwtError)) throw error;
      return refuseToken(res, error.reason === 'expired' ? 'the token has expired' : 'the token is invalid');
    }
    next();
  };
}

/** 403 unless the caller has one of the roles; mount after `authenticate`. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (_req, res, next) => {
    const principal = findPrincipal(res);
    if (!principal) {
      res.set('WWW-Authenticate', CHALLENGE);
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
  const { userId, role } = value as Record<string, unknown>;
  return typeof userId === 'string' && isRole(role) ? { userId, role } : undefined;
}

/** The caller on an authenticated route; a missing principal is refused, never guessed. */
export function principalOf(res: Response): Principal {
  const principal = findPrincipal(res);
  if (!principal) throw new DomainError('UNAUTHENTICATED', 'a bearer token is required');
  return principal;
}

function refuseToken(res: Response, detail: string): void {
  // RFC 6750 §3: a presented but unusable token is "invalid_token".
  res.set('WWW-Authenticate', `${CHALLENGE}, error="invalid_token"`);
  sendProblem(res, 'UNAUTHENTICATED', detail);
}
