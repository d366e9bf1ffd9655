import path from 'node:path';
import type { ApiKeyStore } from '../../application/ports/api-key-store.port';
import type { Clock } from '../../application/ports/clock.port';
import type { EventStore } from '../../application/ports/event-store.port';
import type { IdempotencyStore } from '../../application/ports/idempotency-store.port';
import type { ReadModelStore } from '../../application/ports/read-model-store.port';
import type { PaymentGateway } from '../../application/ports/payment-gateway.port';
import { MongoDbApiKeyStore } from '../api-keys/mongodb-api-key-store';
import { SqliteApiKeyStore } from '../api-keys/sqlite-api-key-store';
import { SandboxClock } from '../clock/sandbox-clock';
import { SystemClock } from '../clock/system-clock';
import type { Settings } from '../config/settings';
import { SqliteEventStore } from '../eventstore/sqlite/sqlite-event-store';
import { MongoDbIdempotencyStore } from '../idempotency/mongodb-idempotency-store';
import { SqliteIdempotencyStore } from '../idempotency/sqlite-idempotency-store';
import { PortonePaymentGateway } from '../pg/portone/portone-payment-gateway';
import { TossPaymentGateway } from '../pg/toss/toss-payment-gateway';
import { MongoDbReadModelStore } from '../readmodels/mongodb/mongodb-read-model-store';
import { connectEventStoreDb, connectMongoDb } from './store-connections';
import { MemoryReadModelStore } from '../readmodels/memory/memory-read-model-store';
import { SqliteReadModelStore } from '../readmodels/sqlite/sqlite-read-model-store';

export interface Adapters {
  clock: Clock;
  sandboxClock: SandboxClock | null;
  eventStore: EventStore;
  readModels: ReadModelStore;
  idempotency: IdempotencyStore;
  apiKeys: ApiKeyStore;
  gateways: PaymentGateway[];
}

/**
 * Picks each port's adapter from the settings: the embedded default unless a URL is set.
 * Adapters in `given` are used as they are, and nothing is opened for them.
 */
export async function createAdapters(settings: Settings, given: Partial<Adapters> = {}): Promise<Adapters> {
  const sandboxClock =
    'sandboxClock' in given
      ? (given.sandboxClock ?? null)
      : settings.paymentsMode === 'sandbox'
        ? new SandboxClock(path.join(settings.dataDir, 'sandbox-clock.json'))
        : null;
  const clock = given.clock ?? sandboxClock ?? new SystemClock();
  const eventStore: EventStore =
    given.eventStore ??
    (settings.eventStoreUrl
      ? await connectEventStoreDb(settings.eventStoreUrl, settings.storeConnectTimeoutMs)
      : SqliteEventStore.open(path.join(settings.dataDir, 'events.db')));
  let readModels = given.readModels;
  let idempotency = given.idempotency;
  let apiKeys = given.apiKeys;
  if (settings.mongodbUrl && (!readModels || !idempotency || !apiKeys)) {
    const client = await connectMongoDb(settings.mongodbUrl, settings.storeConnectTimeoutMs).catch(
      async (error: unknown) => {
        if (!given.eventStore) await eventStore.close();
        throw error;
      },
    );
    readModels ??= new MongoDbReadModelStore(client, settings.mongodbDb, true);
    idempotency ??= new MongoDbIdempotencyStore(client, settings.mongodbDb);
    apiKeys ??= new MongoDbApiKeyStore(client, settings.mongodbDb);
  }
  // SQLite by default: persistent, so a start catches up only on what is new. Memory (rebuilt
  // from the whole history at every start) is for tests and quick benches.
  readModels ??=
    settings.readModels === 'sqlite'
      ? SqliteReadModelStore.open(path.join(settings.dataDir, 'read-models.db'))
      : new MemoryReadModelStore();
  idempotency ??= new SqliteIdempotencyStore(path.join(settings.dataDir, 'idempotency.db'));
  apiKeys ??= new SqliteApiKeyStore(path.join(settings.dataDir, 'api-keys.db'));
  // Only the configured PGs (live mode: those whose secrets are set); a confirm for another is
  // refused as UNSUPPORTED_PROVIDER before anything is recorded.
  const gateways: PaymentGateway[] = given.gateways ?? [
    ...(settings.providers.includes('toss')
      ? [
          new TossPaymentGateway({
            baseUrl: settings.toss.apiBaseUrl,
            secretKey: settings.toss.secretKey,
            timeoutMs: settings.pgTimeoutMs,
          }),
        ]
      : []),
    ...(settings.providers.includes('portone')
      ? [
          new PortonePaymentGateway({
            baseUrl: settings.portone.apiBaseUrl,
            apiKey: settings.portone.apiKey,
            apiSecret: settings.portone.apiSecret,
            timeoutMs: settings.pgTimeoutMs,
            clock,
          }),
        ]
      : []),
  ];
  return { clock, sandboxClock, eventStore, readModels, idempotency, apiKeys, gateways };
}
