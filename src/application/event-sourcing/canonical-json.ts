/**
 * JSON with object keys sorted at every level, so equal values always hash the same. Keys are
 * compared by UTF-16 code units (Array.prototype.sort's default); undefined members are left out
 * of objects and written as null in arrays, as JSON.stringify does. It runs for every event
 * written and every event an audit checks, hence the plain loops, the quoted-key cache (events
 * reuse a small set of field names) and the sort skipped when the keys already come in order.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? arrayJson(value) : objectJson(value as Record<string, unknown>);
    default:
      return JSON.stringify(value) ?? 'null';
  }
}

function arrayJson(items: unknown[]): string {
  let text = '[';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) text += ',';
    text += canonicalJson(items[i]);
  }
  return text + ']';
}

function objectJson(record: Record<string, unknown>): string {
  const keys = Object.keys(record);
  if (!inOrder(keys)) keys.sort();
  let text = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const member = record[key];
    if (member === undefined) continue;
    if (text.length > 1) text += ',';
    text += quotedKey(key) + ':' + canonicalJson(member);
  }
  return text + '}';
}

function inOrder(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1] > keys[i]) return false;
  return true;
}

const MAX_QUOTED_KEYS = 4096;
const quotedKeys = new Map<string, string>();

function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < MAX_QUOTED_KEYS) quotedKeys.set(key, quoted);
  }
  return quoted;
}
