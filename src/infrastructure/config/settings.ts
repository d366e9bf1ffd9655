import { z } from 'zod';
import { DEFAULT_PLANS, type Plan } from '../../domain/plan/plan';
import {
  identityEnvShape,
  identityProblems,
  identitySettings,
  type IdentitySettings,
} from './identity-settings';
import type { Provider } from '../../domain/shared/provider';
import { defaultHost, isValidHost, selfHost } from './host-setting';
import { configuredPgs, isPgSecret, livePgProblems } from './live-pgs';
import { parseOriginList } from './origin-list';
import { AUDIT_ENV, auditSettings, liveAuditProblems, type AuditSettings } from './audit-settings';
import { parsePlansJson } from './plans-setting';
import { SANDBOX_SECRETS } from './sandbox-secrets';

export type PaymentsMode = 'sandbox' | 'live';

export interface Settings {
  port: number;
  /** The listening address (HOST): 127.0.0.1 by default in sandbox mode, 0.0.0.0 in live mode. */
  host: string;
  dataDir: string;
  paymentsMode: PaymentsMode;
  /** The PGs this deployment serves: both in sandbox mode, those with secrets set in live mode. */
  providers: readonly Provider[];
  /** Browser origins allowed to call the API (CORS_ORIGINS); empty: no CORS headers at all. */
  corsOrigins: readonly string[];
  /** Open connections at most (MAX_CONNECTIONS), so slow clients cannot take every file descriptor. */
  maxConnections: number;
  /** Origins besides loopback that a sandbox payment's notice_url may name (SANDBOX_NOTICE_URL_ALLOW). */
  sandboxNoticeUrlAllow: readonly string[];
  /** Unset: the embedded SQLite event store under dataDir. */
  eventStoreUrl?: string;
  /** Unset: the embedded read models (`readModels`). */
  mongodbUrl?: string;
  mongodbDb: string;
  /**
   * The embedded read models without MONGODB_URL: `sqlite` (the default: DATA_DIR/read-models.db,
   * each projection resuming from its own checkpoint) or `memory` (for tests and quick benches
   * only: rebuilt from the whole event store at every start).
   */
  readModels: 'memory' | 'sqlite';
  jwtSecret: string;
  /** Identity-provider tokens (JWKS) and the token lifetime cap (identity-settings.ts). */
  identity: IdentitySettings;
  toss: { secretKey: string; apiBaseUrl: string };
  portone: { apiKey: string; apiSecret: string; apiBaseUrl: string };
  orderTtlMinutes: number;
  refundWindowDays: number;
  pgTimeoutMs: number;
  /** How long a configured EventStoreDB or MongoDB may take to answer at start (STORE_CONNECT_TIMEOUT_MS). */
  storeConnectTimeoutMs: number;
  plans: readonly Plan[];
  audit: AuditSettings;
}

type SecretVar = keyof typeof SANDBOX_SECRETS;
const SECRET_VARS = Object.keys(SANDBOX_SECRETS) as SecretVar[];
const MIN_LIVE_JWT_SECRET = 32;

/** Invalid configuration: every problem, one per line, each naming its variable, no values. */
export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(formatProblems(problems));
    this.name = 'SettingsError';
  }
}

function formatProblems(problems: string[]): string {
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  return [`Invalid settings (${count}):`, ...problems.map((problem) => `  - ${problem}`)].join('\n');
}

// Messages never quote the value: it may be a secret or a URL with a password in it.
const wholeNumber = (min: number, max: number) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return z
    .string()
    .regex(/^[0-9]{1,9}$/, message)
    .transform(Number)
    .pipe(z.number().min(min, message).max(max, message));
};
const withScheme = (schemes: string[]) =>
  z.string().refine((v) => schemes.some((s) => v.startsWith(s) && v.length > s.length), {
    message: `must start with ${schemes.join(' or ')}`,
  });
const httpUrl = z.string().refine(isHttpUrl, { message: 'must be an http:// or https:// URL' });

const envSchema = z.object({
  PORT: wholeNumber(1, 65535).default('3000'),
  HOST: z.string().refine(isValidHost, { message: 'must be an IP address or a host name' }).optional(),
  MAX_CONNECTIONS: wholeNumber(16, 100_000).default('1000'),
  CORS_ORIGINS: z.string().optional(),
  SANDBOX_NOTICE_URL_ALLOW: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  PAYMENTS_MODE: z
    .enum(['sandbox', 'live'], { errorMap: () => ({ message: "must be 'sandbox' or 'live'" }) })
    .default('sandbox'),
  EVENTSTORE_URL: withScheme(['esdb://', 'esdb+discover://']).optional(),
  MONGODB_URL: withScheme(['mongodb://', 'mongodb+srv://']).optional(),
  READ_MODELS: z
    .enum(['memory', 'sqlite'], { errorMap: () => ({ message: "must be 'memory' or 'sqlite'" }) })
    .default('sqlite'),
  MONGODB_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be 1–63 characters of A-Z a-z 0-9 _ -')
    .default('ledgerline'),
  TOSS_API_BASE_URL: httpUrl.optional(),
  PORTONE_API_BASE_URL: httpUrl.optional(),
  ORDER_TTL_MINUTES: wholeNumber(1, 1440).default('30'),
  REFUND_WINDOW_DAYS: wholeNumber(0, 365).default('3'),
  PG_TIMEOUT_MS: wholeNumber(100, 120_000).default('10000'),
  STORE_CONNECT_TIMEOUT_MS: wholeNumber(100, 300_000).default('10000'),
  PLANS_JSON: z.string().optional(),
  JWT_SECRET: z.string().optional(),
  TOSS_SECRET_KEY: z.string().optional(),
  PORTONE_API_KEY: z.string().optional(),
  PORTONE_API_SECRET: z.string().optional(),
  ...identityEnvShape,
  ...AUDIT_ENV,
});
type EnvVar = keyof typeof envSchema.shape;

