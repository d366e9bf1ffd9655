import { InvalidCursorError } from '../../application/ports/read-model-store.port';

/**
 * The page cursor both read-model adapters hand out: base64url of JSON `[orderByValue, id]`,
 * i.e. the sort key of the last item on the page. Shared so a cursor means the same thing
 * whichever store made it.
 */
export type CursorValue = string | number | boolean | null;

export interface CursorPosition {
  value: CursorValue;
  id: string;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** `value` is the last item's orderBy field; a missing field (or NaN) is stored as null. */
export function encodeCursor(value: unknown, id: string): string {
  return Buffer.from(JSON.stringify([toCursorValue(value), id]), 'utf8').toString('base64url');
}

/** Throws InvalidCursorError for anything encodeCursor could not have produced. */
export function decodeCursor(cursor: string): CursorPosition {
  if (!BASE64URL.test(cursor)) throw new InvalidCursorError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw new InvalidCursorError();
  const [value, id] = parsed as [unknown, unknown];
  if (typeof id !== 'string' || !isCursorValue(value)) throw new InvalidCursorError();
  // Node's base64 decoder skips stray bits; re-encoding catches a tampered but decodable string.
  if (encodeCursor(value, id) !== cursor) throw new InvalidCursorError();
  return { value, id };
}

function toCursorValue(value: unknown): CursorValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return null; // sorts with null, as in compareSortValues
    if (!Number.isFinite(value)) throw new TypeError('read-model orderBy value is not finite');
    return value;
  }
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  // Ordering by an object or Date field would make a cursor that cannot be compared back.
  throw new TypeError('read-model orderBy field must hold a string, number or boolean');
}

function isCursorValue(value: unknown): value is CursorValue {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}
