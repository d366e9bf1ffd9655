import { z } from 'zod';
import { isValidHost } from './host-setting';
import { parseOriginList } from './origin-list';
import { SANDBOX_SECRETS } from './sandbox-secrets';
import { isHttpUrl, SettingsError } from './settings';

/** The standalone PG sandbox (`npm run sandbox`): where it listens, keeps state and sends webhooks. */
export interface SandboxSettings {
  port: number;
  /** The listening address (HOST), loopback by default. */
  host: string;
  dataDir: string;
  /** The Ledgerline service the webhooks go to (…/v1/webhooks/toss and …/portone). */
  serviceUrl: string;
  toss: { secretKey: string };
  portone: { apiKey: string; apiSecret: string };
  /** Origins besides loopback that a payment's notice_url may name (SANDBOX_NOTICE_URL_ALLOW). */
  sandboxNoticeUrlAllow: readonly string[];
}

const port = z
  .string()
  .regex(/^[0-9]{1,5}$/, 'must be a whole number from 0 to 65535')
  .transform(Number)
  .pipe(z.number().max(65535, 'must be a whole number from 0 to 65535'));
const serviceUrl = z.string().refine(isHttpUrl, { message: 'must be an http:// or https:// URL' });

const schema = z.object({
  PORT: port.default('3100'),
  HOST: z
    .string()
    .refine(isValidHost, { message: 'must be an IP address or a host name' })
    .default('127.0.0.1'),
  SANDBOX_NOTICE_URL_ALLOW: z.string().optional(),
  DATA_DIR: z.string().min(1).default('./data-pg-sandbox'),
  SERVICE_URL: serviceUrl.default('http://127.0.0.1:3000'),
  TOSS_SECRET_KEY: z.string().min(1).default(SANDBOX_SECRETS.TOSS_SECRET_KEY),
  PORTONE_API_KEY: z.string().min(1).default(SANDBOX_SECRETS.PORTONE_API_KEY),
  PORTONE_API_SECRET: z.string().min(1).default(SANDBOX_SECRETS.PORTONE_API_SECRET),
});

/** Reads the standalone sandbox's settings; blank means unset. Throws SettingsError. */
export function loadSandboxSettings(env: NodeJS.ProcessEnv = process.env): SandboxSettings {
  const raw: Record<string, string> = {};
  for (const name of Object.keys(schema.shape)) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') raw[name] = value.trim();
  }
  const parsed = schema.safeParse(raw);
  const noticeAllow = parseOriginList(raw.SANDBOX_NOTICE_URL_ALLOW);
  if (!parsed.success || !noticeAllow.ok) {
    const problems = parsed.success
      ? []
      : parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    if (!noticeAllow.ok) problems.push(`SANDBOX_NOTICE_URL_ALLOW: ${noticeAllow.problem}`);
    throw new SettingsError(problems);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    sandboxNoticeUrlAllow: noticeAllow.origins,
    dataDir: e.DATA_DIR,
    serviceUrl: e.SERVICE_URL.replace(/\/+$/, ''),
    toss: { secretKey: e.TOSS_SECRET_KEY },
    portone: { apiKey: e.PORTONE_API_KEY, apiSecret: e.PORTONE_API_SECRET },
  };
}
