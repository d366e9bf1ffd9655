import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { auditKeyFile } from './support/audit-key-file';
import { createHmac } from 'node:crypto';
import { PLAN, startApi, type Api } from './support/harness';

const JWT_SECRET = 'a-live-mode-jwt-secret-of-more-than-32-chars';

/** An HS256 token as the merchant's own identity set-up would sign it (live mode has no /sandbox/tokens). */
function liveToken(userId: string): string {
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: userId, role: 'user', iat: now, exp: now + 600 })}`;
  return `${input}.${createHmac('sha256', JWT_SECRET).update(input).digest('base64url')}`;
}

/** Issue #12 point 6: live mode serves the PGs that are configured, and only those. */
describe('a Toss-only merchant in live mode', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi(undefined, {
      PAYMENTS_MODE: 'live',
      AUDIT_SIGNING_KEY_FILE: auditKeyFile(fs.mkdtempSync(path.join(os.tmpdir(), 'll-audit-key-'))),
      JWT_SECRET,
      TOSS_SECRET_KEY: 'live_sk_toss_only_merchant',
      // Never called by these tests; a closed port so a call would fail fast rather than leave.
      TOSS_API_BASE_URL: 'http://127.0.0.1:9',
    });
  });
  afterAll(() => api.close());

  it('starts with the Toss key alone', () => {
    expect(api.service.settings.providers).toEqual(['toss']);
  });

  it('refuses a PortOne confirm with 422 UNSUPPORTED_PROVIDER, recording no attempt', async () => {
    const token = liveToken('toss-only-buyer');
    const order = await api.order(token, PLAN.BASIC);
    const headBefore = await api.eventHead();

    const res = await api.confirm(token, {
      provider: 'portone',
      impUid: 'imp_123456789012',
      orderId: order.orderId,
    });

    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'UNSUPPORTED_PROVIDER', status: 422 });
    // Nothing claimed, no attempt for a reconciler to chase: the order is still payable by Toss.
    expect(await api.eventHead()).toBe(headBefore);
    const read = await api.get(token, `/v1/orders/${order.orderId}`);
    expect(read.body.status).toBe('PENDING');
  });

  it('answers a PortOne webhook without recording it, since PortOne cannot be asked', async () => {
    const token = liveToken('toss-only-hook');
    const order = await api.order(token, PLAN.BASIC);
    const headBefore = await api.eventHead();
    const res = await api
      .http()
      .post('/v1/webhooks/portone')
      .send({ imp_uid: 'imp_123456789012', merchant_uid: order.orderId, status: 'paid' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true, ignored: 'provider not configured' });
    expect(await api.eventHead()).toBe(headBefore);
  });
});
