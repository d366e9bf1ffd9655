import { startApi, PLAN, type Api } from './support/harness';
import { refund } from './support/pg-helpers';

/** Issue #12 point 5: merchant backends call with an API key, hashed at rest, scoped, revocable. */
describe('API keys for merchant backends', () => {
  let api: Api;
  let admin: string;
  let buyer: string;
  let orderId: string;

  beforeAll(async () => {
    api = await startApi();
    admin = await api.token('ops-admin', 'admin');
    buyer = await api.token('key-buyer');
    ({
      order: { orderId },
    } = await api.purchase(buyer, PLAN.BASIC));
  });
  afterAll(() => api.close());

  const createKey = async (scopes: string[], name = 'shop backend') => {
    const res = await api
      .http()
      .post('/v1/admin/api-keys')
      .set('Authorization', `Bearer ${admin}`)
      .send({ name, scopes });
    expect(res.status).toBe(201);
    return res.body as { id: string; secret: string; scopes: string[]; revokedAt: string | null };
  };
  // Through the fast read path (exact path) and Express (trailing slash passed on to it).
  const readBoth = (headers: Record<string, string>, path: string) =>
    Promise.all([path, `${path}/`].map((target) => api.http().get(target).set(headers)));

  it('shows the secret once, on creation, and lists keys without it', async () => {
    const created = await createKey(['payments:read']);
    expect(created.secret).toMatch(/^ll_[0-9a-f]{16}_/);
    expect(created).toMatchObject({
      name: 'shop backend',
      scopes: ['payments:read'],
      createdBy: 'ops-admin',
    });
    const list = await api.get(admin, '/v1/admin/api-keys');
    expect(list.status).toBe(200);
    const listed = (list.body.items as Array<Record<string, unknown>>).find((key) => key.id === created.id);
    expect(listed).toMatchObject({ id: created.id, revokedAt: null });
    expect(JSON.stringify(list.body)).not.toContain(created.secret.slice(20));
    expect(listed).not.toHaveProperty('secretHash');
  });

  it('authenticates a key as Authorization: Bearer and as X-Api-Key, on both request paths', async () => {
    const { secret } = await createKey(['payments:read']);
    const ways: Array<Record<string, string>> = [
      { Authorization: `Bearer ${secret}` },
      { 'X-Api-Key': secret },
    ];
    for (const headers of ways) {
      for (const res of await readBoth(headers, `/v1/payments/${orderId}`)) {
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ orderId, userId: 'key-buyer', status: 'APPROVED' });
      }
    }
    const history = await api.http().get('/v1/users/key-buyer/payments').set('X-Api-Key', secret);
    expect(history.body.items).toHaveLength(1);
  });

  it('refuses a route the key has no scope for, 403', async () => {
    const { secret } = await createKey(['payments:read']);
    for (const res of await readBoth({ 'X-Api-Key': secret }, `/v1/orders/${orderId}`)) {
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({
        code: 'FORBIDDEN',
        detail: 'this API key lacks the scope orders:read',
      });
    }
    expect((await refund(api, secret, orderId, { amount: 100 })).status).toBe(403);
  });

  it('never lets a key act as a user or an admin console: orders, confirms, key management, audit-only reads', async () => {
    const { secret } = await createKey([
      'orders:read',
      'payments:read',
      'refunds:write',
      'subscriptions:read',
    ]);
    const auth = { Authorization: `Bearer ${secret}` };
    const attempts = await Promise.all([
      api.http().post('/v1/orders').set(auth).send({ planId: PLAN.BASIC }),
      api
        .http()
        .post('/v1/payments/confirm')
        .set(auth)
        .send({ provider: 'toss', paymentKey: 'pk', orderId, amount: 1 }),
      api
        .http()
        .post('/v1/admin/api-keys')
        .set(auth)
        .send({ name: 'x', scopes: ['payments:read'] }),
      api.http().get('/v1/admin/api-keys').set(auth),
      api.http().get('/v1/users/me/payments').set(auth),
      api.http().get('/v1/admin/processes').set(auth),
    ]);
    for (const res of attempts) {
      expect(res.status).toBe(403);
      expect(res.body.detail).toBe('an API key cannot call this route');
    }
  });

  it('refunds with refunds:write, recorded as done by the key', async () => {
    const { id, secret } = await createKey(['refunds:write', 'payments:read']);
    const res = await refund(api, secret, orderId, { amount: 1_000, reason: 'support ticket 42' });
    expect(res.status).toBe(201);
    const payment = await api.http().get(`/v1/payments/${orderId}`).set('X-Api-Key', secret);
    expect(payment.body.refundedAmount).toBe(1_000);
    const events = await api.service.app.eventStore.readStream(`payment-${orderId}`);
    const requested = events.find((event) => event.type === 'RefundRequested');
    expect(requested?.metadata.actor).toMatchObject({ userId: `api-key:${id}` });
  });

  it('refuses a revoked key at once, on every request path', async () => {
    const { id, secret } = await createKey(['payments:read']);
    expect((await api.http().get(`/v1/payments/${orderId}`).set('X-Api-Key', secret)).status).toBe(200);
    const revoked = await api
      .http()
      .delete(`/v1/admin/api-keys/${id}`)
      .set('Authorization', `Bearer ${admin}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    for (const res of await readBoth({ 'X-Api-Key': secret }, `/v1/payments/${orderId}`)) {
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED', detail: 'the API key has been revoked' });
    }
    expect((await refund(api, secret, orderId, { amount: 100 })).status).toBe(401);
  });

  it('refuses a made-up key, a wrong secret, and two credentials at once', async () => {
    const { secret } = await createKey(['payments:read']);
    const wrong = `${secret.slice(0, -2)}${secret.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const bad of ['ll_0123456789abcdef_' + 'x'.repeat(43), wrong, 'll_short']) {
      const res = await api.http().get(`/v1/payments/${orderId}`).set('X-Api-Key', bad);
      expect(res.status).toBe(401);
      expect(res.body.detail).toBe('the API key is invalid');
    }
    const both = await api
      .http()
      .get(`/v1/payments/${orderId}`)
      .set('X-Api-Key', secret)
      .set('Authorization', `Bearer ${buyer}`);
    expect(both.status).toBe(401);
  });

  it('lets only admins manage keys, and checks what they send', async () => {
    const asUser = await api
      .http()
      .post('/v1/admin/api-keys')
      .set('Authorization', `Bearer ${buyer}`)
      .send({
        name: 'x',
        scopes: ['payments:read'],
      });
    expect(asUser.status).toBe(403);
    const post = (body: unknown) =>
      api
        .http()
        .post('/v1/admin/api-keys')
        .set('Authorization', `Bearer ${admin}`)
        .send(body as object);
    for (const body of [
      { name: '', scopes: ['payments:read'] },
      { name: 'x', scopes: [] },
      { name: 'x', scopes: ['root'] },
      { name: 'x' },
    ]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    const unknown = await api
      .http()
      .delete('/v1/admin/api-keys/0123456789abcdef')
      .set('Authorization', `Bearer ${admin}`);
    expect(unknown.status).toBe(404);
    const junk = await api
      .http()
      .delete('/v1/admin/api-keys/not-an-id')
      .set('Authorization', `Bearer ${admin}`);
    expect(junk.status).toBe(400);
  });

  it('keeps keys across a restart (SQLite in DATA_DIR), hashed on disk', async () => {
    const { secret } = await createKey(['payments:read'], 'survives restart');
    await api.close({ keepData: true });
    api = await startApi(api.dataDir);
    expect((await api.http().get(`/v1/payments/${orderId}`).set('X-Api-Key', secret)).status).toBe(200);
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    expect(readFileSync(join(api.dataDir, 'api-keys.db')).includes(secret.slice(20))).toBe(false);
  });
});
