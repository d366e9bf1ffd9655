import fs from 'node:fs';
import type { Finding } from '../../../src/application/audit/audit-finding';
import { SEAL_STREAM } from '../../../src/application/audit/seal';
import {
  audit,
  buildSealedHistory,
  CONTENT_COLUMNS,
  copyOf,
  editData,
  rehashFrom,
  rowsOf,
  streamOf,
  tamper,
  type SealedHistory,
} from './audited-history';

/**
 * A2 and issue #10 point 7: each edit an attacker with the SQLite file can make, up to the last
 * seal, is found with the stream and position that prove it.
 */
describe('the audit finds every tampering of a sealed history', () => {
  let history: SealedHistory;
  let dir: string;
  beforeAll(async () => {
    history = await buildSealedHistory();
  });
  afterAll(() => fs.rmSync(history.dir, { recursive: true, force: true }));
  beforeEach(() => {
    dir = copyOf(history.dir);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const order = (id: string) => `order-${id}`;
  const payment = (id: string) => `payment-${id}`;
  const found = (findings: Finding[], expected: Partial<Finding>) =>
    expect(findings).toContainEqual(expect.objectContaining(expected));

  it('a clean history audits clean, every event under a valid seal', async () => {
    const report = await audit(dir);
    expect(report.findings).toEqual([]);
    expect(report.seals).toMatchObject({ count: 3, valid: 3, last: { sequence: 2 } });
    expect(report.unsealedEvents).toBe(0);
    expect(report.events).toBe(report.headPosition);
  });

  it('finds an amount changed in the file, at its event', async () => {
    let placed = { global_position: 0 };
    tamper(dir, (db) => {
      [placed] = rowsOf(db, order(history.alice));
      editData(db, placed.global_position, (data) => (data.amount = 1));
    });
    const { findings } = await audit(dir);
    found(findings, {
      kind: 'hash-mismatch',
      streamId: order(history.alice),
      revision: 0,
      globalPosition: placed.global_position,
    });
  });

  it('finds an event deleted from the middle of a stream', async () => {
    let after = { global_position: 0 };
    tamper(dir, (db) => {
      const rows = rowsOf(db, order(history.alice));
      after = rows[2];
      db.prepare('DELETE FROM events WHERE global_position = ?').run(rows[1].global_position);
    });
    const { findings } = await audit(dir);
    found(findings, {
      kind: 'revision-gap',
      streamId: order(history.alice),
      revision: 1,
      globalPosition: after.global_position,
    });
  });

  it('finds the sealed tail of a stream dropped (the refund), with the first missing revision', async () => {
    let last = { revision: 0 };
    tamper(dir, (db) => {
      const rows = rowsOf(db, payment(history.bob));
      last = rows[rows.length - 1];
      db.prepare('DELETE FROM events WHERE stream = ? AND revision >= ?').run(
        streamOf(db, payment(history.bob)),
        1,
      );
    });
    const { findings } = await audit(dir);
    found(findings, {
      kind: 'sealed-events-missing',
      streamId: payment(history.bob),
      revision: 1,
      toRevision: last.revision,
    });
  });

  it('finds a whole stream deleted', async () => {
    tamper(dir, (db) =>
      db.prepare('DELETE FROM events WHERE stream = ?').run(streamOf(db, payment(history.bob))),
    );
    const { findings } = await audit(dir);
    found(findings, { kind: 'sealed-stream-missing', streamId: payment(history.bob), revision: 0 });
  });

  it('finds an event inserted into a sealed stream', async () => {
    tamper(dir, (db) => {
      const stream = streamOf(db, order(history.alice));
      const rows = rowsOf(db, order(history.alice));
      // make room at revision 1, then write a forged event there
      db.prepare('UPDATE events SET revision = -revision - 1 WHERE stream = ? AND revision >= 1').run(stream);
      db.prepare('UPDATE events SET revision = -revision WHERE stream = ? AND revision < 0').run(stream);
      const forged = { ...rows[1], event_id: 'forged-event' };
      db.prepare(
        `INSERT INTO events (stream, revision, ${CONTENT_COLUMNS.join(', ')}) VALUES (?, 1, ${CONTENT_COLUMNS.map(() => '?').join(', ')})`,
      ).run(stream, ...CONTENT_COLUMNS.map((c) => forged[c]));
    });
    const { findings } = await audit(dir);
    found(findings, { streamId: order(history.alice), revision: 1, kind: 'revision-gap' });
    found(findings, { streamId: order(history.alice), kind: 'unsealed-event' });
  });

  it('finds two events swapped', async () => {
    let first = { global_position: 0 };
    tamper(dir, (db) => {
      const rows = rowsOf(db, order(history.alice));
      first = rows[1];
      const put = db.prepare(
        `UPDATE events SET ${CONTENT_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE global_position = ?`,
      );
      db.prepare('UPDATE events SET event_id = ? WHERE global_position = ?').run(
        'swap',
        rows[1].global_position,
      );
      put.run(...CONTENT_COLUMNS.map((c) => rows[1][c]), rows[2].global_position);
      put.run(...CONTENT_COLUMNS.map((c) => rows[2][c]), rows[1].global_position);
    });
    const { findings } = await audit(dir);
    found(findings, {
      kind: 'chain-broken',
      streamId: order(history.alice),
      revision: 1,
      globalPosition: first.global_position,
    });
  });

  it('finds an event edited with every hash after it recomputed, through the seal', async () => {
    let placed = { global_position: 0 };
    let count = 0;
    tamper(dir, (db) => {
      const rows = rowsOf(db, order(history.alice));
      [placed] = rows;
      count = rows.length;
      editData(db, placed.global_position, (data) => (data.amount = 1));
      rehashFrom(db, order(history.alice), 0);
    });
    const { findings } = await audit(dir);
    // the chain itself is whole again: only the seal can tell
    expect(findings.filter((f) => f.kind === 'hash-mismatch' || f.kind === 'chain-broken')).toEqual([]);
    found(findings, {
      kind: 'sealed-head-mismatch',
      streamId: order(history.alice),
      revision: 0,
      toRevision: count - 1,
      globalPosition: placed.global_position,
      seal: 0,
    });
  });

  it('finds a seal removed', async () => {
    let removed = { global_position: 0 };
    tamper(dir, (db) => {
      removed = rowsOf(db, SEAL_STREAM)[1];
      db.prepare('DELETE FROM events WHERE global_position = ?').run(removed.global_position);
    });
    const { findings } = await audit(dir);
    found(findings, { kind: 'seal-chain-broken', streamId: SEAL_STREAM, revision: 1 });
  });

  it('finds a seal forged without the key', async () => {
    tamper(dir, (db) => {
      const [seal] = rowsOf(db, SEAL_STREAM);
      editData(db, seal.global_position, (data) => (data.eventCount = 1));
      rehashFrom(db, SEAL_STREAM, 0);
    });
    const { findings } = await audit(dir);
    found(findings, { kind: 'seal-invalid', streamId: SEAL_STREAM, revision: 0, seal: 0 });
  });
});
