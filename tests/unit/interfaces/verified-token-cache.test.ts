import { JwtError, signJwt } from '../../../src/interfaces/http/auth/jwt';
import { VerifiedTokenCache } from '../../../src/interfaces/http/auth/verified-token-cache';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const NOW = 1_800_000_000;

describe('VerifiedTokenCache', () => {
  const token = signJwt({ sub: 'alice', role: 'user' }, SECRET, { expiresInSeconds: 60, nowSeconds: NOW });

  it('returns the principal of a valid token, again from the cache', () => {
    const cache = new VerifiedTokenCache(SECRET);
    expect(cache.verify(token, NOW)).toEqual({ userId: 'alice', role: 'user' });
    expect(cache.verify(token, NOW + 30)).toEqual({ userId: 'alice', role: 'user' });
  });

  it('refuses a cached token once the wall clock reaches its expiry', () => {
    const cache = new VerifiedTokenCache(SECRET);
    cache.verify(token, NOW);
    expect(() => cache.verify(token, NOW + 60)).toThrow(JwtError);
  });

  it('never caches a token it could not verify', () => {
    const cache = new VerifiedTokenCache(SECRET);
    const forged = signJwt({ sub: 'mallory', role: 'admin' }, 'another-secret-that-is-long-enough-too', {
      expiresInSeconds: 60,
      nowSeconds: NOW,
    });
    expect(() => cache.verify(forged, NOW)).toThrow(JwtError);
    expect(() => cache.verify(forged, NOW)).toThrow(JwtError);
  });
});
