import { JwksVerifier } from '../../../src/interfaces/http/auth/jwks-verifier';
import { JwtError, signJwt, type JwtFailure } from '../../../src/interfaces/http/auth/jwt';
import { TokenVerifier } from '../../../src/interfaces/http/auth/token-verifier';
import { idpKey, TestIdentityProvider, unsignedToken, type IdpKey } from '../../support/identity-provider';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const DAY = 86_400;
const now = () => Math.floor(Date.now() / 1000);

async function failure(promise: Promise<unknown>): Promise<JwtFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof JwtError) return error.reason;
    throw error;
  }
  throw new Error('the token was accepted');
}

describe('TokenVerifier with an identity provider (JWKS)', () => {
  let idp: TestIdentityProvider;
  let rsa: IdpKey;
  let ec: IdpKey;
  beforeAll(async () => {
    [rsa, ec] = await Promise.all([idpKey('rsa-1'), idpKey('ec-1', 'ES256')]);
  });
  beforeEach(async () => {
    idp = await TestIdentityProvider.start([rsa, ec]);
  });
  afterEach(() => idp.close());

  const verifier = (
    options: Partial<ConstructorParameters<typeof JwksVerifier>[0]> = {},
    maxLifetime = DAY,
  ) =>
    new TokenVerifier({
      hs256Secret: SECRET,
      maxLifetimeSeconds: maxLifetime,
      jwks: new JwksVerifier({
        jwksUrl: idp.url,
        issuer: idp.issuer,
        audience: ['ledgerline'],
        roleClaim: 'role',
        cooldownMs: 0,
        ...options,
      }),
    });

  it('accepts an RS256 token signed by a key in the JWKS, with its sub and role', async () => {
    const token = await idp.sign(rsa, { sub: 'alice', role: 'admin' });
    expect(await verifier().verify(token, now())).toEqual({ userId: 'alice', role: 'admin' });
  });

  it('accepts an ES256 token', async () => {
    const token = await idp.sign(ec, { sub: 'bob' });
    expect(await verifier().verify(token, now())).toEqual({ userId: 'bob', role: 'user' });
  });

  it('still accepts HS256 tokens signed with JWT_SECRET beside the identity provider', async () => {
    const token = signJwt({ sub: 'carol', role: 'auditor' }, SECRET, {
      expiresInSeconds: 60,
      nowSeconds: now(),
    });
    expect(await verifier().verify(token, now())).toEqual({ userId: 'carol', role: 'auditor' });
  });

  it('fetches the key set once and answers a known token from the cache', async () => {
    const v = verifier();
    const token = await idp.sign(rsa);
    await v.verify(token, now());
    await v.verify(token, now());
    await v.verify(await idp.sign(rsa, { sub: 'other' }), now());
    expect(idp.fetches).toBe(1);
  });

  it.each([
    ['another issuer', { iss: 'https://evil.test' }, 'invalid_claims'],
    ['another audience', { aud: 'someone-else' }, 'invalid_claims'],
    ['no role of ours', { role: 'superuser' }, 'invalid_claims'],
    ['a sub that is not a user id', { sub: '../etc' }, 'invalid_claims'],
  ])('refuses a token with %s', async (_case, claims, reason) => {
    expect(await failure(verifier().verify(await idp.sign(rsa, claims), now()))).toBe(reason);
  });

  it('accepts any issuer and audience when none is configured', async () => {
    const token = await idp.sign(rsa, { iss: 'https://other.test', aud: 'x' });
    expect(await verifier({ issuer: undefined, audience: undefined }).verify(token, now())).toMatchObject({
      userId: 'idp-user-1',
    });
  });

  it('refuses an expired token by the wall clock, also once it was cached', async () => {
    const v = verifier();
    const issued = now() - 120;
    expect(
      await failure(v.verify(await idp.sign(rsa, {}, { nowSeconds: issued, lifetimeSeconds: 60 }), now())),
    ).toBe('expired');
    const token = await idp.sign(rsa, {}, { lifetimeSeconds: 60 });
    await v.verify(token, now());
    expect(await failure(v.verify(token, now() + 60))).toBe('expired');
  });

  it('refuses a token whose kid is not in the JWKS', async () => {
    const stranger = await idpKey('not-published');
    expect(await failure(verifier().verify(await idp.sign(stranger), now()))).toBe('unknown_key');
  });

  it('refuses a token signed by another key under a published kid', async () => {
    const impostor = { ...(await idpKey('rsa-1')), jwk: rsa.jwk };
    expect(await failure(verifier().verify(await idp.sign(impostor), now()))).toBe('bad_signature');
  });

  it('refuses alg none, and RS256 when no JWKS is configured', async () => {
    expect(
      await failure(verifier().verify(unsignedToken({ sub: 'a', role: 'admin', exp: now() + 60 }), now())),
    ).toBe('unsupported_alg');
    const hsOnly = new TokenVerifier({ hs256Secret: SECRET, maxLifetimeSeconds: DAY });
    expect(await failure(hsOnly.verify(await idp.sign(rsa), now()))).toBe('unsupported_alg');
  });

  it('follows a key rotation: a new kid at the JWKS URL is fetched and accepted', async () => {
    const v = verifier();
    await v.verify(await idp.sign(rsa), now());
    const next = await idpKey('rsa-2');
    idp.keys = [next];
    expect(await v.verify(await idp.sign(next, { sub: 'after-rotation' }), now())).toMatchObject({
      userId: 'after-rotation',
    });
    expect(idp.fetches).toBe(2);
  });

  it('waits out the cooldown before fetching again for an unknown kid', async () => {
    const v = verifier({ cooldownMs: 60_000 });
    await v.verify(await idp.sign(rsa), now());
    const stranger = await idpKey('made-up');
    await failure(v.verify(await idp.sign(stranger), now()));
    await failure(v.verify(await idp.sign(stranger, { sub: 'again' }), now()));
    expect(idp.fetches).toBe(1);
  });

  it('says the keys are unavailable when the JWKS cannot be fetched', async () => {
    const token = await idp.sign(rsa);
    await idp.close();
    expect(await failure(verifier({ timeoutMs: 500 }).verify(token, now()))).toBe('keys_unavailable');
  });

  it('takes the role from a nested claim or a role list', async () => {
    const keycloak = verifier({ roleClaim: 'realm_access.roles' });
    const token = await idp.sign(rsa, {
      role: undefined,
      realm_access: { roles: ['offline_access', 'auditor'] },
    });
    expect(await keycloak.verify(token, now())).toMatchObject({ role: 'auditor' });
  });
});

describe('TokenVerifier: the maximum token lifetime', () => {
  it('refuses a token whose exp lies further ahead than the maximum, and accepts one within it', async () => {
    const v = new TokenVerifier({ hs256Secret: SECRET, maxLifetimeSeconds: 3_600 });
    const sign = (expiresInSeconds: number) =>
      signJwt({ sub: 'dave', role: 'user' }, SECRET, { expiresInSeconds, nowSeconds: now() });
    expect(await failure(v.verify(sign(3_600 + 120), now()))).toBe('lifetime_too_long');
    expect(await v.verify(sign(3_500), now())).toEqual({ userId: 'dave', role: 'user' });
  });

  it('judges the lifetime from now, so an old long-lived token is refused until its exp comes near', async () => {
    const v = new TokenVerifier({ hs256Secret: SECRET, maxLifetimeSeconds: 3_600 });
    const token = signJwt({ sub: 'erin', role: 'user' }, SECRET, {
      expiresInSeconds: 2 * 3_600,
      nowSeconds: now(),
    });
    expect(await failure(v.verify(token, now()))).toBe('lifetime_too_long');
    expect(await v.verify(token, now() + 3_601)).toMatchObject({ userId: 'erin' });
  });
});
