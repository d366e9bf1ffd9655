import { createHmac } from 'node:crypto';
import { JwtError, signJwt, verifyJwt, type JwtFailure } from '../../../src/interfaces/http/auth/jwt';

const SECRET = 'a-test-secret-that-is-long-enough-1234';
const NOW = 1_760_000_000;

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A token built by hand, so the tests can sign anything the real signer would never produce. */
function craft(header: unknown, payload: unknown, secret = SECRET): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

const HS256 = { alg: 'HS256', typ: 'JWT' };
const valid = { sub: 'user-1', role: 'user', exp: NOW + 60 };

function failure(token: string, now = NOW): JwtFailure {
  try {
    verifyJwt(token, SECRET, now);
  } catch (error) {
    if (error instanceof JwtError) return error.reason;
    throw error;
  }
  throw new Error('token was accepted');
}

describe('signJwt / verifyJwt', () => {
  it('round-trips the user id and role of a token it signed', () => {
    const token = signJwt({ sub: 'user-1', role: 'admin' }, SECRET, {
      expiresInSeconds: 3600,
      nowSeconds: NOW,
    });
    expect(verifyJwt(token, SECRET, NOW + 10)).toEqual({ userId: 'user-1', role: 'admin' });
  });

  it('accepts a hand-made HS256 token with a standard header', () => {
    expect(verifyJwt(craft(HS256, valid), SECRET, NOW)).toEqual({ userId: 'user-1', role: 'user' });
  });

  it('refuses alg "none" even with an empty signature', () => {
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(valid)}.`;
    expect(failure(token)).toBe('malformed');
    expect(failure(craft({ alg: 'none' }, valid))).toBe('unsupported_alg');
  });

  it('refuses any algorithm other than HS256', () => {
    expect(failure(craft({ alg: 'RS256' }, valid))).toBe('unsupported_alg');
    expect(failure(craft({ alg: 'HS512' }, valid))).toBe('unsupported_alg');
    expect(failure(craft({ typ: 'JWT' }, valid))).toBe('unsupported_alg');
  });

  it('refuses a token signed with another secret', () => {
    expect(failure(craft(HS256, valid, 'another-secret-that-is-long-enough!!'))).toBe('bad_signature');
  });

  it('refuses a token whose payload was changed after signing', () => {
    const [header, , signature] = craft(HS256, valid).split('.');
    const forged = `${header}.${b64({ ...valid, role: 'admin' })}.${signature}`;
    expect(failure(forged)).toBe('bad_signature');
  });

  it('refuses a truncated signature', () => {
    expect(failure(craft(HS256, valid).slice(0, -2))).toBe('bad_signature');
  });

  it('refuses segments that are not base64url', () => {
    const [header, payload, signature] = craft(HS256, valid).split('.');
    expect(failure(`${header}.${payload}+/.${signature}`)).toBe('malformed');
    expect(failure(`${header}=.${payload}.${signature}`)).toBe('malformed');
    expect(failure(`${header}.${payload}`)).toBe('malformed');
    expect(failure('')).toBe('malformed');
  });

  it('refuses a header or payload that is not a JSON object', () => {
    expect(failure(craft('not json', valid))).toBe('malformed');
    expect(failure(craft(HS256, '{"sub":'))).toBe('malformed');
    expect(failure(craft(HS256, [1, 2]))).toBe('malformed');
  });

  it('refuses a token at and after its exp, judged by the time passed in', () => {
    const token = craft(HS256, valid);
    expect(verifyJwt(token, SECRET, NOW + 59).userId).toBe('user-1');
    expect(failure(token, NOW + 60)).toBe('expired');
    expect(failure(token, NOW + 3600)).toBe('expired');
  });

  it('refuses a token without a numeric exp', () => {
    expect(failure(craft(HS256, { sub: 'u1', role: 'user' }))).toBe('invalid_claims');
    expect(failure(craft(HS256, { ...valid, exp: String(NOW + 60) }))).toBe('invalid_claims');
  });

  it('refuses a token before its nbf', () => {
    const token = craft(HS256, { ...valid, nbf: NOW + 30 });
    expect(failure(token, NOW)).toBe('not_yet_valid');
    expect(verifyJwt(token, SECRET, NOW + 30).userId).toBe('user-1');
  });

  it.each([
    ['missing', { role: 'user', exp: NOW + 60 }],
    ['empty', { ...valid, sub: '' }],
    ['a number', { ...valid, sub: 42 }],
    ['too long', { ...valid, sub: 'u'.repeat(129) }],
    ['full of unsafe characters', { ...valid, sub: 'user/../admin' }],
    ['an object', { ...valid, sub: { $gt: '' } }],
  ])('refuses a sub that is %s', (_case, payload) => {
    expect(failure(craft(HS256, payload))).toBe('invalid_claims');
  });

  it('accepts a sub of exactly 128 safe characters', () => {
    const sub = 'a'.repeat(128);
    expect(verifyJwt(craft(HS256, { ...valid, sub }), SECRET, NOW).userId).toBe(sub);
  });

  it.each([['superuser'], ['ADMIN'], [undefined], [['admin']]])('refuses role %p', (role) => {
    expect(failure(craft(HS256, { ...valid, role }))).toBe('invalid_claims');
  });

  it('accepts the auditor role', () => {
    expect(verifyJwt(craft(HS256, { ...valid, role: 'auditor' }), SECRET, NOW).role).toBe('auditor');
  });

  it('refuses to sign or verify with an empty secret', () => {
    expect(() => signJwt({ sub: 'u', role: 'user' }, '', { expiresInSeconds: 1, nowSeconds: NOW })).toThrow();
    expect(() => verifyJwt(craft(HS256, valid), '', NOW)).toThrow('JWT secret');
  });
});
