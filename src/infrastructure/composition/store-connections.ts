import { MongoClient } from 'mongodb';
import { EsdbEventStore } from '../eventstore/esdb/esdb-event-store';
import { redactUrl } from '../config/settings-summary';
import { withinDeadline } from './startup-error';

/**
 * The configured stores, each proven to answer within `timeoutMs` before the service starts, so
 * an unreachable one fails the start with one line (StartupError) instead of a hang or a stack.
 */
export async function connectEventStoreDb(url: string, timeoutMs: number): Promise<EsdbEventStore> {
  const store = EsdbEventStore.connect(url);
  try {
    // The client connects lazily: a first read (the head of $all) is the proof it answers.
    await withinDeadline(
      store.headPosition(),
      timeoutMs,
      `EventStoreDB at ${redactUrl(url)} (EVENTSTORE_URL)`,
    );
  } catch (error) {
    void store.close().catch(() => undefined);
    throw error;
  }
  return store;
}

export async function connectMongoDb(url: string, timeoutMs: number): Promise<MongoClient> {
  // Server selection bounds the connect, and later operations wait no longer for a primary.
  const client = new MongoClient(url, { serverSelectionTimeoutMS: timeoutMs });
  try {
    await withinDeadline(client.connect(), timeoutMs + 1_000, `MongoDB at ${redactUrl(url)} (MONGODB_URL)`);
  } catch (error) {
    void client.close().catch(() => undefined);
    throw error;
  }
  return client;
}
