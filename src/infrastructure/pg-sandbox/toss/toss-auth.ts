import { timingSafeEqual } from 'node:crypto';
import { tossError, type TossReply } from './toss-error-codes';

/**
 * Toss Basic auth: base64(secretKey + ':'). Returns the error to answer with, or null when the
 * caller is authenticated. A credential without the colon is Toss's 403 format error.
 */
export function checkTossAuth(header: string | undefined, secretKey: string): TossReply | null {
  const match = header ? /^Basic\s+(\S+)\s*$/i.exec(header) : null;
  if (!match?.[1]) return tossError('UNAUTHORIZED_KEY');
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return tossError('INCORRECT_BASIC_AUTH_FORMAT');
  return sameSecret(decoded.slice(0, colon), secretKey) ? null : tossError('UNAUTHORIZED_KEY');
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
