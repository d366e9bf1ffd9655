import { PLAN, startApi, type Api } from './support/harness';

const SHOP = 'https://shop.example.com';
const OTHER = 'https://evil.example.net';

const corsHeadersOf = (headers: Record<string, unknown>): string[] =>
  Object.keys(headers).filter((name) => name.startsWith('access-control-'));

/** Issue #12 point 6: a single-page app on another origin may call the API, if listed. */
describe('CORS with CORS_ORIGINS set', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi(undefined, { CORS_ORIGINS: `${SHOP}, http://localhost:5173` });
  });
  afterAll(() => api.close());

  it('answers a listed origin’s preflight with the methods and the headers the API reads', async () => {
    const res = await api
      .http()
      .options('/v1/payments/confirm')
      .set('Origin', SHOP)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization, content-type, idempotency-key');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(SHOP);
    expect(res.headers['access-control-allow-methods']).toMatch(/\bPOST\b/);
    const allowed = String(res.headers['access-control-allow-headers']).toLowerCase().split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'idempotency-key']));
    expect(res.headers.vary).toMatch(/Origin/);
  });

  it('names a listed origin on the fast read path, the fast command path and Express alike', async () => {
    const token = await api.token('cors-buyer');
    // GET /v1/plans: the fast read path.
    const plans = await api.http().get('/v1/plans').set('Origin', SHOP);
    expect(plans.status).toBe(200);
    expect(plans.headers['access-control-allow-origin']).toBe(SHOP);
    // POST /v1/orders with an Idempotency-Key: Express.
    const order = await api.createOrder(
      token,
      { planId: PLAN.BASIC },
      { Origin: SHOP, 'Idempotency-Key': 'cors-1' },
    );
    expect(order.status).toBe(201);
    expect(order.headers['access-control-allow-origin']).toBe(SHOP);
    // An ordinary confirm: the fast command path (a refusal is enough to see the headers).
    const confirm = await api
      .http()
      .post('/v1/payments/confirm')
      .set('Authorization', `Bearer ${token}`)
      .set('Origin', SHOP)
      .send({ provider: 'toss', paymentKey: 'nope', orderId: order.body.orderId, amount: 1 });
    expect(confirm.status).toBe(422);
    expect(confirm.headers['access-control-allow-origin']).toBe(SHOP);
  });

  it('gives an unlisted origin no CORS header at all, on a preflight or a request', async () => {
    const preflight = await api
      .http()
      .options('/v1/orders')
      .set('Origin', OTHER)
      .set('Access-Control-Request-Method', 'POST');
    expect(corsHeadersOf(preflight.headers)).toEqual([]);
    const read = await api.http().get('/v1/plans').set('Origin', OTHER);
    expect(read.status).toBe(200);
    expect(corsHeadersOf(read.headers)).toEqual([]);
  });
});

describe('CORS without CORS_ORIGINS', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('adds no CORS header to anything', async () => {
    const preflight = await api
      .http()
      .options('/v1/plans')
      .set('Origin', SHOP)
      .set('Access-Control-Request-Method', 'GET');
    expect(corsHeadersOf(preflight.headers)).toEqual([]);
    const read = await api.http().get('/v1/plans').set('Origin', SHOP);
    expect(corsHeadersOf(read.headers)).toEqual([]);
    expect(read.headers.vary).toBeUndefined();
  });
});
