import { loadSettings, SettingsError } from '../../../src/infrastructure/config/settings';
import { describeSettings } from '../../../src/infrastructure/config/settings-summary';

const LIVE = {
  AUDIT_SIGNING_KEY_FILE: '/run/secrets/audit-signing-key.pem',
  PAYMENTS_MODE: 'live',
  JWT_SECRET: 'live-jwt-secret-0123456789abcdefghijkl',
  TOSS_SECRET_KEY: 'live_sk_very_secret_toss_key',
  PORTONE_API_KEY: 'portone-live-key-123',
  PORTONE_API_SECRET: 'portone-live-secret-456',
};

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadSettings(env);
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
  throw new Error('settings were accepted');
}

describe('identity settings', () => {
  it('defaults to HS256 only, the role claim `role` and a 24 h maximum token lifetime', () => {
    expect(loadSettings({}).identity).toEqual({
      jwksUrl: undefined,
      issuer: undefined,
      audience: undefined,
      roleClaim: 'role',
      maxLifetimeSeconds: 86_400,
      jwksCooldownSeconds: 30,
    });
  });

  it('reads the identity provider, a comma-separated audience and a nested role claim', () => {
    const s = loadSettings({
      ...LIVE,
      JWT_JWKS_URL: 'https://idp.example.com/realms/shop/protocol/openid-connect/certs',
      JWT_ISSUER: 'https://idp.example.com/realms/shop',
      JWT_AUDIENCE: 'ledgerline, account',
      JWT_ROLE_CLAIM: 'realm_access.roles',
      JWT_MAX_LIFETIME_SECONDS: '3600',
    });
    expect(s.identity).toMatchObject({
      jwksUrl: 'https://idp.example.com/realms/shop/protocol/openid-connect/certs',
      issuer: 'https://idp.example.com/realms/shop',
      audience: ['ledgerline', 'account'],
      roleClaim: 'realm_access.roles',
      maxLifetimeSeconds: 3600,
    });
  });

  it('lists every identity problem at once, naming the variable and never the value', () => {
    const found = problems({
      JWT_JWKS_URL: 'ftp://user:hunter2@idp',
      JWT_ROLE_CLAIM: 'realm_access..roles',
      JWT_MAX_LIFETIME_SECONDS: '10',
    });
    expect(found).toEqual([
      'JWT_JWKS_URL: must be an http:// or https:// URL',
      'JWT_ROLE_CLAIM: must be a claim name or a dot path such as realm_access.roles',
      'JWT_MAX_LIFETIME_SECONDS: must be a whole number of seconds from 60 to 31536000',
    ]);
    expect(found.join('\n')).not.toContain('hunter2');
  });

  it('refuses an issuer or audience without a JWKS, which would check nothing', () => {
    expect(problems({ JWT_ISSUER: 'https://idp', JWT_AUDIENCE: 'x' })).toEqual([
      'JWT_ISSUER: only applies with JWT_JWKS_URL',
      'JWT_AUDIENCE: only applies with JWT_JWKS_URL',
    ]);
  });

  it('requires https for the JWKS in live mode, except on loopback', () => {
    expect(problems({ ...LIVE, JWT_JWKS_URL: 'http://idp.example.com/certs' })).toEqual([
      'JWT_JWKS_URL: must be https:// in live mode (http:// only on loopback)',
    ]);
    expect(loadSettings({ ...LIVE, JWT_JWKS_URL: 'http://127.0.0.1:8080/certs' }).identity.jwksUrl).toBe(
      'http://127.0.0.1:8080/certs',
    );
  });

  it('logs the JWKS URL without credentials', () => {
    const s = loadSettings({ JWT_JWKS_URL: 'https://user:s3cret@idp.example.com/certs?token=abc' });
    const text = JSON.stringify(describeSettings(s));
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain('abc');
  });
});
