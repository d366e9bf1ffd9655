import type { Provider } from '../../domain/shared/provider';

/** The secrets each PG needs; a PG is configured in live mode when all of them are set. */
export const PG_SECRETS = {
  toss: ['TOSS_SECRET_KEY'],
  portone: ['PORTONE_API_KEY', 'PORTONE_API_SECRET'],
} as const satisfies Record<Provider, readonly string[]>;

const PG_SECRET_NAMES = new Set<string>(Object.values(PG_SECRETS).flat());

export function isPgSecret(name: string): boolean {
  return PG_SECRET_NAMES.has(name);
}

/**
 * The PGs this deployment talks to. Sandbox mode serves both from the built-in sandbox; live
 * mode only those whose secrets are set, so a Toss-only merchant sets TOSS_SECRET_KEY alone.
 */
export function configuredPgs(live: boolean, raw: Partial<Record<string, string>>): Provider[] {
  const providers = Object.keys(PG_SECRETS) as Provider[];
  if (!live) return providers;
  return providers.filter((provider) => PG_SECRETS[provider].every((name) => raw[name] !== undefined));
}

/** Live mode: at least one PG, and none half-configured (a key without its secret is a mistake). */
export function livePgProblems(raw: Partial<Record<string, string>>): string[] {
  const problems: string[] = [];
  for (const names of Object.values(PG_SECRETS)) {
    const missing = names.filter((name) => raw[name] === undefined);
    if (missing.length > 0 && missing.length < names.length) {
      const given = names.filter((name) => raw[name] !== undefined).join(' and ');
      for (const name of missing) problems.push(`${name}: required in live mode when ${given} is set`);
    }
  }
  if (configuredPgs(true, raw).length === 0 && problems.length === 0) {
    problems.push(
      'TOSS_SECRET_KEY or PORTONE_API_KEY and PORTONE_API_SECRET: live mode needs at least one PG (Toss Payments, PortOne, or both)',
    );
  }
  return problems;
}
