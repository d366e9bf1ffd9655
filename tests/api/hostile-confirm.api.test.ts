import { sendCase, describeHostileRequests, type HostileCase, type HostileContext } from './support/hostile';

const V = 'VALIDATION_FAILED';
const U = 'UNAUTHENTICATED';
/** The well-formed confirm of the target order with one part changed. */
const confirmWith = (change: Record<string, unknown>) => (c: HostileContext) => ({
  body: { ...c.confirm, ...change },
});

/** Confirm bodies and callers that must be refused before any event or PG call (C1). */
const CASES: HostileCase[] = [
  ['no orderId', 400, V, confirmWith({ orderId: undefined })],
  ['no provider', 400, V, confirmWith({ provider: undefined })],
  ['an unknown provider', 400, V, confirmWith({ provider: 'paypal' })],
  ['an operator object as orderId', 400, V, confirmWith({ orderId: { $gt: '' } })],
  ['an array as orderId', 400, V, (c) => ({ body: { ...c.confirm, orderId: [c.order.orderId] } })],
  ['an operator object as paymentKey', 400, V, confirmWith({ paymentKey: { $ne: null } })],
  ['a path-traversal orderId', 400, V, confirmWith({ orderId: '../../etc/passwd' })],
  ['a 65-character orderId', 400, V, confirmWith({ orderId: 'a'.repeat(65) })],
  ['a paymentKey with a URL path in it', 400, V, confirmWith({ paymentKey: 'tgen_1/../../cancel' })],
  ['the amount as a string', 400, V, (c) => ({ body: { ...c.confirm, amount: String(c.order.amount) } })],
  ['a negative amount', 400, V, (c) => ({ body: { ...c.confirm, amount: -c.order.amount } })],
  ['a float amount', 400, V, (c) => ({ body: { ...c.confirm, amount: c.order.amount + 0.5 } })],
  ['a huge amount', 400, V, confirmWith({ amount: 1e300 })],
  ['no amount for toss', 400, V, confirmWith({ amount: undefined })],
  ['a userId in the body', 400, V, confirmWith({ userId: 'victim' })],
  ['portone without impUid', 400, V, (c) => ({ body: { provider: 'portone', orderId: c.order.orderId } })],
  ['an array body', 400, V, (c) => ({ body: [c.confirm] })],
  ['malformed JSON', 400, V, () => ({ raw: '{"provider":"toss",' })],
  ['a tampered amount', 422, 'AMOUNT_MISMATCH', confirmWith({ amount: 100 })],
  ['an order that does not exist', 404, 'ORDER_NOT_FOUND', confirmWith({ orderId: 'A'.repeat(32) })],
  [
    'an admin token (only the owner confirms)',
    403,
    'FORBIDDEN',
    (c) => ({ body: c.confirm, authorization: c.admin }),
  ],
  ['an auditor token', 403, 'FORBIDDEN', (c) => ({ body: c.confirm, authorization: c.auditor })],
  ['no token', 401, U, (c) => ({ body: c.confirm, authorization: undefined })],
  ['a forged admin token', 401, U, (c) => ({ body: c.confirm, authorization: `Bearer ${c.bad.forged}` })],
];

describeHostileRequests('/v1/payments/confirm', CASES, (suite) => {
  it('recorded nothing, never called the PG, and the order is still payable', async () => {
    expect(await suite.api.eventHead()).toBe(suite.headAtStart);
    expect(await suite.api.tossCalls(suite.ctx.order.orderId)).toEqual({ confirm: 0, lookup: 0, cancel: 0 });

    const confirmed = await sendCase(suite.api, suite.ctx, '/v1/payments/confirm', (c) => ({
      body: c.confirm,
    }));

    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('APPROVED');
  });
});
