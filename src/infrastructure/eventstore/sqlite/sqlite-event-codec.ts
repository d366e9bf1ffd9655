import type Database from 'better-sqlite3';

/**
 * How an event's fields are kept small in events.db (format 2), each decoded back to exactly
 * the text that was written, so an event reads back as it was appended and its hash checks:
 * - ids that are lowercase UUIDs are 16 bytes, hashes 32 bytes (any other text is kept as text);
 * - a causation id equal to the correlation id is not stored again (NULL);
 * - a time in `toISOString()`'s form is its milliseconds;
 * - the data is canonical JSON in which every object key of three characters or more is a
 *   two-character code (a control character, never found raw in JSON text, then a printable
 *   one) from the `json_keys` table, which the writer extends as new keys come;
 * - stream names, event types and actors are rows of their own tables, referred to by number.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HASH = /^[0-9a-f]{64}$/;

export type StoredId = Buffer | string;

export function encodeId(id: string): StoredId {
  return UUID.test(id) ? Buffer.from(id.replace(/-/g, ''), 'hex') : id;
}

export function decodeId(stored: StoredId): string {
  if (typeof stored === 'string') return stored;
  const hex = stored.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A hash: 32 bytes; the genesis hash '' is an empty blob. */
export function encodeHash(hash: string): StoredId {
  return hash === '' || HASH.test(hash) ? Buffer.from(hash, 'hex') : hash;
}

export function decodeHash(stored: StoredId): string {
  return typeof stored === 'string' ? stored : stored.toString('hex');
}

export function encodeTime(iso: string): number | string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && new Date(ms).toISOString() === iso ? ms : iso;
}

/** The events of one command share their time: the last one decoded is kept. */
let lastTime = { ms: Number.NaN, iso: '' };

export function decodeTime(stored: number | string): string {
  if (typeof stored !== 'number') return stored;
  if (stored !== lastTime.ms) lastTime = { ms: stored, iso: new Date(stored).toISOString() };
  return lastTime.iso;
}

