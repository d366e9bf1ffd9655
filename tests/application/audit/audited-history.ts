import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AuditReport } from '../../../src/application/audit/history-audit';
import { eventHash } from '../../../src/application/event-sourcing/event-hash';
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

export interface Row {
  global_position: number;
  stream_id: string;
  revision: number;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
}

/** Opens the copy's events table directly, as an attacker with the file would. */
export function tamper(dir: string, edit: (db: Database.Database) => void): void {
  const db = new Database(path.join(dir, 'events.db'));
  try {
    edit(db);
  } finally {
    db.close();
  }
}

export const rowsOf = (db: Database.Database, streamId: string): Row[] =>
  db.prepare('SELECT * FROM events WHERE stream_id = ? ORDER BY revision').all(streamId) as Row[];

/** Recomputes the hashes of a stream from a revision on, as a careful attacker would. */
export function rehashFrom(db: Database.Database, streamId: string, fromRevision: number): void {
  const rows = rowsOf(db, streamId);
  let prevHash =
    fromRevision === 0 ? '' : (JSON.parse(rows[fromRevision - 1].metadata) as { hash: string }).hash;
  const update = db.prepare('UPDATE events SET metadata = ? WHERE global_position = ?');
  for (const row of rows.slice(fromRevision)) {
    const { hash: _old, ...metadata } = JSON.parse(row.metadata) as Record<string, unknown>;
    metadata.prevHash = prevHash;
    const data = JSON.parse(row.data) as Record<string, unknown>;
    const hash = eventHash({
      streamId,
      revision: row.revision,
      type: row.type,
      data,
      metadata: metadata as never,
    });
    update.run(JSON.stringify({ ...metadata, hash }), row.global_position);
    prevHash = hash;
  }
}

/** `npm run audit`'s work on a DATA_DIR, through the same composition. */
export async function audit(dir: string): Promise<AuditReport> {
  const composition = await composeAudit(loadSettings({ DATA_DIR: dir }));
  try {
    return await composition.run();
  } finally {
    await composition.close();
  }
}
