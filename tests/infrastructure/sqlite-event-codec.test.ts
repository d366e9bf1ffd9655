import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { canonicalJson } from '../../src/application/event-sourcing/canonical-json';
import { JsonKeys } from '../../src/infrastructure/eventstore/sqlite/sqlite-event-codec';
import { openEventDatabase } from '../../src/infrastructure/eventstore/sqlite/sqlite-event-schema';

/** The data's key codes (format 2): what a reader decodes is exactly what the writer encoded. */
describe('JsonKeys', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codec-'));
    file = path.join(dir, 'events.db');
    openEventDatabase(file).close();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('decodes what it encoded: nested keys, short keys, and text that only looks like a key or a code', () => {
    const db = new Database(file);
    const writer = new JsonKeys(db, true);
    const data = canonicalJson({
      amount: 9900,
      id: 'short keys stay as they are',
      nested: { orderId: 'o-1', items: [{ planId: 3, note: '"amount": in a string' }] },
      controls: '\u0001A and \u001f~ escaped in a string',
    });
    const stored = writer.encode(data);
    expect(stored).not.toContain('"amount":9900');
    expect(new JsonKeys(db).decode(stored)).toBe(data);
    db.close();
  });

  it('finds a code another writer added after the reader loaded the table', () => {
    const db = new Database(file);
    const reader = new JsonKeys(db);
    const stored = new JsonKeys(db, true).encode(canonicalJson({ refundId: 'r-1' }));
    expect(reader.decode(stored)).toBe('{"refundId":"r-1"}');
    db.close();
  });

  it('leaves a code the file does not know as it is', () => {
    const db = new Database(file);
    expect(new JsonKeys(db).decode('{\u0005Z1,"ok":2}')).toBe('{\u0005Z1,"ok":2}');
    db.close();
  });
});
