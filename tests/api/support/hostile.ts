import type { Response } from 'supertest';
import { signJwt } from '../../../src/interfaces/http/auth/jwt';
import { PLAN, startApi, type Api, type CreatedOrder } from './harness';

/** One hostile request: a JSON value, or a raw string sent with `contentType`. */
export interface HostileRequest {
  method: 'get' | 'post';
  path: string;
  body?: unknown;
  raw?: string;
  contentType?: string;
  /** The whole Authorization header; undefined sends none. */
  authorization?: string;
  headers?: Record<string, string>;
}

/** Tokens that must never authenticate: forged, expired, unsigned, or with an invented role. */
export function badTokens(jwtSecret: string): Record<'forged' | 'expired' | 'algNone' | 'badRole', string> {
  const now = Math.floor(Date.now() / 1000);
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const hour = { expiresInSeconds: 3_600, nowSeconds: now };
  return {
    forged: signJwt({ sub: 'mallory', role: 'admin' }, 'not-the-service-secret', hour),
    expired: signJwt({ sub: 'mallory', role: 'user' }, jwtSecret, {
      expiresInSeconds: 60,
      nowSeconds: now - 3_600,
    }),
    algNone: `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'mallory', role: 'admin', exp: now + 3_600 })}.`,
    // The cast is the point: a token whose role claim is not one of ours.
    badRole: signJwt({ sub: 'mallory', role: 'superuser' as 'admin' }, jwtSecret, hour),
  };
}

/** What the hostile command tables build their requests from: callers and a payable order. */
export interface HostileContext {
  user: string;
  admin: string;
  auditor: string;
  bad: ReturnType<typeof badTokens>;
  order: CreatedOrder;
  paymentKey: string;
  /** A well-formed confirm of `order`; cases break one thing in it. */
  confirm: { provider: string; paymentKey: string; orderId: string; amount: number };
}

export async function hostileContext(api: Api): Promise<HostileContext> {
  const user = await api.token('target-user');
  const order = await api.order(user, PLAN.BASIC);
  const { paymentKey } = await api.tossSession(order);
  return {
    user: `Bearer ${user}`,
    admin: `Bearer ${await api.token('an-admin', 'admin')}`,
    auditor: `Bearer ${await api.token('an-auditor', 'auditor')}`,
    bad: badTokens(api.service.settings.jwtSecret),
    order,
    paymentKey,
    confirm: { provider: 'toss', paymentKey, orderId: order.orderId, amount: order.amount },
  };
}

/**
 * A table row: name, expected status and code, and the request's parts. Requests carry the
 * target user's token unless the row sets `authorization` (to undefined for none).
 */
export type HostileCase = [
  name: string,
  status: number,
  code: string,
  request: (c: HostileContext) => Partial<HostileRequest>,
];

export function send(api: Api, r: HostileRequest): Promise<Response> {
  let test = r.method === 'get' ? api.http().get(r.path) : api.http().post(r.path);
  if (r.authorization !== undefined) test = test.set('Authorization', r.authorization);
  if (r.headers) test = test.set(r.headers);
  if (r.raw !== undefined) return test.set('Content-Type', r.contentType ?? 'application/json').send(r.raw);
  return r.body === undefined ? test : test.send(r.body as object);
}

/** Sends a POST row to `path` with the context's user token by default. */
export function sendCase(
  api: Api,
  ctx: HostileContext,
  path: string,
  request: HostileCase[3],
): Promise<Response> {
  const parts = request(ctx);
  const authorization = 'authorization' in parts ? parts.authorization : ctx.user;
  return send(api, { method: 'post', path, ...parts, authorization });
}

/** The contract for every refusal: 4xx, problem+json, the expected code, never a 500. */
export function expectProblem(res: Response, status: number, code: string): void {
  const seen = { status: res.status, code: res.body?.code, contentType: res.headers['content-type'] };
  expect(seen).toEqual({ status, code, contentType: expect.stringMatching(/^application\/problem\+json/) });
  expect(res.body).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status,
    detail: expect.any(String),
  });
}

export interface HostileSuite {
  api: Api;
  ctx: HostileContext;
  /** The event store's head before any hostile request. */
  headAtStart: number;
}

/**
 * One state-changing route against a table of hostile requests: each must be refused with its
 * status and code as problem+json, appending nothing. `more` adds the route's own checks.
 */
export function describeHostileRequests(
  path: string,
  cases: HostileCase[],
  more: (suite: HostileSuite) => void,
): void {
  describe(`hostile requests to POST ${path}`, () => {
    const suite = {} as HostileSuite;

    beforeAll(async () => {
      suite.api = await startApi();
      suite.ctx = await hostileContext(suite.api);
      suite.headAtStart = await suite.api.eventHead();
    });
    afterAll(() => suite.api.close());

    it.each(cases)('refuses %s with %i %s and records nothing', async (_name, status, code, request) => {
      const head = await suite.api.eventHead();

      const res = await sendCase(suite.api, suite.ctx, path, request);

      expectProblem(res, status, code);
      expect(await suite.api.eventHead()).toBe(head);
    });

    more(suite);
  });
}
