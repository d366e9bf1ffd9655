import { IDP_ALGORITHMS, JwksVerifier } from './jwks-verifier';
import { algOf, JwtError, verifyJwtWindow, type Principal, type VerifiedToken } from './jwt';
import { VerifiedTokenCache } from './verified-token-cache';

/** The default cap on how far ahead a token's exp may lie: a day. */
export const DEFAULT_MAX_LIFETIME_SECONDS = 24 * 3_600;

export interface TokenVerifierOptions {
  /** HS256 secret (JWT_SECRET): the sandbox's and simple set-ups' tokens. */
  hs256Secret: string;
  /** The identity provider's verifier, when JWT_JWKS_URL is set. */
  jwks?: JwksVerifier;
  /** A token whose exp lies further ahead than this is refused, whoever signed it. */
  maxLifetimeSeconds: number;
}

/**
 * Any bearer JWT the service accepts: the header's `alg` picks the verifier (HS256 with the
 * shared secret, RS256/ES256 against the identity provider's JWKS); `none` and every other
 * algorithm are refused before any key is looked at. Verified tokens are cached for their
 * window, so the asynchronous JWKS path is taken once per token, not once per request.
 */
export class TokenVerifier {
  private readonly cache = new VerifiedTokenCache();

  constructor(private readonly options: TokenVerifierOptions) {}

  /** The token's principal at `nowSeconds` (wall clock); throws JwtError. */
  async verify(token: string, nowSeconds: number): Promise<Principal> {
    const cached = this.cache.get(token, nowSeconds);
    if (cached) return cached;
    const verified = await this.verifyFresh(token, nowSeconds);
    // A token valid for longer than the cap is refused even though its signature is good: a
    // leaked long-lived token would otherwise be usable for as long as its issuer chose.
    if (verified.expiresAt - nowSeconds > this.options.maxLifetimeSeconds) {
      throw new JwtError('lifetime_too_long', 'token expiry lies beyond the maximum token lifetime');
    }
    this.cache.set(token, verified);
    return verified.principal;
  }

  private async verifyFresh(token: string, nowSeconds: number): Promise<VerifiedToken> {
    const alg = algOf(token);
    if (alg === null) throw new JwtError('malformed', 'token is not a JWT');
    if (alg === 'HS256') return verifyJwtWindow(token, this.options.hs256Secret, nowSeconds);
    const jwks = this.options.jwks;
    if (jwks && (IDP_ALGORITHMS as readonly string[]).includes(alg)) return jwks.verify(token, nowSeconds);
    throw new JwtError('unsupported_alg', `tokens signed with ${alg.slice(0, 20)} are not accepted`);
  }
}
