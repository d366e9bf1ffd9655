/**
 * The total order the memory store pages by, matching MongoDB's sort for the values read
 * models hold: null/missing first, then numbers, then strings, then booleans. NaN sorts with
 * null so the order stays total (and the cursor encodes both as null).
 * Strings compare by UTF-16 code unit; MongoDB compares UTF-8 bytes, which differs only
 * between astral characters and U+E000–U+FFFF — irrelevant for ids and ISO timestamps.
 */
export function compareSortValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0 || ra === 4 || a === b) return 0;
  // Same primitive type here, so the relational operators are well defined.
  return (a as string | number | boolean) < (b as string | number | boolean) ? -1 : 1;
}

export function compareIds(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

function typeRank(value: unknown): number {
  switch (typeof value) {
    case 'number':
      return value !== value ? 0 : 1; // NaN; no global lookup in this hot path
    case 'string':
      return 2;
    case 'boolean':
      return 3;
    case 'undefined':
      return 0;
    default:
      return value === null ? 0 : 4;
  }
}
