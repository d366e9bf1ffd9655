import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { AuditReport } from '../../../src/application/audit/history-audit';
import type { RuleOptions } from '../../../src/application/audit/rules/audit-rules';
import { eventHash } from '../../../src/application/event-sourcing/event-hash';
import type { EventStore } from '../../../src/application/ports/event-store.port';
import { composeAudit } from '../../../src/infrastructure/composition/compose-audit';
import { loadSettings } from '../../../src/infrastructure/config/settings';
import { SqliteEventStore } from '../../../src/infrastructure/eventstore/sqlite/sqlite-event-store';

export interface Crafted {
  streamId: string;
  revision: number;
  globalPosition: number;
}

/**
 * Appends an event straight through the port, chained and hashed as the service would: the
 * history a decider bug would leave (the chains and seals cannot tell it from a good one; only
 * the rules can).
 */
export async function craft(
  store: EventStore,
  streamId: string,
  type: string,
  data: Record<string, unknown>,
  recordedAt: string,
): Promise<Crafted> {
  const existing = await store.readStream(streamId);
  const previous = existing.at(-1);
  const revision = existing.length;
  const metadata = {
    eventId: randomUUID(),
    correlationId: 'crafted',
    causationId: 'crafted',
    actor: { kind: 'system' as const, process: 'crafted' },
    recordedAt,
    prevHash: previous?.metadata.hash ?? '',
  };
  const hash = eventHash({ streamId, revision, type, data, metadata });
  const { globalPosition } = await store.append(
    streamId,
    [{ type, data, metadata: { ...metadata, hash } }],
    previous ? previous.revision : 'no_stream',
  );
  return { streamId, revision, globalPosition };
}

/** Crafts events into a DATA_DIR's event store file, the service stopped. */
export async function craftInto(dir: string, write: (store: EventStore) => Promise<void>): Promise<void> {
  const store = SqliteEventStore.open(path.join(dir, 'events.db'));
  try {
    await write(store);
  } finally {
    await store.close();
  }
}

/** `npm run audit` on a DATA_DIR (or a given store with DATA_DIR's key), cut and narrowed as asked. */
export async function auditWith(
  dir: string,
  rules: RuleOptions = {},
  store?: EventStore,
): Promise<AuditReport> {
  const composition = await composeAudit(loadSettings({ DATA_DIR: dir }), { eventStore: store });
  try {
    return await composition.run(rules);
  } finally {
    await composition.close();
  }
}