/** A key in the data as canonical JSON writes it: after `{` or `,`, quoted, then `:`. */
const KEY_IN_JSON = /([{,])"([A-Za-z_][A-Za-z0-9_]{2,63})":/g;
const MAX_CODES = 31 * 95;

/** A code's place among all codes, from its two characters' char codes. */
const codeIndex = (first: number, second: number): number => (first - 1) * 95 + (second - 32);

const codeOf = (index: number): string =>
  String.fromCharCode(1 + Math.floor(index / 95)) + String.fromCharCode(32 + (index % 95));

/**
 * The `json_keys` table in memory. Readers decode with it and look again in the table when a
 * code is new to them (the writer added it since); the writer encodes and adds new keys in the
 * transaction that first uses them (`forget` drops what a rolled-back transaction added).
 */
export class JsonKeys {
  private readonly keyOf = new Map<string, string>();
  private readonly codeFor = new Map<string, string>();
  /** By code index (`codeIndex`): the key as it reads in JSON, quoted and followed by `:`. */
  private readonly jsonOf: (string | undefined)[] = [];
  private added: string[] = [];
  private readonly all: Database.Statement<[], { code: string; key: string }>;
  private readonly insert: Database.Statement<[string, string]> | null;

  constructor(db: Database.Database, writer = false) {
    this.all = db.prepare('SELECT code, key FROM json_keys');
    this.insert = writer ? db.prepare('INSERT INTO json_keys (code, key) VALUES (?, ?)') : null;
    this.reload();
  }

  encode(json: string): string {
    return json.replace(KEY_IN_JSON, (whole, before: string, key: string) => {
      let code = this.codeFor.get(key);
      if (code === undefined && this.insert !== null) {
        // Another process's writer may have added it (we hold the write lock: the table is current).
        this.reload();
        code = this.codeFor.get(key);
      }
      if (code === undefined) {
        if (this.insert === null || this.codeFor.size >= MAX_CODES) return whole;
        code = codeOf(this.codeFor.size);
        this.insert.run(code, key);
        this.remember(code, key);
        this.added.push(code);
      }
      return before + code;
    });
  }

  /**
   * The data back as written. A scan rather than a replace with a callback per key: every
   * event of the log goes through here (the audit's pass reads a million of them).
   */
  decode(stored: string): string {
    let decoded = '';
    let from = 0;
    for (let i = 0; i < stored.length - 1; i++) {
      const first = stored.charCodeAt(i);
      if (first < 0x01 || first > 0x1f) continue;
      const second = stored.charCodeAt(i + 1);
      if (second < 0x20 || second > 0x7e) continue;
      const key = this.keyJson(codeIndex(first, second));
      // Not a code this file knows (written behind the store's back): left as it is.
      if (key === undefined) continue;
      decoded += stored.slice(from, i) + key;
      from = i + 2;
      i++;
    }
    return from === 0 ? stored : decoded + stored.slice(from);
  }

  /** `"key":` for a code's index, looking again in the table when it is new to this reader. */
  private keyJson(index: number): string | undefined {
    let key = this.jsonOf[index];
    if (key === undefined) {
      this.reload();
      key = this.jsonOf[index];
    }
    return key;
  }

  /** The transaction committed: what it added stays. */
  keep(): void {
    this.added = [];
  }

  /** The transaction rolled back: what it added is gone from the table, so from here too. */
  forget(): void {
    for (const code of this.added) {
      const key = this.keyOf.get(code);
      this.keyOf.delete(code);
      this.jsonOf[codeIndex(code.charCodeAt(0), code.charCodeAt(1))] = undefined;
      if (key !== undefined) this.codeFor.delete(key);
    }
    this.added = [];
  }

  private reload(): void {
    for (const { code, key } of this.all.all()) this.remember(code, key);
  }

  private remember(code: string, key: string): void {
    this.keyOf.set(code, key);
    this.codeFor.set(key, code);
    this.jsonOf[codeIndex(code.charCodeAt(0), code.charCodeAt(1))] = `"${key}":`;
  }
}

/**
 * A small table of names by number (event types): readers map numbers to names and look again
 * when a number is new; the writer adds names in the transaction that first uses them.
 */
export class NameTable {
  private readonly nameOf = new Map<number, string>();
  private readonly idOf = new Map<string, number>();
  private added: string[] = [];
  private readonly all: Database.Statement<[], { id: number; name: string }>;
  private readonly insert: Database.Statement<[string]> | null;

  constructor(db: Database.Database, table: string, writer = false) {
    this.all = db.prepare(`SELECT id, name FROM ${table}`);
    this.insert = writer ? db.prepare(`INSERT INTO ${table} (name) VALUES (?)`) : null;
    this.reload();
  }

  id(name: string): number {
    let id = this.idOf.get(name);
    if (id === undefined && this.insert !== null) {
      this.reload(); // another process's writer may have added it
      id = this.idOf.get(name);
    }
    if (id === undefined) {
      if (this.insert === null) throw new Error('a reader cannot add names');
      id = Number(this.insert.run(name).lastInsertRowid);
      this.remember(id, name);
      this.added.push(name);
    }
    return id;
  }

  name(id: number): string {
    let name = this.nameOf.get(id);
    if (name === undefined) {
      this.reload();
      name = this.nameOf.get(id);
      if (name === undefined) throw new Error(`events.db: unknown event type ${id}`);
    }
    return name;
  }

  keep(): void {
    this.added = [];
  }

  forget(): void {
    for (const name of this.added) {
      const id = this.idOf.get(name);
      this.idOf.delete(name);
      if (id !== undefined) this.nameOf.delete(id);
    }
    this.added = [];
  }

  private reload(): void {
    for (const { id, name } of this.all.all()) this.remember(id, name);
  }

  private remember(id: number, name: string): void {
    this.nameOf.set(id, name);
    this.idOf.set(name, id);
  }
}
