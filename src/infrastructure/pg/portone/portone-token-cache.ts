import type { Clock } from '../../../application/ports/clock.port';
import type { PgResult } from '../../../application/ports/payment-gateway.port';

export interface FetchedToken {
  accessToken: string;
  /** The server's `expired_at − now`, in ms: immune to skew between our clock and PortOne's. */
  lifetimeMs: number;
}

/** Stop using a token this long before PortOne says it expires. */
export const TOKEN_REFRESH_MARGIN_MS = 60_000;

/**
 * Caches the PortOne access token. Concurrent callers share one in-flight getToken request, and
 * a token rejected with 401 is dropped (only if it is still the cached one, so a newer token
 * fetched meanwhile survives).
 */
export class PortoneTokenCache {
  private cached: { token: string; validUntil: number } | null = null;
  private inFlight: Promise<PgResult<string>> | null = null;

  constructor(
    private readonly fetchToken: () => Promise<PgResult<FetchedToken>>,
    private readonly clock: Clock,
  ) {}

  get(): Promise<PgResult<string>> {
    if (this.cached && this.clock.now() < this.cached.validUntil) {
      return Promise.resolve({ kind: 'ok', value: this.cached.token });
    }
    if (!this.inFlight) {
      this.inFlight = this.refresh().finally(() => {
        this.inFlight = null;
      });
    }
    return this.inFlight;
  }

  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = null;
  }

  private async refresh(): Promise<PgResult<string>> {
    // Measured before the request: the token's life starts no later than this on our clock.
    const requestedAt = this.clock.now();
    const result = await this.fetchToken();
    if (result.kind !== 'ok') return result;
    const { accessToken, lifetimeMs } = result.value;
    this.cached = {
      token: accessToken,
      validUntil: requestedAt + Math.max(0, lifetimeMs - TOKEN_REFRESH_MARGIN_MS),
    };
    return { kind: 'ok', value: accessToken };
  }
}
