import { auditKeyFile } from './support/audit-key-file';
import request from 'supertest';
import { freshDataDir, removeDataDir, startApi, type Api } from './support/harness';
import { startService } from '../../src/interfaces/http/server';

/** The demo shop and the PG windows are the sandbox's: served in sandbox mode, absent in live mode. */
describe('the demo shop', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('serves the Korean shop at / and its pages under /shop in sandbox mode', async () => {
    const home = await api.http().get('/');
    expect([home.status, home.type]).toEqual([200, 'text/html']);
    expect(home.text).toContain('<html lang="ko">');
    for (const page of ['/shop/confirm', '/shop/fail', '/shop/account']) {
      expect((await api.http().get(page)).type).toBe('text/html');
    }
    expect((await api.http().get('/shop/shop.js')).type).toBe('text/javascript');
    expect((await api.http().get('/sandbox/toss/sdk.js')).status).toBe(200);
    expect((await api.http().get('/sandbox/portone/iamport.js')).status).toBe(200);
  });

  it('leaves the API as it was: an unknown path under /shop is a problem+json 404', async () => {
    const res = await api.http().get('/shop/nothing-here');
    expect([res.status, res.body.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('is absent in live mode, with the PG windows', async () => {
    const dataDir = freshDataDir();
    const service = await startService({
      env: {
        PORT: '0',
        DATA_DIR: dataDir,
        PAYMENTS_MODE: 'live',
        AUDIT_SIGNING_KEY_FILE: auditKeyFile(dataDir),
        JWT_SECRET: 'live-jwt-secret-0123456789abcdefghijkl',
        TOSS_SECRET_KEY: 'live_sk_test_only',
        PORTONE_API_KEY: 'portone-key',
        PORTONE_API_SECRET: 'portone-secret',
      },
      schedulerIntervalMs: 3_600_000,
      log: () => {},
    });
    try {
      for (const path of ['/', '/shop/account', '/sandbox/toss/window', '/sandbox/portone/iamport.js']) {
        expect([path, (await request(service.url).get(path)).status]).toEqual([path, 404]);
      }
    } finally {
      await service.close();
      removeDataDir(dataDir);
    }
  });
});
