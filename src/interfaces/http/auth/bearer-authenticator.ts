import { API_KEY_PREFIX, type ApiKeyCheck, type ApiKeyIdentity } from '../../../application/api-key/api-keys';
import { JwtError, type JwtFailure, type Principal } from './jwt';
import { DEFAULT_MAX_LIFETIME_SECONDS, TokenVerifier } from './token-verifier';

export const BEARER_CHALLENGE = 'Bearer realm="ledgerline"';
const BEARER = /^Bearer +(\S+)$/i;

const wallClockSeconds = (): number => Math.floor(Date.now() / 1000);

/** Who the caller is, or why not: `challenge` goes into WWW-Authenticate with the 401. */
export type BearerCheck =
  { ok: true; principal: Principal } | { ok: false; detail: string; challenge: string };

/** Checks an API key's text (`ll_...`); the application's ApiKeys in the service. */
export interface ApiKeyChecker {
  check(text: string): Promise<ApiKeyCheck>;
}

export interface BearerAuthenticatorOptions {
  tokens: TokenVerifier;
  /** Unset: API keys are refused like any unknown token. */
  apiKeys?: ApiKeyChecker;
}

/** An API key acts with the admin role, limited by its scopes (see routing/authorize.ts). */
const apiKeyPrincipal = (key: ApiKeyIdentity): Principal => ({
  userId: `api-key:${key.id}`,
  role: 'admin',
  apiKey: key,
});

const DETAILS: Partial<Record<JwtFailure, string>> = {
  expired: 'the token has expired',
  lifetime_too_long: 'the token expires further ahead than the maximum token lifetime',
  keys_unavailable: "the token could not be verified: the identity provider's keys are unavailable",
};

/**
 * Judges a request's credentials, framework-free: the Express middleware and both fast paths
 * share one instance. Credentials are `Authorization: Bearer <jwt>`, or a merchant backend's
 * API key as `Authorization: Bearer ll_...` or `X-Api-Key: ll_...`. Asynchronous because an
 * identity provider's keys may have to be fetched and an API key is read from its store; a
 * token seen before is answered from the verified-token cache. `nowSeconds` is injectable for
 * tests; the service uses the wall clock, never the sandbox clock.
 */
export class BearerAuthenticator {
  private readonly tokens: TokenVerifier;
  private readonly apiKeys: ApiKeyChecker | undefined;

  constructor(
    secretOrOptions: string | BearerAuthenticatorOptions,
    private readonly nowSeconds: () => number = wallClockSeconds,
  ) {
    const options =
      typeof secretOrOptions === 'string'
        ? {
            tokens: new TokenVerifier({
              hs256Secret: secretOrOptions,
              maxLifetimeSeconds: DEFAULT_MAX_LIFETIME_SECONDS,
            }),
          }
        : secretOrOptions;
    this.tokens = options.tokens;
    this.apiKeys = options.apiKeys;
  }

  async check(authorization: string | undefined, apiKeyHeader?: string | string[]): Promise<BearerCheck> {
    const hasAuthorization = authorization !== undefined && authorization.trim() !== '';
    if (apiKeyHeader !== undefined) {
      if (hasAuthorization) return invalidToken('send either Authorization or X-Api-Key, not both');
      if (typeof apiKeyHeader !== 'string') return invalidToken('send one X-Api-Key header');
      return this.checkApiKey(apiKeyHeader.trim());
    }
    if (!hasAuthorization) {
      return { ok: false, detail: 'a bearer token is required', challenge: BEARER_CHALLENGE };
    }
    const match = BEARER.exec(authorization.trim());
    if (!match?.[1]) return invalidToken('the Authorization header must be "Bearer <token>"');
    const token = match[1];
    if (token.startsWith(API_KEY_PREFIX)) return this.checkApiKey(token);
    try {
      return { ok: true, principal: await this.tokens.verify(token, this.nowSeconds()) };
    } catch (error) {
      if (!(error instanceof JwtError)) throw error;
      return invalidToken(DETAILS[error.reason] ?? 'the token is invalid');
    }
  }

  private async checkApiKey(text: string): Promise<BearerCheck> {
    if (!this.apiKeys) return invalidToken('the API key is invalid');
    const checked = await this.apiKeys.check(text);
    if (checked.ok) return { ok: true, principal: apiKeyPrincipal(checked.key) };
    return invalidToken(
      checked.reason === 'revoked' ? 'the API key has been revoked' : 'the API key is invalid',
    );
  }
}

// RFC 6750 §3: a presented but unusable token is "invalid_token".
function invalidToken(detail: string): BearerCheck {
  return { ok: false, detail, challenge: `${BEARER_CHALLENGE}, error="invalid_token"` };
}
