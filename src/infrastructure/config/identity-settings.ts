import { z } from 'zod';

/**
 * How callers prove who they are, beyond the HS256 `JWT_SECRET` (which stays in `jwtSecret`):
 * tokens from an identity provider, verified against its JWKS, and the lifetime cap for every
 * token. API keys need no setting (an admin creates them over the API).
 */
export interface IdentitySettings {
  /** The identity provider's JWKS; unset: only HS256 tokens (JWT_SECRET) are accepted. */
  jwksUrl?: string;
  /** Required `iss` of identity-provider tokens, when set. */
  issuer?: string;
  /** Accepted `aud` values of identity-provider tokens (any one must match), when set. */
  audience?: string[];
  /** Where the role is in an identity-provider token: a claim name, or a dot path into one. */
  roleClaim: string;
  /** A token whose `exp` lies further ahead than this is refused, whoever signed it. */
  maxLifetimeSeconds: number;
  /** The shortest gap between two JWKS fetches caused by an unknown `kid` (jose's cooldown). */
  jwksCooldownSeconds: number;
}

const DEFAULT_MAX_LIFETIME_SECONDS = 24 * 3_600;

// Messages never quote the value (settings.ts's rule): a URL may carry credentials.
const seconds = (min: number, max: number) => {
  const message = `must be a whole number of seconds from ${min} to ${max}`;
  return z
    .string()
    .regex(/^[0-9]{1,9}$/, message)
    .transform(Number)
    .pipe(z.number().min(min, message).max(max, message));
};

/** The identity variables, spread into the settings' env schema. */
export const identityEnvShape = {
  JWT_JWKS_URL: z.string().refine(isJwksUrl, { message: 'must be an http:// or https:// URL' }).optional(),
  JWT_ISSUER: z.string().max(1_000, 'must be at most 1000 characters').optional(),
  JWT_AUDIENCE: z.string().max(1_000, 'must be at most 1000 characters').optional(),
  JWT_ROLE_CLAIM: z
    .string()
    .regex(/^[^.\s]+(\.[^.\s]+)*$/, 'must be a claim name or a dot path such as realm_access.roles')
    .default('role'),
  JWT_MAX_LIFETIME_SECONDS: seconds(60, 365 * 86_400).default(String(DEFAULT_MAX_LIFETIME_SECONDS)),
  JWT_JWKS_COOLDOWN_SECONDS: seconds(0, 3_600).default('30'),
};

type IdentityEnv = z.output<z.ZodObject<typeof identityEnvShape>>;

/** Rules across variables, judged on the raw values so they are reported with every other problem. */
export function identityProblems(raw: Partial<Record<string, string>>): string[] {
  const problems: string[] = [];
  for (const name of ['JWT_ISSUER', 'JWT_AUDIENCE'] as const) {
    // iss and aud are checked on identity-provider tokens only: without a JWKS they would do nothing.
    if (raw[name] !== undefined && raw.JWT_JWKS_URL === undefined)
      problems.push(`${name}: only applies with JWT_JWKS_URL`);
  }
  const jwks = raw.JWT_JWKS_URL;
  if (raw.PAYMENTS_MODE === 'live' && jwks !== undefined && isJwksUrl(jwks) && !isSafeJwksUrl(jwks))
    problems.push('JWT_JWKS_URL: must be https:// in live mode (http:// only on loopback)');
  return problems;
}

export function identitySettings(e: IdentityEnv): IdentitySettings {
  const audience = e.JWT_AUDIENCE?.split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');
  return {
    jwksUrl: e.JWT_JWKS_URL,
    issuer: e.JWT_ISSUER,
    audience: audience && audience.length > 0 ? audience : undefined,
    roleClaim: e.JWT_ROLE_CLAIM,
    maxLifetimeSeconds: e.JWT_MAX_LIFETIME_SECONDS,
    jwksCooldownSeconds: e.JWT_JWKS_COOLDOWN_SECONDS,
  };
}

function isJwksUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

// Keys fetched over plain HTTP could be swapped by anyone on the path: only loopback may use it.
function isSafeJwksUrl(value: string): boolean {
  const url = new URL(value);
  return url.protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}
