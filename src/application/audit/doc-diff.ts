import { canonicalJson } from '../event-sourcing/canonical-json';

const MAX_FIELDS = 20;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The paths (`payment.refunds.0.amount`) at which two JSON documents differ, deepest first
 * found, at most 20. Values compare as canonical JSON, so key order and `undefined` members
 * (which JSON drops) make no difference; a path missing on one side is a difference.
 */
export function differingFields(expected: unknown, actual: unknown): string[] {
  const paths: string[] = [];
  walk(expected, actual, '', paths);
  return paths;
}

function walk(expected: unknown, actual: unknown, path: string, paths: string[]): void {
  if (paths.length >= MAX_FIELDS) return;
  if (expected === undefined || actual === undefined) {
    // A member on one side only (JSON drops undefined ones, so both missing is no difference).
    if (expected !== actual) paths.push(path === '' ? '(document)' : path);
    return;
  }
  if (isRecord(expected) && isRecord(actual)) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of [...keys].sort()) walk(expected[key], actual[key], join(path, key), paths);
    return;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const length = Math.max(expected.length, actual.length);
    for (let i = 0; i < length; i++) walk(expected[i], actual[i], join(path, String(i)), paths);
    return;
  }
  if (canonicalJson(expected) !== canonicalJson(actual)) paths.push(path === '' ? '(document)' : path);
}

const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);
