import { PLAN } from './support/harness';
import { describeHostileRequests, type HostileCase } from './support/hostile';

const V = 'VALIDATION_FAILED';
const U = 'UNAUTHENTICATED';
const basic = { planId: PLAN.BASIC };
const event = (amount: unknown) => ({ body: { planId: PLAN.EVENT, amount } });

/** Bodies, types, values, headers and credentials a client must never get an order with. */
const CASES: HostileCase[] = [
  ['malformed JSON', 400, V, () => ({ raw: '{"planId":' })],
  ['a JSON string instead of an object', 400, V, () => ({ raw: '"planId"' })],
  ['an array instead of an object', 400, V, () => ({ body: [basic] })],
  ['planId as a string', 400, V, () => ({ body: { planId: '1' } })],
  ['planId as a float', 400, V, () => ({ body: { planId: 1.5 } })],
  ['a negative planId', 400, V, () => ({ body: { planId: -1 } })],
  ['planId zero', 400, V, () => ({ body: { planId: 0 } })],
  ['a huge planId', 400, V, () => ({ body: { planId: 1e300 } })],
  ['planId null', 400, V, () => ({ body: { planId: null } })],
  ['an operator object as planId', 400, V, () => ({ body: { planId: { $gt: 0 } } })],
  ['an unknown plan', 404, 'PLAN_NOT_FOUND', () => ({ body: { planId: 999 } })],
  ['an EVENT amount as a string', 400, V, () => event('5000')],
  ['a negative EVENT amount', 400, V, () => event(-5_000)],
  ['a float EVENT amount', 400, V, () => event(5_000.5)],
  ['a huge EVENT amount', 400, V, () => event(1e21)],
  ['an operator object as amount', 400, V, () => event({ $gt: 0 })],
  ['a userId in the body (never trusted)', 400, V, () => ({ body: { ...basic, userId: 'victim' } })],
  ['an unknown status field', 400, V, () => ({ body: { ...basic, status: 'PAID' } })],
  ['a __proto__ key', 400, V, () => ({ raw: '{"planId":1,"__proto__":{"role":"admin"}}' })],
  ['no body at all', 400, V, () => ({})],
  ['a text/plain body', 400, V, () => ({ raw: 'planId=1', contentType: 'text/plain' })],
  ['a form body', 400, V, () => ({ raw: 'planId=1', contentType: 'application/x-www-form-urlencoded' })],
  ['a body over 16kb', 413, 'PAYLOAD_TOO_LARGE', () => ({ body: { ...basic, pad: 'x'.repeat(17 * 1024) } })],
  [
    'a 1000-char Idempotency-Key',
    400,
    V,
    () => ({ body: basic, headers: { 'Idempotency-Key': 'k'.repeat(1_000) } }),
  ],
  ['an Idempotency-Key with spaces', 400, V, () => ({ body: basic, headers: { 'Idempotency-Key': 'a b' } })],
  ['no token', 401, U, () => ({ body: basic, authorization: undefined })],
  [
    'a token signed with another secret',
    401,
    U,
    (c) => ({ body: basic, authorization: `Bearer ${c.bad.forged}` }),
  ],
  ['an expired token', 401, U, (c) => ({ body: basic, authorization: `Bearer ${c.bad.expired}` })],
  ['an alg:none token', 401, U, (c) => ({ body: basic, authorization: `Bearer ${c.bad.algNone}` })],
  [
    'a token with an invented role',
    401,
    U,
    (c) => ({ body: basic, authorization: `Bearer ${c.bad.badRole}` }),
  ],
  ['Basic instead of Bearer', 401, U, () => ({ body: basic, authorization: 'Basic dXNlcjpwYXNz' })],
  ['garbage as the token', 401, U, () => ({ body: basic, authorization: 'Bearer not.a.jwt' })],
  [
    'an admin token (orders are for users)',
    403,
    'FORBIDDEN',
    (c) => ({ body: basic, authorization: c.admin }),
  ],
];

describeHostileRequests('/v1/orders', CASES, (suite) => {
  it('left the event store exactly as it was', async () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    expect(await suite.api.eventHead()).toBe(suite.headAtStart);
  });
});
