import type { Application } from '../../../application/application';
import type { Settings } from '../../../infrastructure/composition';
import { BearerAuthenticator } from './bearer-authenticator';
import { JwksVerifier } from './jwks-verifier';
import { TokenVerifier } from './token-verifier';

/**
 * The service's one authenticator: HS256 with JWT_SECRET, RS256/ES256 from the identity
 * provider when JWT_JWKS_URL is set, and the application's API keys.
 */
export function authenticatorFromSettings(settings: Settings, app: Application): BearerAuthenticator {
  const { identity } = settings;
  const jwks = identity.jwksUrl
    ? new JwksVerifier({
        jwksUrl: identity.jwksUrl,
        issuer: identity.issuer,
        audience: identity.audience,
        roleClaim: identity.roleClaim,
        cooldownMs: identity.jwksCooldownSeconds * 1000,
      })
    : undefined;
  const tokens = new TokenVerifier({
    hs256Secret: settings.jwtSecret,
    jwks,
    maxLifetimeSeconds: identity.maxLifetimeSeconds,
  });
  return new BearerAuthenticator({ tokens, apiKeys: app.apiKeys });
}
