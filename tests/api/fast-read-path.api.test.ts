import { fastReadPath } from '../../src/interfaces/http/routing/fast-read-path';
import { fastPathAlone } from './support/fast-path-alone';
import { PLAN, startApi, type Api } from './support/harness';

/**
 * Plain GETs of the read table are served before Express (reads/fast-read-path.ts). A trailing
 * slash is not an exact match, so the same read then goes through the Express routes: both
 * must answer byte for byte alike, for good and bad requests.
 */
describe('the fast read path', () => {
  let api: Api;
  let user: string;
  let admin: string;

  beforeAll(async () => {
    api = await startApi();
    user = await api.token('fast-reader');
    admin = await api.token('fast-admin', 'admin');
    await api.purchase(user, PLAN.BASIC);
    await api.purchase(user, PLAN.EVENT, 3_000);
  });
  afterAll(() => api.close());

  const cases: Array<[string, string, () => string | null]> = [
    ['history', '/v1/users/me/payments?limit=1', () => user],
    ['history, next page', '/v1/users/me/payments?limit=1&cursor=%%bad', () => user],
    ['history, limit too big', '/v1/users/me/payments?limit=500', () => user],
    ['history, limit repeated', '/v1/users/me/payments?limit=1&limit=2', () => user],
    ['history, operator object', '/v1/users/me/payments?limit[$gt]=', () => user],
    ['history, no token', '/v1/users/me/payments', () => null],
    ['history, forged token', '/v1/users/me/payments', () => `${user.slice(0, -2)}xx`],
    ['subscription', '/v1/users/me/subscription', () => user],
    ['staff history', '/v1/users/fast-reader/payments', () => admin],
    ['staff history, bad user id', '/v1/users/%24where/payments', () => admin],
    ['staff history, not staff', '/v1/users/fast-reader/payments', () => user],
    ['staff subscription', '/v1/users/fast-reader/subscription', () => admin],
    ['plan history', '/v1/plans/1/payments?limit=5', () => admin],
    ['plan history, bad plan id', '/v1/plans/0x1/payments', () => admin],
    ['plans', '/v1/plans', () => null],
    ['event fund', '/v1/event-fund', () => null],
  ];

  it.each(cases)('%s: answers as the Express route does', async (_name, url, token) => {
    const [path, query] = url.split('?');
    const viaExpress = `${path}/${query === undefined ? '' : `?${query}`}`;
    const get = (target: string) => {
      const req = api.http().get(target);
      const bearer = token();
      return bearer === null ? req : req.set('Authorization', `Bearer ${bearer}`);
    };
    const [fast, slow] = await Promise.all([get(url), get(viaExpress)]);
    expect(fast.status).toBe(slow.status);
    expect(fast.headers['content-type']).toBe(slow.headers['content-type']);
    expect(fast.headers['www-authenticate']).toBe(slow.headers['www-authenticate']);
    expect(fast.text).toBe(slow.text);
  });

  it('answers the reads itself and passes everything else on', async () => {
    const { at, close } = await fastPathAlone(api, (ctx) => fastReadPath(ctx, () => {}));
    try {
      const history = await at.get('/v1/users/me/payments').set('Authorization', `Bearer ${user}`);
      expect(history.status).toBe(200);
      expect(history.body.items).toHaveLength(2);
      expect((await at.get('/v1/users/me/payments')).status).toBe(401);
      expect((await at.get('/v1/plans')).body.items.length).toBeGreaterThan(0);
      expect((await at.post('/v1/plans').send({})).status).toBe(418);
      expect((await at.head('/v1/plans')).status).toBe(418);
      expect((await at.get('/v1/plans/')).status).toBe(418);
      // Every noun's reads are in the table: an order is answered here too (here, 401 without a token).
      expect((await at.get('/v1/orders/some-order')).status).toBe(401);
      expect((await at.get('/v1/nothing-here')).status).toBe(418);
    } finally {
      await close();
    }
  });
});
