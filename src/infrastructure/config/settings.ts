import { z } from 'zod';
import { DEFAULT_PLANS, type Plan } from '../../domain/plan/plan';
import { AUDIT_ENV, auditSettings, liveAuditProblems, type AuditSettings } from './audit-settings';
import { parsePlansJson } from './plans-setting';
import { SANDBOX_SECRETS } from './sandbox-secrets';

export type PaymentsMode = 'sandbox' | 'live';

export interface Settings {
  port: number;
  dataDir: string;
  paymentsMode: PaymentsMode;
  /** Unset: the embedded SQLite event store under dataDir. */
  eventStoreUrl?: string;
  /** Unset: in-memory read models rebuilt at start. */
  mongodbUrl?: string;
  mongodbDb: string;
  jwtSecret: string;
  toss: { secretKey: string; apiBaseUrl: string };
  portone: { apiKey: string; apiSecret: string; apiBaseUrl: string };
  orderTtlMinutes: number;
  refundWindowDays: number;
  pgTimeoutMs: number;
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
  DATA_DIR: z.string().default('./data'),
  PAYMENTS_MODE: z
    .enum(['sandbox', 'live'], { errorMap: () => ({ message: "must be 'sandbox' or 'live'" }) })
    .default('sandbox'),
  EVENTSTORE_URL: withScheme(['esdb://', 'esdb+discover://']).optional(),
  MONGODB_URL: withScheme(['mongodb://', 'mongodb+srv://']).optional(),
  MONGODB_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be 1–63 characters of A-Z a-z 0-9 _ -')
    .default('ledgerline'),
  TOSS_API_BASE_URL: httpUrl.optional(),
  PORTONE_API_BASE_URL: httpUrl.optional(),
  ORDER_TTL_MINUTES: wholeNumber(1, 1440).default('30'),
  REFUND_WINDOW_DAYS: wholeNumber(0, 365).default('3'),
  PG_TIMEOUT_MS: wholeNumber(100, 120_000).default('10000'),
  PLANS_JSON: z.string().optional(),
  JWT_SECRET: z.string().optional(),
  TOSS_SECRET_KEY: z.string().optional(),
  PORTONE_API_KEY: z.string().optional(),
  PORTONE_API_SECRET: z.string().optional(),
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
  const plans =
    raw.PLANS_JSON === undefined
      ? { ok: true as const, plans: [...DEFAULT_PLANS] }
      : parsePlansJson(raw.PLANS_JSON);
  if (!plans.ok) problems.push(...plans.problems);
  if (!parsed.success || !plans.ok || problems.length > 0) throw new SettingsError(problems);

  const e = parsed.data;
  const sandbox = e.PAYMENTS_MODE === 'sandbox';
  const local = `http://127.0.0.1:${e.PORT}/sandbox`;
  return {
    port: e.PORT,
    dataDir: e.DATA_DIR,
    paymentsMode: e.PAYMENTS_MODE,
    eventStoreUrl: e.EVENTSTORE_URL,
    mongodbUrl: e.MONGODB_URL,
    mongodbDb: e.MONGODB_DB,
    jwtSecret: e.JWT_SECRET ?? SANDBOX_SECRETS.JWT_SECRET,
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
      problems.push(`${name}: required in live mode`);
    } else if (value === SANDBOX_SECRETS[name]) {
      problems.push(`${name}: must not be the sandbox default in live mode`);
    } else if (name === 'JWT_SECRET' && value.length < MIN_LIVE_JWT_SECRET) {
      problems.push(`JWT_SECRET: must be at least ${MIN_LIVE_JWT_SECRET} characters in live mode`);
    }
  }
  return problems;
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
export { describeSettings, redactUrl } from './settings-summary';
