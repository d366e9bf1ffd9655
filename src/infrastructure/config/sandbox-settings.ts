import { z } from 'zod';
import { SANDBOX_SECRETS } from './sandbox-secrets';
import { isHttpUrl, SettingsError } from './settings';

/** The standalone PG sandbox (`npm run sandbox`): where it listens, keeps state and sends webhooks. */
export interface SandboxSettings {
  port: number;
  dataDir: string;
  /** The Ledgerline service the webhooks go to (…/v1/webhooks/toss and …/portone). */
  serviceUrl: string;
  toss: { secretKey: string };
  portone: { apiKey: string; apiSecret: string };
}

const port = z
  .string()
  .regex(/^[0-9]{1,5}$/, 'must be a whole number from 0 to 65535')
  .transform(Number)
  .pipe(z.number().max(65535, 'must be a whole number from 0 to 65535'));
const serviceUrl = z.string().refine(isHttpUrl, { message: 'must be an http:// or https:// URL' });

const schema = z.object({
  PORT: port.default('3100'),
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
  if (!parsed.success) {
    throw new SettingsError(parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`));
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    dataDir: e.DATA_DIR,
    serviceUrl: e.SERVICE_URL.replace(/\/+$/, ''),
    toss: { secretKey: e.TOSS_SECRET_KEY },
    portone: { apiKey: e.PORTONE_API_KEY, apiSecret: e.PORTONE_API_SECRET },
  };
}
