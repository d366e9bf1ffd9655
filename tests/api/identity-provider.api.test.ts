import { startApi, PLAN, type Api } from './support/harness';
import { idpKey, TestIdentityProvider, unsignedToken, type IdpKey } from '../support/identity-provider';

/**
 * Tokens from an identity provider (issue #12 point 5) and the maximum token lifetime (point 8),
 * against the real service with JWT_JWKS_URL pointing at a JWKS served over loopback.
 */
describe('identity-provider tokens', () => {
  let idp: TestIdentityProvider;
  let api: Api;
  let rsa: IdpKey;
  let ec: IdpKey;

  beforeAll(async () => {
    [rsa, ec] = await Promise.all([idpKey('rsa-1'), idpKey('ec-1', 'ES256')]);
    idp = await TestIdentityProvider.start([rsa, ec]);
    api = await startApi(undefined, {
      JWT_JWKS_URL: idp.url,
      JWT_ISSUER: idp.issuer,
      JWT_AUDIENCE: 'ledgerline, ledgerline-admin',
      JWT_JWKS_COOLDOWN_SECONDS: '0',
      JWT_MAX_LIFETIME_SECONDS: '7200',
    });
  });
  afterAll(async () => {
    await api.close();
    await idp.close();
  });

  // The fast read path and Express (a trailing slash is passed on to Express) both authenticate.
  const readBoth = (token: string) =>
    Promise.all(
      ['/v1/users/me/payments', '/v1/users/me/payments/'].map((path) =>
        api.http().get(path).set('Authorization', `Bearer ${token}`),
      ),
    );

  function expectRefused(res: { status: number; headers: Record<string, string>; body: { code?: string } }) {
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(res.body.code).toBe('UNAUTHENTICATED');
  }

  it('accepts a good RS256 token on both request paths, and places an order with it', async () => {
    const token = await idp.sign(rsa, { sub: 'idp-alice' });
    for (const res of await readBoth(token)) expect(res.status).toBe(200);
    const order = await api.order(token, PLAN.BASIC);
    expect(order.status).toBe('PENDING');
    const read = await api.get(token, `/v1/orders/${order.orderId}`);
    expect(read.body.userId).toBe('idp-alice');
  });

  it('accepts an ES256 token and any one of the configured audiences', async () => {
    const token = await idp.sign(ec, { sub: 'idp-bob', aud: 'ledgerline-admin' });
    for (const res of await readBoth(token)) expect(res.status).toBe(200);
  });

  it.each([
    ['another issuer', { iss: 'https://evil.test/realms/ledgerline' }],
    ['another audience', { aud: 'not-ledgerline' }],
  ])('refuses a token with %s: 401 problem+json', async (_case, claims) => {
    for (const res of await readBoth(await idp.sign(rsa, claims))) expectRefused(res);
  });

  it('refuses an expired token', async () => {
    const issued = Math.floor(Date.now() / 1000) - 600;
    const token = await idp.sign(rsa, {}, { nowSeconds: issued, lifetimeSeconds: 300 });
    for (const res of await readBoth(token)) {
      expectRefused(res);
      expect(res.body.detail).toMatch(/expired/);
    }
  });

  it('refuses a token whose kid the identity provider does not publish', async () => {
    const stranger = await idpKey('unpublished');
    for (const res of await readBoth(await idp.sign(stranger))) expectRefused(res);
  });

  it('refuses alg none', async () => {
    const token = unsignedToken({ iss: idp.issuer, aud: 'ledgerline', sub: 'x', role: 'admin', exp: 4e9 });
    for (const res of await readBoth(token)) expectRefused(res);
  });

  it('refuses a token that lives longer than JWT_MAX_LIFETIME_SECONDS', async () => {
    const token = await idp.sign(rsa, {}, { lifetimeSeconds: 3 * 3_600 });
    for (const res of await readBoth(token)) {
      expectRefused(res);
      expect(res.body.detail).toMatch(/maximum token lifetime/);
    }
    // The same cap applies to HS256 tokens.
    const minted = await api
      .http()
      .post('/sandbox/tokens')
      .send({ userId: 'long', expiresInSeconds: 3 * 3_600 });
    expectRefused(await api.get(minted.body.token as string, '/v1/users/me/payments'));
  });

  it('follows a key rotation: a token signed with a newly published kid is accepted', async () => {
    const next = await idpKey('rsa-2');
    idp.keys = [next, ec];
    const token = await idp.sign(next, { sub: 'idp-after-rotation' });
    for (const res of await readBoth(token)) expect(res.status).toBe(200);
  });

  it('still accepts the sandbox HS256 tokens beside the identity provider', async () => {
    const token = await api.token('sandbox-user');
    for (const res of await readBoth(token)) expect(res.status).toBe(200);
  });

  it('takes the role from the token: an IdP admin may read any user, an IdP user may not', async () => {
    const admin = await idp.sign(ec, { sub: 'idp-admin', role: 'admin' });
    const user = await idp.sign(ec, { sub: 'idp-carol', role: 'user' });
    expect((await api.get(admin, '/v1/users/idp-alice/payments')).status).toBe(200);
    expect((await api.get(user, '/v1/users/idp-alice/payments')).status).toBe(403);
  });
});
