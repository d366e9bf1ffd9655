import { DEFAULT_PLANS } from '../../../src/domain/plan/plan';
import { loadSettings, SANDBOX_SECRETS, SettingsError } from '../../../src/infrastructure/config/settings';
import { describeSettings } from '../../../src/infrastructure/config/settings-summary';

const LIVE_SECRETS = {
  PAYMENTS_MODE: 'live',
  JWT_SECRET: 'live-jwt-secret-0123456789abcdefghijkl',
  TOSS_SECRET_KEY: 'live_sk_very_secret_toss_key',
  PORTONE_API_KEY: 'portone-live-key-123',
  PORTONE_API_SECRET: 'portone-live-secret-456',
  AUDIT_SIGNING_KEY_FILE: '/run/secrets/audit-signing-key.pem',
};

function problemsOf(env: NodeJS.ProcessEnv): SettingsError {
  try {
    loadSettings(env);
  } catch (error) {
    if (error instanceof SettingsError) return error;
    throw error;
  }
  throw new Error('settings were accepted');
}

describe('loadSettings', () => {
  it('runs the embedded sandbox with no settings at all', () => {
    const s = loadSettings({});
    expect(s).toMatchObject({
      port: 3000,
      dataDir: './data',
      paymentsMode: 'sandbox',
      mongodbDb: 'ledgerline',
      jwtSecret: SANDBOX_SECRETS.JWT_SECRET,
      orderTtlMinutes: 30,
      refundWindowDays: 3,
      pgTimeoutMs: 10_000,
      toss: { secretKey: 'test_sk_ledgerline_sandbox', apiBaseUrl: 'http://127.0.0.1:3000/sandbox/toss' },
      portone: { apiBaseUrl: 'http://127.0.0.1:3000/sandbox/portone' },
    });
    expect(s.eventStoreUrl).toBeUndefined();
    expect(s.mongodbUrl).toBeUndefined();
    expect(s.plans).toEqual(DEFAULT_PLANS);
  });

  it('points the sandbox PG URLs at the configured port and treats blank values as unset', () => {
    const s = loadSettings({ PORT: '8080', DATA_DIR: '  ', ORDER_TTL_MINUTES: '' });
    expect(s.toss.apiBaseUrl).toBe('http://127.0.0.1:8080/sandbox/toss');
    expect(s.portone.apiBaseUrl).toBe('http://127.0.0.1:8080/sandbox/portone');
    expect(s.dataDir).toBe('./data');
    expect(s.orderTtlMinutes).toBe(30);
  });

  it('reads every variable it is given', () => {
    const s = loadSettings({
      EVENTSTORE_URL: 'esdb+discover://es:2113?tls=false',
      MONGODB_URL: 'mongodb+srv://cluster.example.net',
      MONGODB_DB: 'll_test',
      ORDER_TTL_MINUTES: '1440',
      REFUND_WINDOW_DAYS: '0',
      PG_TIMEOUT_MS: '2500',
      TOSS_API_BASE_URL: 'http://toss-mock:9000/',
    });
    expect(s).toMatchObject({
      eventStoreUrl: 'esdb+discover://es:2113?tls=false',
      mongodbUrl: 'mongodb+srv://cluster.example.net',
      mongodbDb: 'll_test',
      orderTtlMinutes: 1440,
      refundWindowDays: 0,
      pgTimeoutMs: 2500,
      toss: { apiBaseUrl: 'http://toss-mock:9000' },
    });
  });

  it('uses the real PG endpoints in live mode', () => {
    const s = loadSettings(LIVE_SECRETS);
    expect(s.paymentsMode).toBe('live');
    expect(s.toss).toEqual({
      secretKey: LIVE_SECRETS.TOSS_SECRET_KEY,
      apiBaseUrl: 'https://api.tosspayments.com',
    });
    expect(s.portone.apiBaseUrl).toBe('https://api.iamport.kr');
    expect(s.jwtSecret).toBe(LIVE_SECRETS.JWT_SECRET);
  });

  it('requires the JWT secret and at least one PG in live mode, naming each', () => {
    const error = problemsOf({ PAYMENTS_MODE: 'live' });
    expect(error.problems).toEqual([
      'JWT_SECRET: required in live mode',
      'TOSS_SECRET_KEY or PORTONE_API_KEY and PORTONE_API_SECRET: live mode needs at least one PG (Toss Payments, PortOne, or both)',
      'AUDIT_SIGNING_KEY_FILE: required in live mode',
    ]);
  });

  it('serves only the configured PGs in live mode: a Toss-only merchant sets the Toss key alone', () => {
    const { PORTONE_API_KEY: _k, PORTONE_API_SECRET: _s, ...tossOnly } = LIVE_SECRETS;
    expect(loadSettings(tossOnly).providers).toEqual(['toss']);
    const { TOSS_SECRET_KEY: _t, ...portoneOnly } = LIVE_SECRETS;
    expect(loadSettings(portoneOnly).providers).toEqual(['portone']);
    expect(loadSettings(LIVE_SECRETS).providers).toEqual(['toss', 'portone']);
    expect(loadSettings({}).providers).toEqual(['toss', 'portone']);
  });

  it('refuses a PortOne key without its secret in live mode', () => {
    const { PORTONE_API_SECRET: _s, ...half } = LIVE_SECRETS;
    expect(problemsOf(half).problems).toEqual([
      'PORTONE_API_SECRET: required in live mode when PORTONE_API_KEY is set',
    ]);
  });

  it('listens on loopback in sandbox mode and on every interface in live mode, unless HOST says', () => {
    expect(loadSettings({}).host).toBe('127.0.0.1');
    expect(loadSettings(LIVE_SECRETS).host).toBe('0.0.0.0');
    expect(loadSettings({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    const onOneAddress = loadSettings({ HOST: '10.1.2.3', PORT: '8080' });
    expect(onOneAddress.toss.apiBaseUrl).toBe('http://10.1.2.3:8080/sandbox/toss');
    expect(problemsOf({ HOST: 'not a host!' }).problems).toEqual([
      'HOST: must be an IP address or a host name',
    ]);
  });

  it('reads CORS_ORIGINS and SANDBOX_NOTICE_URL_ALLOW as origin lists, refusing paths and wildcards', () => {
    const s = loadSettings({
      CORS_ORIGINS: ' https://shop.example.com , http://localhost:5173/ ,',
      SANDBOX_NOTICE_URL_ALLOW: 'http://hooks.internal:8080',
    });
    expect(s.corsOrigins).toEqual(['https://shop.example.com', 'http://localhost:5173']);
    expect(s.sandboxNoticeUrlAllow).toEqual(['http://hooks.internal:8080']);
    expect(loadSettings({}).corsOrigins).toEqual([]);
    const error = problemsOf({ CORS_ORIGINS: 'https://shop.example.com/app', SANDBOX_NOTICE_URL_ALLOW: '*' });
    expect(error.problems).toEqual([
      'CORS_ORIGINS: "https://shop.example.com/app" is not an origin (http:// or https://, a host, an optional port, no path)',
      'SANDBOX_NOTICE_URL_ALLOW: "*" is not an origin (http:// or https://, a host, an optional port, no path)',
    ]);
  });

  it('refuses a short JWT secret and the sandbox defaults in live mode', () => {
    const error = problemsOf({
      ...LIVE_SECRETS,
      JWT_SECRET: 'short-but-secret',
      TOSS_SECRET_KEY: SANDBOX_SECRETS.TOSS_SECRET_KEY,
    });
    expect(error.problems).toEqual([
      'JWT_SECRET: must be at least 32 characters in live mode',
      'TOSS_SECRET_KEY: must not be the sandbox default in live mode',
    ]);
  });

  it('seals every 60 s and 1,000 events unless told otherwise (A2)', () => {
    expect(loadSettings({}).audit).toEqual({ sealIntervalMs: 60_000, sealEveryEvents: 1000 });
    expect(
      loadSettings({
        AUDIT_SEAL_INTERVAL_SECONDS: '5',
        AUDIT_SEAL_EVERY_EVENTS: '10',
        AUDIT_SIGNING_KEY_FILE: 'k.pem',
      }).audit,
    ).toEqual({ sealIntervalMs: 5_000, sealEveryEvents: 10, signingKeyFile: 'k.pem' });
    expect(problemsOf({ AUDIT_SEAL_EVERY_EVENTS: '0' }).problems).toEqual([
      'AUDIT_SEAL_EVERY_EVENTS: must be a whole number from 1 to 1000000',
    ]);
  });

  it('lists every bad value in one multi-line message', () => {
    const error = problemsOf({
      PORT: '70000',
      PAYMENTS_MODE: 'production',
      EVENTSTORE_URL: 'http://es:2113',
      MONGODB_URL: 'postgres://db',
      ORDER_TTL_MINUTES: '2.5',
      REFUND_WINDOW_DAYS: '-1',
      PG_TIMEOUT_MS: '1e4',
      TOSS_API_BASE_URL: 'not a url',
    });
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('Invalid settings (8 problems):');
    for (const name of [
      'PORT',
      'PAYMENTS_MODE',
      'EVENTSTORE_URL',
      'MONGODB_URL',
      'ORDER_TTL_MINUTES',
      'REFUND_WINDOW_DAYS',
      'PG_TIMEOUT_MS',
      'TOSS_API_BASE_URL',
    ]) {
      expect(lines.some((line) => line.startsWith(`  - ${name}: `))).toBe(true);
    }
    expect(error.message).toContain("PAYMENTS_MODE: must be 'sandbox' or 'live'");
    expect(error.message).toContain('PORT: must be a whole number from 1 to 65535');
  });

  it('never echoes a secret or a URL credential in the message', () => {
    const error = problemsOf({
      ...LIVE_SECRETS,
      JWT_SECRET: 'hunter2-short-secret',
      MONGODB_URL: 'mysql://admin:p4ssw0rd@db',
      PORT: 'abc',
    });
    expect(error.problems).toHaveLength(3);
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('p4ssw0rd');
    for (const secret of Object.values(LIVE_SECRETS).slice(1)) expect(error.message).not.toContain(secret);
  });

  it('accepts a PLANS_JSON catalog', () => {
    const s = loadSettings({
      PLANS_JSON: JSON.stringify([
        { id: 10, code: 'YEARLY', name: '연간', price: 99_000, months: 12 },
        { id: 11, code: 'FUND', name: '후원', minAmount: 500, maxAmount: 50_000 },
      ]),
    });
    expect(s.plans).toEqual([
      { kind: 'SUBSCRIPTION', id: 10, code: 'YEARLY', name: '연간', price: 99_000, months: 12 },
      { kind: 'EVENT', id: 11, code: 'FUND', name: '후원', minAmount: 500, maxAmount: 50_000 },
    ]);
  });

  it('reports where a PLANS_JSON catalog is wrong', () => {
    const error = problemsOf({
      PLANS_JSON: JSON.stringify([
        { id: 1, code: 'A', name: 'a', price: 9.5, months: 1 },
        { id: 1, code: 'B', name: 'b', minAmount: 5000, maxAmount: 100 },
        { id: 2, code: 'C', name: 'c', price: 100, months: 1, discount: 3 },
        { id: 3, code: 'D', name: 'd', price: '100', months: 1 },
      ]),
    });
    expect(error.problems).toEqual([
      'PLANS_JSON[0].price: price must be a whole number of KRW',
      'PLANS_JSON[1].minAmount: minAmount must not exceed maxAmount',
      'PLANS_JSON[2]: unknown field(s) discount',
      'PLANS_JSON[3].price: price must be a number',
    ]);
  });

  it('refuses duplicate plan ids and PLANS_JSON that is not a JSON array', () => {
    const duplicate = { id: 1, code: 'A', name: 'a', price: 100, months: 1 };
    expect(
      problemsOf({ PLANS_JSON: JSON.stringify([duplicate, { ...duplicate, code: 'B' }]) }).problems,
    ).toEqual(['PLANS_JSON: plan id 1 is used more than once']);
    expect(problemsOf({ PLANS_JSON: '[{' }).problems).toEqual(['PLANS_JSON: not valid JSON']);
    expect(problemsOf({ PLANS_JSON: '{}' }).problems).toEqual([
      'PLANS_JSON: must be a non-empty JSON array of plans',
    ]);
  });
});

describe('describeSettings', () => {
  it('redacts secrets and URL credentials', () => {
    const s = loadSettings({
      ...LIVE_SECRETS,
      MONGODB_URL: 'mongodb://app:m0ngoPass@m1:27017,m2:27017/ll?replicaSet=rs0&authSource=admin',
      EVENTSTORE_URL: 'esdb://admin:changeit@es:2113?tls=false',
    });
    const text = JSON.stringify(describeSettings(s));
    for (const secret of [...Object.values(LIVE_SECRETS).slice(1), 'm0ngoPass', 'changeit', 'authSource']) {
      expect(text).not.toContain(secret);
    }
    expect(describeSettings(s)).toMatchObject({
      jwtSecret: '[set]',
      readModels: 'mongodb://***@m1:27017,m2:27017/ll?*** (db ledgerline)',
      eventStore: 'esdb://***@es:2113?***',
    });
  });

  it('says when the sandbox defaults are in use', () => {
    expect(describeSettings(loadSettings({}))).toMatchObject({
      jwtSecret: '[sandbox default]',
      eventStore: 'sqlite in ./data',
      readModels: 'sqlite in ./data',
    });
    expect(describeSettings(loadSettings({ READ_MODELS: 'memory' })).readModels).toBe(
      'memory (rebuilt at start)',
    );
  });
});
