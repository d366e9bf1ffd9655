import { SANDBOX_SECRETS } from './sandbox-secrets';
import type { Settings } from './settings';

/**
 * A log-safe view of the settings for the start-up line: secrets become "[set]" or
 * "[sandbox default]", and URLs lose their credentials and query strings.
 */
export function describeSettings(settings: Settings): Record<string, unknown> {
  return {
    port: settings.port,
    host: settings.host,
    paymentsMode: settings.paymentsMode,
    providers: [...settings.providers],
    corsOrigins: settings.corsOrigins.length > 0 ? [...settings.corsOrigins] : 'none (no CORS headers)',
    maxConnections: settings.maxConnections,
    dataDir: settings.dataDir,
    eventStore: settings.eventStoreUrl ? redactUrl(settings.eventStoreUrl) : `sqlite in ${settings.dataDir}`,
    readModels: settings.mongodbUrl
      ? `${redactUrl(settings.mongodbUrl)} (db ${settings.mongodbDb})`
      : settings.readModels === 'sqlite'
        ? `sqlite in ${settings.dataDir}`
        : 'memory (rebuilt at start)',
    jwtSecret: secretState(settings.jwtSecret, SANDBOX_SECRETS.JWT_SECRET),
    identity: {
      ...settings.identity,
      jwksUrl: settings.identity.jwksUrl ? redactUrl(settings.identity.jwksUrl) : 'none (HS256 only)',
    },
    toss: settings.providers.includes('toss')
      ? {
          apiBaseUrl: redactUrl(settings.toss.apiBaseUrl),
          secretKey: secretState(settings.toss.secretKey, SANDBOX_SECRETS.TOSS_SECRET_KEY),
        }
      : 'not configured',
    portone: settings.providers.includes('portone')
      ? {
          apiBaseUrl: redactUrl(settings.portone.apiBaseUrl),
          apiKey: secretState(settings.portone.apiKey, SANDBOX_SECRETS.PORTONE_API_KEY),
          apiSecret: secretState(settings.portone.apiSecret, SANDBOX_SECRETS.PORTONE_API_SECRET),
        }
      : 'not configured',
    orderTtlMinutes: settings.orderTtlMinutes,
    refundWindowDays: settings.refundWindowDays,
    pgTimeoutMs: settings.pgTimeoutMs,
    plans: settings.plans.map((plan) => `${plan.id}:${plan.code}`),
  };
}

function secretState(value: string, sandboxDefault: string): string {
  return value === sandboxDefault ? '[sandbox default]' : '[set]';
}

/** `mongodb://user:pw@h1,h2/db?authSource=x` → `mongodb://***@h1,h2/db?***`. Regex, since multi-host URLs are not WHATWG URLs. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@').replace(/\?.*$/s, '?***');
}
