/**
 * The fixed credentials sandbox mode runs with when none are configured: fixed so sandbox
 * tokens survive a restart. Live mode refuses every one of them.
 */
export const SANDBOX_SECRETS = {
  JWT_SECRET: 'ledgerline-sandbox-jwt-secret-do-not-use-in-live',
  TOSS_SECRET_KEY: 'test_sk_ledgerline_sandbox',
  PORTONE_API_KEY: 'ledgerline_sandbox_api_key',
  PORTONE_API_SECRET: 'ledgerline_sandbox_api_secret',
} as const;
