import { z } from 'zod';

/** A2's sealing: the key and how often (AUDIT_* variables). */
export interface AuditSettings {
  /** PEM Ed25519 private key; unset in sandbox mode: a key generated into DATA_DIR. */
  signingKeyFile?: string;
  sealIntervalMs: number;
  sealEveryEvents: number;
}

const wholeNumber = (min: number, max: number) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return z
    .string()
    .regex(/^[0-9]{1,9}$/, message)
    .transform(Number)
    .pipe(z.number().min(min, message).max(max, message));
};

/** The variables, merged into the settings' environment schema. */
export const AUDIT_ENV = {
  AUDIT_SIGNING_KEY_FILE: z.string().optional(),
  AUDIT_SEAL_INTERVAL_SECONDS: wholeNumber(1, 86_400).default('60'),
  AUDIT_SEAL_EVERY_EVENTS: wholeNumber(1, 1_000_000).default('1000'),
};

export function auditSettings(e: {
  AUDIT_SIGNING_KEY_FILE?: string;
  AUDIT_SEAL_INTERVAL_SECONDS: number;
  AUDIT_SEAL_EVERY_EVENTS: number;
}): AuditSettings {
  return {
    signingKeyFile: e.AUDIT_SIGNING_KEY_FILE,
    sealIntervalMs: e.AUDIT_SEAL_INTERVAL_SECONDS * 1_000,
    sealEveryEvents: e.AUDIT_SEAL_EVERY_EVENTS,
  };
}

/** Live mode signs with a key the operator keeps; only the sandbox may generate its own. */
export function liveAuditProblems(raw: { AUDIT_SIGNING_KEY_FILE?: string }): string[] {
  return raw.AUDIT_SIGNING_KEY_FILE === undefined ? ['AUDIT_SIGNING_KEY_FILE: required in live mode'] : [];
}
