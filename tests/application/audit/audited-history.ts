import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { auditHistory, type AuditReport } from '../../../src/application/audit/history-audit';
import type { EventStore } from '../../../src/application/ports/event-store.port';
import type { Finding } from '../../../src/application/audit/audit-finding';
import { canonicalJson } from '../../../src/application/event-sourcing/canonical-json';
import { eventHash } from '../../../src/application/event-sourcing/event-hash';
import { metadataOf } from '../../../src/infrastructure/eventstore/sqlite/sqlite-append';
import {
  decodeHash,
  encodeHash,
  JsonKeys,
  NameTable,
} from '../../../src/infrastructure/eventstore/sqlite/sqlite-event-codec';
import { loadSettings } from '../../../src/infrastructure/config/settings';
import { composeAudit } from '../../../src/infrastructure/composition/compose-audit';
import { BASIC, EVENT, PREMIUM, purchase, refund } from '../support/purchases';
import { startWorld } from '../support/process-harness';

/** The history every tamper test starts from, and the streams it holds. */
export interface SealedHistory {
  dir: string;
  /** Alice's order: sealed by seal 0 (and untouched since). */
  alice: string;
  /** Bob's EVENT payment, partly refunded: sealed by seal 1. */
  bob: string;
  /** Carol's order: sealed by the shutdown seal (2). */
  carol: string;
}

/**
 * Three purchases through the real composition root, a seal after the first and after the
 * second (with a refund), and the shutdown seal after the third: three seals, nothing unsealed.
 */
export async function buildSealedHistory(): Promise<SealedHistory> {
  const world = await startWorld();
  const alice = await purchase(world, 'alice', BASIC);
  await world.app.sealer.sealNow();
  const bob = await purchase(world, 'bob', EVENT, 'portone', 10_000);
  await refund(world, bob.orderId, { userId: 'ops', role: 'admin' }, 3_000);
  await world.app.sealer.sealNow();
  const carol = await purchase(world, 'carol', PREMIUM);
  await world.restart(); // the old application's close seals (the shutdown seal)
  const dir = copyOf(world.dataDir);
  await world.close();
  return { dir, alice: alice.orderId, bob: bob.orderId, carol: carol.orderId };
}

/** A fresh copy of the history's DATA_DIR to tamper with. */
export function copyOf(source: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-tamper-'));
  for (const file of fs.readdirSync(source)) {
    if (file.startsWith('events.db') || file.endsWith('.pem'))
      fs.copyFileSync(path.join(source, file), path.join(dir, file));
  }
  return dir;
}

/** An event's row as events.db keeps it (format 2, see sqlite-event-codec.ts). */
export interface Row {
  global_position: number;
  revision: number;
  event_id: Buffer | string;
  type: number;
  data: string;
  correlation: Buffer | string;
  causation: Buffer | string | null;
  actor: number;
  recorded_at: number | string;
  prev_hash: Buffer | string;
  hash: Buffer | string;
}

/** Every column of a row but its position and its stream: what moving an event carries. */
export const CONTENT_COLUMNS = [
  'event_id',
  'type',
  'data',
  'correlation',
  'causation',
  'actor',
  'recorded_at',
  'prev_hash',
  'hash',
] as const;

/** Opens the copy's events table directly, as an attacker with the file would. */
export function tamper(dir: string, edit: (db: Database.Database) => void): void {
  const db = new Database(path.join(dir, 'events.db'));
  try {
    edit(db);
  } finally {
    db.close();
  }
}

export const streamOf = (db: Database.Database, streamId: string): number =>
  db.prepare('SELECT id FROM streams WHERE name = ?').pluck().get(streamId) as number;

export const rowsOf = (db: Database.Database, streamId: string): Row[] =>
  db.prepare('SELECT * FROM events WHERE stream = ? ORDER BY revision').all(streamOf(db, streamId)) as Row[];

/** Changes an event's data in place, keeping the file's own encoding of it (as a careful attacker would). */
export function editData(
  db: Database.Database,
  globalPosition: number,
  edit: (data: Record<string, unknown>) => void,
): void {
  const keys = new JsonKeys(db, true);
  const stored = db
    .prepare('SELECT data FROM events WHERE global_position = ?')
    .pluck()
    .get(globalPosition) as string;
  const data = JSON.parse(keys.decode(stored)) as Record<string, unknown>;
  edit(data);
  db.prepare('UPDATE events SET data = ? WHERE global_position = ?').run(
    keys.encode(canonicalJson(data)),
    globalPosition,
  );
}

/** Recomputes the hashes of a stream from a revision on, as a careful attacker would. */
export function rehashFrom(db: Database.Database, streamId: string, fromRevision: number): void {
  const rows = rowsOf(db, streamId);
  const keys = new JsonKeys(db);
  const types = new NameTable(db, 'event_types');
  const actor = db.prepare('SELECT actor FROM actors WHERE id = ?').pluck();
  let prevHash = fromRevision === 0 ? '' : decodeHash(rows[fromRevision - 1].hash);
  const update = db.prepare('UPDATE events SET prev_hash = ?, hash = ? WHERE global_position = ?');
  for (const row of rows.slice(fromRevision)) {
    const { hash: _old, ...metadata } = metadataOf([
      row.global_position,
      streamId,
      row.revision,
      row.type,
      row.data,
      row.event_id,
      row.correlation,
      row.causation,
      actor.get(row.actor) as string,
      row.recorded_at,
      row.prev_hash,
      row.hash,
    ]);
    metadata.prevHash = prevHash;
    const hash = eventHash({
      streamId,
      revision: row.revision,
      type: types.name(row.type),
      data: JSON.parse(keys.decode(row.data)) as Record<string, unknown>,
      metadata,
    });
    update.run(encodeHash(prevHash), encodeHash(hash), row.global_position);
    prevHash = hash;
  }
}

/** `npm run audit`'s work on a DATA_DIR, through the same composition. */
/**
 * The audit as `npm run audit` runs it (on SQLite: the chains and seals on a worker thread
 * beside the rules), checked against the single pass a store without the SQLite store's audit
 * capabilities gets (EventStoreDB's case): with the store's hash check (the same report, in the
 * same order), and with none at all (every hash recomputed in the pass: the same findings, a
 * hash mismatch listed where the pass found it among those at its position).
 */
export async function audit(dir: string): Promise<AuditReport> {
  const composition = await composeAudit(loadSettings({ DATA_DIR: dir }));
  try {
    const report = await composition.run();
    const store = composition.eventStore;
    const { publicKeyPem } = composition;
    const findHashMismatches = store.findHashMismatches!.bind(store);
    expect(await auditHistory({ ...portOnly(store), findHashMismatches }, { publicKeyPem })).toEqual(report);
    const plain = await auditHistory(portOnly(store), { publicKeyPem });
    const sorted = (findings: Finding[]) => findings.map((f) => canonicalJson(f)).sort();
    expect({ ...plain, findings: sorted(plain.findings) }).toEqual({
      ...report,
      findings: sorted(report.findings),
    });
    return report;
  } finally {
    await composition.close();
  }
}

/** The store through the port's required calls alone. */
function portOnly(store: EventStore): EventStore {
  return {
    append: (streamId, events, expected) => store.append(streamId, events, expected),
    readStream: (streamId) => store.readStream(streamId),
    readAll: (from, limit) => store.readAll(from, limit),
    headPosition: () => store.headPosition(),
    subscribe: (from, onEvent, onError) => store.subscribe(from, onEvent, onError),
    status: () => store.status(),
    close: () => store.close(),
  };
}
