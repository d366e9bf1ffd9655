import { MongoClient } from 'mongodb';
import path from 'node:path';
import type { Clock } from '../../application/ports/clock.port';
import type { EventStore } from '../../application/ports/event-store.port';
import type { IdempotencyStore } from '../../application/ports/idempotency-store.port';
import type { ReadModelStore } from '../../application/ports/read-model-store.port';
import type { PaymentGateway } from '../../application/ports/payment-gateway.port';
import { SandboxClock } from '../clock/sandbox-clock';
import { SystemClock } from '../clock/system-clock';
import type { Settings } from '../config/settings';
import { EsdbEventStore } from '../eventstore/esdb/esdb-event-store';
import { SqliteEventStore } from '../eventstore/sqlite/sqlite-event-store';
import { MongoDbIdempotencyStore } from '../idempotency/mongodb-idempotency-store';
import { SqliteIdempotencyStore } from '../idempotency/sqlite-idempotency-store';
import { PortonePaymentGateway } from '../pg/portone/portone-payment-gateway';
import { TossPaymentGateway } from '../pg/toss/toss-payment-gateway';
import { MongoDbReadModelStore } from '../readmodels/mongodb/mongodb-read-model-store';
import { SqliteReadModelStore } from '../readmodels/sqlite/sqlite-read-model-store';

export interface Adapters {
  clock: Clock;
  sandboxClock: SandboxClock | null;
  eventStore: EventStore;
  readModels: ReadModelStore;
  idempotency: IdempotencyStore;
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
      ? EsdbEventStore.connect(settings.eventStoreUrl)
      : SqliteEventStore.open(path.join(settings.dataDir, 'events.db')));
  let readModels = given.readModels;
  let idempotency = given.idempotency;
  if (settings.mongodbUrl && (!readModels || !idempotency)) {
    const client = new MongoClient(settings.mongodbUrl);
    await client.connect();
    readModels ??= new MongoDbReadModelStore(client, settings.mongodbDb, true);
    idempotency ??= new MongoDbIdempotencyStore(client, settings.mongodbDb);
  }
  // Persistent: a start catches up only on what is new (the memory store is for tests).
  readModels ??= SqliteReadModelStore.open(path.join(settings.dataDir, 'read-models.db'));
  idempotency ??= new SqliteIdempotencyStore(path.join(settings.dataDir, 'idempotency.db'));
  const gateways: PaymentGateway[] = given.gateways ?? [
    new TossPaymentGateway({
      baseUrl: settings.toss.apiBaseUrl,
      secretKey: settings.toss.secretKey,
      timeoutMs: settings.pgTimeoutMs,
    }),
    new PortonePaymentGateway({
      baseUrl: settings.portone.apiBaseUrl,
      apiKey: settings.portone.apiKey,
      apiSecret: settings.portone.apiSecret,
      timeoutMs: settings.pgTimeoutMs,
      clock,
    }),
  ];
  return { clock, sandboxClock, eventStore, readModels, idempotency, gateways };
}
