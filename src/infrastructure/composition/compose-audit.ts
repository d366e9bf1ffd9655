import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { auditHistory, type AuditOptions, type AuditReport } from '../../application/audit/history-audit';
import type { RuleOptions } from '../../application/audit/rules/audit-rules';
import type { EventStore } from '../../application/ports/event-store.port';
import { SANDBOX_PUBLIC_KEY_FILE } from '../audit/ed25519-seal-signer';
import type { Settings } from '../config/settings';
import { EsdbEventStore } from '../eventstore/esdb/esdb-event-store';
import { SqliteEventStore } from '../eventstore/sqlite/sqlite-event-store';

/** The audit cannot run (no store, no key): `npm run audit` exits 2. */
export class AuditSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditSetupError';
  }
}

export interface AuditOptionsGiven {
  /** The seal key's public half (PEM); see `publicKeyOf` for the defaults. */
  publicKeyFile?: string;
  /** A store to audit instead of the settings' (tests). */
  eventStore?: EventStore;
}

export interface AuditComposition {
  /** Where the history was read from, for the summary. */
  source: string;
  publicKeyPem: string;
  /** The store audited (the read-model comparison folds it too). */
  eventStore: EventStore;
  /** The audit; `asOf`, `userId`, `orderId` cut and narrow the rules, findings and totals. */
  run(options?: Pick<AuditOptions, 'onProgress'> & RuleOptions): Promise<AuditReport>;
  close(): Promise<void>;
}

/**
 * The audit's composition: the event store the settings name (SQLite under DATA_DIR, or
 * EventStoreDB when EVENTSTORE_URL is set), read through the port only, and the public key.
 * Nothing else is opened: the audit never writes and needs neither read models nor PGs.
 */
export async function composeAudit(
  settings: Settings,
  options: AuditOptionsGiven = {},
): Promise<AuditComposition> {
  let store = options.eventStore;
  let source = 'the given event store';
  if (!store && settings.eventStoreUrl) {
    store = EsdbEventStore.connect(settings.eventStoreUrl);
    source = 'EventStoreDB';
  } else if (!store) {
    const file = path.join(settings.dataDir, 'events.db');
    if (!existsSync(file))
      throw new AuditSetupError(`no event store at ${file} (set DATA_DIR or EVENTSTORE_URL)`);
    store = SqliteEventStore.open(file);
    source = file;
  }
  const opened = store;
  let publicKeyPem: string;
  try {
    publicKeyPem = publicKeyOf(settings, options.publicKeyFile);
  } catch (error) {
    if (!options.eventStore) await opened.close();
    throw error;
  }
  return {
    source,
    publicKeyPem,
    eventStore: opened,
    run: (runOptions = {}) => auditHistory(opened, { publicKeyPem, ...runOptions }),
    close: () => (options.eventStore ? Promise.resolve() : opened.close()),
  };
}

/**
 * The public key, in this order: the file given (`--public-key` or AUDIT_PUBLIC_KEY_FILE), the
 * public half the sandbox wrote into DATA_DIR, or the public half of AUDIT_SIGNING_KEY_FILE.
 */
export function publicKeyOf(settings: Settings, given: string | undefined): string {
  const file = given;
  const sandboxFile = path.join(settings.dataDir, SANDBOX_PUBLIC_KEY_FILE);
  try {
    if (file)
      return createPublicKey(readFileSync(file, 'utf8')).export({ type: 'spki', format: 'pem' }).toString();
    if (existsSync(sandboxFile)) return readFileSync(sandboxFile, 'utf8');
    if (settings.audit.signingKeyFile) {
      const privateKey = createPrivateKey(readFileSync(settings.audit.signingKeyFile, 'utf8'));
      return createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
    }
  } catch (error) {
    throw new AuditSetupError(`cannot read the seal public key: ${(error as Error).message}`);
  }
  throw new AuditSetupError('no seal public key: pass --public-key <file> or set AUDIT_PUBLIC_KEY_FILE');
}
