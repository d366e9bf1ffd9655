import { JwtError, type Principal } from './jwt';
import { VerifiedTokenCache } from './verified-token-cache';

export const BEARER_CHALLENGE = 'Bearer realm="ledgerline"';
const BEARER = /^Bearer +(\S+)$/i;

const wallClockSeconds = (): number => Math.floor(Date.now() / 1000);

/** Who the caller is, or why not: `challenge` goes into WWW-Authenticate with the 401. */
export type BearerCheck =
  { ok: true; principal: Principal } | { ok: false; detail: string; challenge: string };

/**
 * Judges an `Authorization: Bearer <jwt>` header, framework-free (the Express middleware and
 * the fast read path share one). `nowSeconds` is injectable for tests; the service uses the
 * wall clock.
 */
export class BearerAuthenticator {
  private readonly verified: VerifiedTokenCache;

  constructor(
    secret: string,
    private readonly nowSeconds: () => number = wallClockSeconds,
  ) {
    this.verified = new VerifiedTokenCache(secret);
  }

  check(header: string | undefined): BearerCheck {
    if (header === undefined || header.trim() === '') {
      return { ok: false, detail: 'a bearer token is required', challenge: BEARER_CHALLENGE };
    }
    const match = BEARER.exec(header.trim());
    if (!match?.[1]) return invalidToken('the Authorization header must be "Bearer <token>"');
    try {
      return { ok: true, principal: this.verified.verify(match[1], this.nowSeconds()) };
    } catch (error) {
      if (!(error instanceof JwtError)) throw error;
      return invalidToken(error.reason === 'expired' ? 'the token has expired' : 'the token is invalid');
    }
  }
}

// RFC 6750 §3: a presented but unusable token is "invalid_token".
function invalidToken(detail: string): BearerCheck {
  return { ok: false, detail, challenge: `${BEARER_CHALLENGE}, error="invalid_token"` };
}
