import { verifyJwtWindow, type Principal, type VerifiedToken } from './jwt';

const MAX_ENTRIES = 10_000;

/**
 * Tokens already verified, with their validity window: a client sends the same token with
 * every request, so the signature is checked once. Each use still checks the window against
 * the wall clock, so an expired token is refused exactly as without the cache.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, VerifiedToken>();

  constructor(private readonly secret: string) {}

  /** The token's principal; throws JwtError as verifyJwt does. */
  verify(token: string, nowSeconds: number): Principal {
    const cached = this.entries.get(token);
    if (cached && nowSeconds >= cached.notBefore && nowSeconds < cached.expiresAt) return cached.principal;
    if (cached) this.entries.delete(token);
    const verified = verifyJwtWindow(token, this.secret, nowSeconds);
    // Bounded: when full, start over rather than track recency (a miss only costs a verify).
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(token, verified);
    return verified.principal;
  }
}
