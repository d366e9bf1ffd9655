import type { Principal, VerifiedToken } from './jwt';

const MAX_ENTRIES = 10_000;

/**
 * Tokens already verified, with their validity window: a client sends the same token with
 * every request, so the signature is checked once (for an identity provider's token, no key
 * lookup either). Each use still checks the window against the wall clock, so an expired token
 * is refused exactly as without the cache. Only verified tokens are kept.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, VerifiedToken>();

  /** The principal of a cached token still inside its window at `nowSeconds`, else undefined. */
  get(token: string, nowSeconds: number): Principal | undefined {
    const cached = this.entries.get(token);
    if (!cached) return undefined;
    if (nowSeconds >= cached.notBefore && nowSeconds < cached.expiresAt) return cached.principal;
    this.entries.delete(token);
    return undefined;
  }

  set(token: string, verified: VerifiedToken): void {
    // Bounded: when full, start over rather than track recency (a miss only costs a verify).
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(token, verified);
  }
}
