import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ApiKeyIdentity } from '../../../application/api-key/api-keys';
import { USER_ID_PATTERN } from '../validation/common.schemas';

/**
 * HS256 JWTs, hand-rolled on node:crypto so the accepted algorithm is exactly one. Tokens from
 * an identity provider (RS256/ES256) are jose's, in jwks-verifier.ts; token-verifier.ts picks.
 */
export const ROLES = ['user', 'admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  userId: string;
  role: Role;
  /** Set when a merchant backend's API key authenticated: the role is limited to its scopes. */
  apiKey?: ApiKeyIdentity;
}

export interface JwtClaims {
  sub: string;
  role: Role;
  [claim: string]: unknown;
}

export type JwtFailure =
  | 'malformed'
  | 'unsupported_alg'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'invalid_claims'
  /** exp lies further ahead than the service's maximum token lifetime. */
  | 'lifetime_too_long'
  /** No key in the identity provider's JWKS has the token's kid. */
  | 'unknown_key'
  /** The identity provider's JWKS could not be fetched. */
  | 'keys_unavailable';

export class JwtError extends Error {
  constructor(
    readonly reason: JwtFailure,
    message: string,
  ) {
    super(message);
    this.name = 'JwtError';
  }
}

const MAX_TOKEN_LENGTH = 8192; // far above a real token; bounds the work an attacker can ask for
const SEGMENT = /^[A-Za-z0-9_-]+$/;
const HEADER = { alg: 'HS256', typ: 'JWT' };

export function signJwt(
  claims: JwtClaims,
  secret: string,
  options: { expiresInSeconds: number; nowSeconds: number },
): string {
  assertSecret(secret);
  const payload = { ...claims, iat: options.nowSeconds, exp: options.nowSeconds + options.expiresInSeconds };
  const signingInput = `${encodeJson(HEADER)}.${encodeJson(payload)}`;
  return `${signingInput}.${signature(signingInput, secret)}`;
}

/** `nowSeconds` is wall-clock time: token expiry never follows the sandbox clock. */
export function verifyJwt(token: string, secret: string, nowSeconds: number): Principal {
  return verifyJwtWindow(token, secret, nowSeconds).principal;
}

/** A verified token's principal and the wall-clock window (seconds) in which it is valid. */
export interface VerifiedToken {
  principal: Principal;
  notBefore: number;
  expiresAt: number;
}

export function verifyJwtWindow(token: string, secret: string, nowSeconds: number): VerifiedToken {
  assertSecret(secret);
  if (token.length > MAX_TOKEN_LENGTH) throw new JwtError('malformed', 'token too long');
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => SEGMENT.test(part))) {
    throw new JwtError('malformed', 'token is not three base64url segments');
  }
  const [encodedHeader, encodedPayload, encodedSignature] = parts as [string, string, string];

  const header = decodeJson(encodedHeader, 'header');
  // Only HS256: `none`, RS256 (the key-confusion attack) and anything else are refused up front.
  if (header.alg !== 'HS256') throw new JwtError('unsupported_alg', 'only HS256 tokens are accepted');
  if (header.typ !== undefined && header.typ !== 'JWT')
    throw new JwtError('malformed', 'token type is not JWT');
  if (header.crit !== undefined)
    throw new JwtError('malformed', 'critical header extensions are not supported');

  // Compare the encoded strings, so a non-canonical encoding of the right bytes is refused too.
  const expected = Buffer.from(signature(`${encodedHeader}.${encodedPayload}`, secret));
  const given = Buffer.from(encodedSignature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new JwtError('bad_signature', 'token signature is invalid');
  }

  const payload = decodeJson(encodedPayload, 'payload');
  checkTimes(payload, nowSeconds);
  const { exp, nbf } = payload as { exp: number; nbf?: number };
  return { principal: principalFrom(payload), notBefore: nbf ?? 0, expiresAt: exp };
}

/** The `alg` of a token's header, or null when the token is not a JWT at all. */
export function algOf(token: string): string | null {
  if (token.length > MAX_TOKEN_LENGTH) return null;
  const dot = token.indexOf('.');
  const encodedHeader = token.slice(0, dot);
  if (dot <= 0 || !SEGMENT.test(encodedHeader)) return null;
  try {
    const { alg } = decodeJson(encodedHeader, 'header');
    return typeof alg === 'string' ? alg : null;
  } catch {
    return null;
  }
}

function checkTimes(payload: Record<string, unknown>, nowSeconds: number): void {
  const { exp, nbf } = payload;
  // exp is required: a token without one would be valid forever.
  if (!isNumericDate(exp)) throw new JwtError('invalid_claims', 'token has no valid exp claim');
  if (nowSeconds >= exp) throw new JwtError('expired', 'token expired');
  if (nbf !== undefined) {
    if (!isNumericDate(nbf)) throw new JwtError('invalid_claims', 'token nbf claim is invalid');
    if (nowSeconds < nbf) throw new JwtError('not_yet_valid', 'token is not valid yet');
  }
}

function principalFrom(payload: Record<string, unknown>): Principal {
  const { sub, role } = payload;
  if (typeof sub !== 'string' || !USER_ID_PATTERN.test(sub)) {
    throw new JwtError('invalid_claims', 'token sub claim is missing or invalid');
  }
  if (!isRole(role)) throw new JwtError('invalid_claims', 'token role claim is missing or invalid');
  return { userId: sub, role };
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function signature(signingInput: string, secret: string): string {
  return createHmac('sha256', secret).update(signingInput).digest('base64url');
}

function encodeJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function decodeJson(segment: string, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw new JwtError('malformed', `token ${what} is not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new JwtError('malformed', `token ${what} is not a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

function assertSecret(secret: string): void {
  // A programming error, not a client one: never sign or verify with an empty key.
  if (typeof secret !== 'string' || secret.length === 0)
    throw new Error('JWT secret must be a non-empty string');
}
