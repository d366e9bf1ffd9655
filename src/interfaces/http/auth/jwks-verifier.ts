import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { USER_ID_PATTERN } from '../validation/common.schemas';
import { JwtError, type VerifiedToken } from './jwt';
import { roleFromClaims } from './role-claim';

/** The asymmetric algorithms accepted from an identity provider. */
export const IDP_ALGORITHMS = ['RS256', 'ES256'] as const;

export interface JwksVerifierOptions {
  jwksUrl: string;
  issuer?: string;
  audience?: string[];
  roleClaim: string;
  /** Shortest gap between two fetches caused by an unknown `kid`. */
  cooldownMs: number;
  /** Keys are fetched again after this long, even if every `kid` is known. */
  cacheMaxAgeMs?: number;
  /** A JWKS fetch that takes longer fails (the request gets 401, keys unavailable). */
  timeoutMs?: number;
}

/**
 * RS256 / ES256 tokens from an identity provider, verified with jose against its JWKS. jose
 * caches the key set, fetches it again when a token names a `kid` it does not hold (at most
 * once per cooldown, so a flood of made-up kids cannot hammer the provider) and when the cache
 * ages out, so a key rotation needs no restart. Expiry is judged at `nowSeconds` (wall clock).
 */
export class JwksVerifier {
  private readonly keys;

  constructor(private readonly options: JwksVerifierOptions) {
    this.keys = createRemoteJWKSet(new URL(options.jwksUrl), {
      cooldownDuration: options.cooldownMs,
      cacheMaxAge: options.cacheMaxAgeMs ?? 10 * 60_000,
      timeoutDuration: options.timeoutMs ?? 5_000,
    });
  }

  async verify(token: string, nowSeconds: number): Promise<VerifiedToken> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        algorithms: [...IDP_ALGORITHMS],
        issuer: this.options.issuer,
        audience: this.options.audience,
        currentDate: new Date(nowSeconds * 1000),
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      throw asJwtError(error);
    }
    const { sub, exp, nbf } = payload;
    if (typeof sub !== 'string' || !USER_ID_PATTERN.test(sub))
      throw new JwtError('invalid_claims', 'token sub claim is missing or invalid');
    const role = roleFromClaims(payload, this.options.roleClaim);
    if (!role) throw new JwtError('invalid_claims', 'token carries none of the roles user, admin, auditor');
    return { principal: { userId: sub, role }, notBefore: nbf ?? 0, expiresAt: exp as number };
  }
}

/** jose's failures as the reasons the authenticator answers with. */
function asJwtError(error: unknown): JwtError {
  if (error instanceof errors.JWTExpired) return new JwtError('expired', 'token expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return new JwtError('not_yet_valid', 'token is not valid yet');
    return new JwtError('invalid_claims', `token ${error.claim} claim is invalid`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported)
    return new JwtError('unsupported_alg', 'token algorithm is not accepted');
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new JwtError('bad_signature', 'token signature is invalid');
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
    return new JwtError('unknown_key', 'no key of the identity provider matches the token');
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid)
    return new JwtError('malformed', 'token is malformed');
  // A timeout, an unreachable provider, a non-200 answer or an unusable key set: not the caller's fault.
  return new JwtError('keys_unavailable', 'the identity provider keys could not be fetched');
}
