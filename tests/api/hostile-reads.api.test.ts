import { PLAN, startApi, type Api } from './support/harness';
import { expectProblem, send, type HostileRequest } from './support/hostile';

const V = 'VALIDATION_FAILED';

interface Callers {
  user: string;
  admin: string;
  pendingOrderId: string;
}
type ReadCase = [name: string, status: number, code: string, request: (c: Callers) => HostileRequest];

const get =
  (path: string, who: 'user' | 'admin' | 'nobody' = 'user') =>
  (c: Callers): HostileRequest => ({
    method: 'get',
    path,
    authorization: who === 'nobody' ? undefined : c[who],
  });
const sandbox = (path: string, body: unknown) => (): HostileRequest => ({ method: 'post', path, body });
const history = (query: string) => get(`/v1/users/me/payments?${query}`);

/** Reads, ids in paths, list parameters and sandbox controls a client may get wrong or abuse. */
const CASES: ReadCase[] = [
  ['an encoded path-traversal order id', 400, V, get('/v1/orders/..%2F..%2Fetc%2Fpasswd')],
  ['an operator object as order id', 400, V, get(`/v1/orders/${encodeURIComponent('{"$gt":""}')}`)],
  ['a too-short order id', 400, V, get('/v1/orders/abc')],
  ['an order that does not exist', 404, 'ORDER_NOT_FOUND', get(`/v1/orders/${'B'.repeat(32)}`)],
  ['a payment never confirmed', 404, 'PAYMENT_NOT_FOUND', (c) => get(`/v1/payments/${c.pendingOrderId}`)(c)],
  ['a payment id with a NUL byte', 400, V, get('/v1/payments/abcdef%00ghij')],
  ['history with limit=0', 400, V, history('limit=0')],
  ['history with limit=1000', 400, V, history('limit=1000')],
  ['history with limit=-1', 400, V, history('limit=-1')],
  ['history with limit=abc', 400, V, history('limit=abc')],
  ['history with limit given twice', 400, V, history('limit=1&limit=2')],
  ['history with a forged cursor', 400, V, history('cursor=not-a-cursor')],
  ['history with an empty cursor', 400, V, history('cursor=')],
  ['history with an operator-shaped cursor', 400, V, history('cursor[$gt]=')],
  ['history with a userId parameter', 400, V, history('userId=victim')],
  ['history without a token', 401, 'UNAUTHENTICATED', get('/v1/users/me/payments', 'nobody')],
  ["a user reading another user's history", 403, 'FORBIDDEN', get('/v1/users/victim/payments')],
  ["a user reading another user's subscription", 403, 'FORBIDDEN', get('/v1/users/victim/subscription')],
  ["a user reading a plan's payments", 403, 'FORBIDDEN', get('/v1/plans/1/payments')],
  ['an admin reading a non-numeric plan', 400, V, get('/v1/plans/abc/payments', 'admin')],
  ['an admin reading plan 0', 400, V, get('/v1/plans/0/payments', 'admin')],
  [
    'an admin reading an encoded traversal user id',
    400,
    V,
    get('/v1/users/..%2F..%2Fadmin/payments', 'admin'),
  ],
  ['an admin reading the user id ".."', 400, V, get('/v1/users/../subscription', 'admin')],
  ['a subscription that never existed', 404, 'SUBSCRIPTION_NOT_FOUND', get('/v1/users/me/subscription')],
  ['an unknown route', 404, 'NOT_FOUND', get('/v1/admin/secrets')],
  ['the clock moved backwards', 400, V, sandbox('/sandbox/clock', { now: '2000-01-01T00:00:00Z' })],
  ['a negative clock advance', 400, V, sandbox('/sandbox/clock', { advanceMs: -1 })],
  ['a clock advance as a string', 400, V, sandbox('/sandbox/clock', { advanceMs: '60000' })],
  ['a token for an operator-object user id', 400, V, sandbox('/sandbox/tokens', { userId: { $gt: '' } })],
  ['a token for an invented role', 400, V, sandbox('/sandbox/tokens', { userId: 'x', role: 'root' })],
  [
    'a fault for an unknown PG',
    400,
    V,
    sandbox('/sandbox/faults', { provider: 'paypal', operation: 'confirm', kind: 'timeout' }),
  ],
];

describe('hostile reads and sandbox calls', () => {
  let api: Api;
  let callers: Callers;
  let clockAtStart: number;
  let headAtStart: number;

  beforeAll(async () => {
    api = await startApi();
    const user = await api.token('reader');
    callers = {
      user: `Bearer ${user}`,
      admin: `Bearer ${await api.token('reader-admin', 'admin')}`,
      pendingOrderId: (await api.order(user, PLAN.BASIC)).orderId,
    };
    clockAtStart = await api.clockNow();
    headAtStart = await api.eventHead();
  });
  afterAll(() => api.close());

  it.each(CASES)('refuses %s with %i %s', async (_name, status, code, request) => {
    const res = await send(api, request(callers));

    expectProblem(res, status, code);
  });

  it('did not move the clock or record anything for any of them', async () => {
    const now = await api.clockNow();
    expect(now - clockAtStart).toBeLessThan(60_000);
    expect(await api.eventHead()).toBe(headAtStart);
  });
});
