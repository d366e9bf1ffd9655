import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ReadModelsNotCompared, SignedAuditReport } from '../../application/audit/audit-report';
import { runAuditReport, type ReportProgress } from '../../application/audit/audit-reports';
import { recheckFeed } from '../../application/payment/payment-recheck.process';
import type { RuleOptions } from '../../application/audit/rules/audit-rules';
import { LiveReadModelStore } from '../../application/event-sourcing/live-read-model-store';
import {
  recordedLiveCollections,
  type LiveCollections,
} from '../../application/event-sourcing/projection-builds';
import type { ReadModelStore } from '../../application/ports/read-model-store.port';
import type { SealSigner } from '../../application/ports/seal-signer.port';
import { Ed25519SealSigner, SANDBOX_SIGNING_KEY_FILE } from '../audit/ed25519-seal-signer';
import { SystemClock } from '../clock/system-clock';
import type { Settings } from '../config/settings';
import { MongoDbReadModelStore } from '../readmodels/mongodb/mongodb-read-model-store';
import { SqliteReadModelStore } from '../readmodels/sqlite/sqlite-read-model-store';
import { AuditSetupError, type AuditComposition } from './compose-audit';
import { projectionGroups } from './projection-groups';
import { connectMongoDb } from './store-connections';

/**
 * `npm run audit`'s full report: the history audit `audit` was composed for, the configured read
 * models compared with a fold of the events (MongoDB when MONGODB_URL is set, the SQLite file in
 * DATA_DIR when READ_MODELS=sqlite; memory read models live in the service's process, and only
 * `GET /v1/audit/report` can compare them), signed when the signing key is at hand.
 */
export async function auditReport(
  settings: Settings,
  audit: AuditComposition,
  progress: ReportProgress = {},
  rules: RuleOptions = {},
): Promise<SignedAuditReport> {
  const signer = reportSigner(settings);
  const readModels = await openReadModels(settings, rules);
  try {
    return await runAuditReport({
      eventStore: audit.eventStore,
      publicKeyPem: audit.publicKeyPem,
      signer,
      source: audit.source,
      readModels,
      projections: projectionGroups(recheckFeed()),
      clock: new SystemClock(),
      history: (onProgress) => audit.run({ onProgress, ...rules }),
      progress,
    });
  } finally {
    if (!('compared' in readModels)) await readModels.close();
  }
}

/** The report's signing key: AUDIT_SIGNING_KEY_FILE, else the sandbox's in DATA_DIR, else none. */
function reportSigner(settings: Settings): SealSigner | null {
  const sandboxFile = path.join(settings.dataDir, SANDBOX_SIGNING_KEY_FILE);
  const file = settings.audit.signingKeyFile ?? (existsSync(sandboxFile) ? sandboxFile : undefined);
  if (file === undefined) return null;
  try {
    return Ed25519SealSigner.fromFile(file);
  } catch (error) {
    throw new AuditSetupError(`cannot sign the report: ${(error as Error).message}`);
  }
}

async function openReadModels(
  settings: Settings,
  rules: RuleOptions,
): Promise<ReadModelStore | ReadModelsNotCompared> {
  // The read models hold the present of every user: compared whole, never at a cut or in part.
  if (rules.asOf !== undefined)
    return { compared: false, reason: '--as-of: the read models hold the present, not that instant' };
  if (rules.userId !== undefined || rules.orderId !== undefined)
    return { compared: false, reason: '--user/--order: the read models are compared whole only' };
  if (settings.mongodbUrl) {
    const client = await connectMongoDb(settings.mongodbUrl, settings.storeConnectTimeoutMs);
    return liveBuilds(new MongoDbReadModelStore(client, settings.mongodbDb, true));
  }
  if (settings.readModels === 'sqlite') {
    const file = path.join(settings.dataDir, 'read-models.db');
    if (!existsSync(file)) return { compared: false, reason: `no SQLite read models at ${file}` };
    return sqliteReadModelsForAudit(file);
  }
  return {
    compared: false,
    reason:
      'the read models are in memory (READ_MODELS=memory), inside the service: GET /v1/audit/report compares them',
  };
}

/** The read models as the service serves them: each collection and checkpoint of its live build. */
async function liveBuilds(store: ReadModelStore): Promise<ReadModelStore> {
  return new LiveReadModelStore(store, await recordedLiveCollections(store));
}

/**
 * The SQLite read models a running service may be writing, as the audit reads them: each
 * snapshot (one read transaction) reads which build is live again, so a rebuild's switch between
 * two groups is followed, and one during a group's read is not seen at all.
 */
export async function sqliteReadModelsForAudit(file: string): Promise<ReadModelStore> {
  const store = SqliteReadModelStore.open(file);
  return new SnapshotLiveReadModels(store, await recordedLiveCollections(store));
}

class SnapshotLiveReadModels extends LiveReadModelStore {
  constructor(
    private readonly file: SqliteReadModelStore,
    private readonly recorded: LiveCollections,
  ) {
    super(file, recorded);
  }

  snapshot<T>(read: () => Promise<T>): Promise<T> {
    return this.file.snapshot(async () => {
      await recordedLiveCollections(this.file, this.recorded);
      return read();
    });
  }
}
