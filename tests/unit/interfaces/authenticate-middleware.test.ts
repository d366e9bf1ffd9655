import express from 'express';
import request from 'supertest';
import {
  authenticate,
  principalOf,
  requireRole,
} from '../../../src/interfaces/http/auth/authenticate.middleware';
import { signJwt, type Role } from '../../../src/interfaces/http/auth/jwt';
import { errorHandler } from '../../../src/interfaces/http/problem/error-handler.middleware';

const SECRET = 'a-test-secret-that-is-long-enough-1234';
const NOW = 1_760_000_000;
const token = (sub: string, role: Role, expiresInSeconds = 60) =>
  signJwt({ sub, role }, SECRET, { expiresInSeconds, nowSeconds: NOW });

function app() {
  const a = express();
  const auth = authenticate(SECRET, () => NOW + 1);
  a.get('/me', auth, (_req, res) => {
    res.json(principalOf(res));
  });
  a.get('/admin', auth, requireRole('admin', 'auditor'), (_req, res) => {
    res.json({ ok: true });
  });
  // principalOf on a route without authenticate must refuse, not guess.
  a.get('/unguarded', (_req, res) => {
    res.json(principalOf(res));
  });
  a.use(errorHandler(() => undefined));
  return a;
}

describe('authenticate', () => {
  it('puts the token subject and role on the request', async () => {
    const res = await request(app())
      .get('/me')
      .set('Authorization', `Bearer ${token('user-7', 'user')}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ userId: 'user-7', role: 'user' });
  });

  it('accepts the scheme name in any case', async () => {
    const res = await request(app())
      .get('/me')
      .set('Authorization', `bearer ${token('user-7', 'user')}`);
    expect(res.status).toBe(200);
  });

  it('answers 401 UNAUTHENTICATED with a Bearer challenge when no token is sent', async () => {
    const res = await request(app()).get('/me');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="ledgerline"');
    expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
  });

  it.each([
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['a bare token', 'eyJhbGciOiJIUzI1NiJ9.e30.sig'],
    ['a garbage token', 'Bearer not-a-jwt'],
    ['two tokens', `Bearer a.b.c d.e.f`],
  ])('answers 401 invalid_token for %s', async (_case, header) => {
    const res = await request(app()).get('/me').set('Authorization', header);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  it('answers 401 with "expired" for an expired token', async () => {
    const res = await request(app())
      .get('/me')
      .set('Authorization', `Bearer ${token('u1', 'user', 1)}`);
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/expired/);
  });

  it('answers 403 FORBIDDEN when the role is not allowed', async () => {
    const res = await request(app())
      .get('/admin')
      .set('Authorization', `Bearer ${token('u1', 'user')}`);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });

  it('lets any of the allowed roles through', async () => {
    const res = await request(app())
      .get('/admin')
      .set('Authorization', `Bearer ${token('a1', 'auditor')}`);
    expect(res.status).toBe(200);
  });

  it('principalOf refuses with 401 on a route that did not authenticate', async () => {
    const res = await request(app()).get('/unguarded');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });
});
