import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { TurnCommit } from '../../../src/infrastructure/pg-sandbox/turn-commit';

describe('TurnCommit', () => {
  let dir: string;
  let db: Database.Database;
  let other: Database.Database;
  const count = () => other.prepare('SELECT COUNT(*) FROM t').pluck().get();

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerline-turn-'));
    db = new Database(path.join(dir, 'sandbox.db'));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (v TEXT NOT NULL UNIQUE)');
    other = new Database(path.join(dir, 'sandbox.db'), { readonly: true });
  });
  afterEach(() => {
    other.close();
    if (db.open) db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('commits the calls of one turn together, and answers only after the commit', async () => {
    const turn = new TurnCommit(db);
    const insert = db.transaction((v: string) => db.prepare('INSERT INTO t (v) VALUES (?)').run(v).changes);
    const answers = [turn.run(() => insert('a')), turn.run(() => insert('b'))];
    expect(count()).toBe(0); // applied, not yet committed: another connection sees nothing
    await expect(Promise.all(answers)).resolves.toEqual([1, 1]);
    expect(count()).toBe(2);
  });

  it('rolls back a call that throws, alone', async () => {
    const turn = new TurnCommit(db);
    const insert = db.transaction((v: string) => {
      db.prepare('INSERT INTO t (v) VALUES (?)').run(`${v}-1`);
      db.prepare('INSERT INTO t (v) VALUES (?)').run(v); // 'dup' twice: the second call fails here
      return v;
    });
    const first = turn.run(() => insert('dup'));
    expect(() => turn.run(() => insert('dup'))).toThrow(/UNIQUE/);
    const third = turn.run(() => insert('c'));
    await expect(Promise.all([first, third])).resolves.toEqual(['dup', 'c']);
    expect(other.prepare('SELECT v FROM t ORDER BY v').pluck().all()).toEqual(['c', 'c-1', 'dup', 'dup-1']);
  });

  it('answers no call of a turn whose commit fails', async () => {
    const turn = new TurnCommit(db);
    const answer = turn.run(() => db.prepare('INSERT INTO t (v) VALUES (?)').run('lost').changes);
    db.close(); // the commit at the end of the turn has nothing to commit to
    await expect(answer).rejects.toThrow('could not commit');
    expect(count()).toBe(0);
  });
});