/** Reads and checks the configuration; throws SettingsError listing every problem at once. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const raw = readEnv(env);
  const parsed = envSchema.safeParse(raw);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`);
  // Mode rules judge the raw values, so they are reported even when another variable is bad.
  if (raw.PAYMENTS_MODE === 'live') problems.push(...liveSecretProblems(raw), ...liveAuditProblems(raw));
  problems.push(...identityProblems(raw));
  const cors = parseOriginList(raw.CORS_ORIGINS);
  if (!cors.ok) problems.push(`CORS_ORIGINS: ${cors.problem}`);
  const noticeAllow = parseOriginList(raw.SANDBOX_NOTICE_URL_ALLOW);
  if (!noticeAllow.ok) problems.push(`SANDBOX_NOTICE_URL_ALLOW: ${noticeAllow.problem}`);
  const plans =
    raw.PLANS_JSON === undefined
      ? { ok: true as const, plans: [...DEFAULT_PLANS] }
      : parsePlansJson(raw.PLANS_JSON);
  if (!plans.ok) problems.push(...plans.problems);
  if (!parsed.success || !plans.ok || !cors.ok || !noticeAllow.ok || problems.length > 0) {
    throw new SettingsError(problems);
  }

  const e = parsed.data;
  const sandbox = e.PAYMENTS_MODE === 'sandbox';
  const host = e.HOST ?? defaultHost(!sandbox);
  const local = `http://${selfHost(host)}:${e.PORT}/sandbox`;
  return {
    port: e.PORT,
    host,
    dataDir: e.DATA_DIR,
    paymentsMode: e.PAYMENTS_MODE,
    providers: configuredPgs(!sandbox, raw),
    corsOrigins: cors.origins,
    maxConnections: e.MAX_CONNECTIONS,
    sandboxNoticeUrlAllow: noticeAllow.origins,
    eventStoreUrl: e.EVENTSTORE_URL,
    mongodbUrl: e.MONGODB_URL,
    mongodbDb: e.MONGODB_DB,
    readModels: e.READ_MODELS,
    jwtSecret: e.JWT_SECRET ?? SANDBOX_SECRETS.JWT_SECRET,
    identity: identitySettings(e),
    toss: {
      secretKey: e.TOSS_SECRET_KEY ?? SANDBOX_SECRETS.TOSS_SECRET_KEY,
      apiBaseUrl: stripSlash(
        e.TOSS_API_BASE_URL ?? (sandbox ? `${local}/toss` : 'https://api.tosspayments.com'),
      ),
    },
    portone: {
      apiKey: e.PORTONE_API_KEY ?? SANDBOX_SECRETS.PORTONE_API_KEY,
      apiSecret: e.PORTONE_API_SECRET ?? SANDBOX_SECRETS.PORTONE_API_SECRET,
      apiBaseUrl: stripSlash(
        e.PORTONE_API_BASE_URL ?? (sandbox ? `${local}/portone` : 'https://api.iamport.kr'),
      ),
    },
    orderTtlMinutes: e.ORDER_TTL_MINUTES,
    refundWindowDays: e.REFUND_WINDOW_DAYS,
    pgTimeoutMs: e.PG_TIMEOUT_MS,
    storeConnectTimeoutMs: e.STORE_CONNECT_TIMEOUT_MS,
    plans: plans.plans,
    audit: auditSettings(e),
  };
}

/** Empty or blank means unset (compose files write `FOO=`); non-secrets are trimmed. */
function readEnv(env: NodeJS.ProcessEnv): Partial<Record<EnvVar, string>> {
  const raw: Partial<Record<EnvVar, string>> = {};
  for (const name of Object.keys(envSchema.shape) as EnvVar[]) {
    const value = env[name];
    if (value === undefined || value.trim() === '') continue;
    raw[name] = (SECRET_VARS as string[]).includes(name) ? value : value.trim();
  }
  return raw;
}

function liveSecretProblems(raw: Partial<Record<EnvVar, string>>): string[] {
  const problems: string[] = [];
  for (const name of SECRET_VARS) {
    const value = raw[name];
    if (value === undefined) {
      // A PG's secrets are needed only if that PG is used (livePgProblems).
      if (!isPgSecret(name)) problems.push(`${name}: required in live mode`);
    } else if (value === SANDBOX_SECRETS[name]) {
      problems.push(`${name}: must not be the sandbox default in live mode`);
    } else if (name === 'JWT_SECRET' && value.length < MIN_LIVE_JWT_SECRET) {
      problems.push(`JWT_SECRET: must be at least ${MIN_LIVE_JWT_SECRET} characters in live mode`);
    }
  }
  return [...problems, ...livePgProblems(raw)];
}

/** An http:// or https:// URL with a host. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

export { SANDBOX_SECRETS } from './sandbox-secrets';
