import express, { type Express } from 'express';
import request from 'supertest';
import { DomainError } from '../../../src/domain/shared/domain-error';
import { authenticate } from '../../../src/interfaces/http/auth/authenticate.middleware';
import { signJwt } from '../../../src/interfaces/http/auth/jwt';
import { idempotency } from '../../../src/interfaces/http/idempotency/idempotency.middleware';
import { errorHandler } from '../../../src/interfaces/http/problem/error-handler.middleware';
import { sendProblem } from '../../../src/interfaces/http/problem/problem-details';
import { MemoryIdempotencyStore } from '../../../src/infrastructure/idempotency/memory-idempotency-store';

const SECRET = 'a-test-secret-that-is-long-enough-1234';
const bearer = (sub: string) =>
  `Bearer ${signJwt({ sub, role: 'user' }, SECRET, { expiresInSeconds: 3600, nowSeconds: Math.floor(Date.now() / 1000) })}`;
const ALICE = bearer('alice');
const BOB = bearer('bob');

/** A promise the test resolves by hand, to hold a handler in flight. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

interface Harness {
  app: Express;
  calls: Record<string, number>;
  gate: ReturnType<typeof deferred>;
  entered: ReturnType<typeof deferred>;
}

function harness(): Harness {
  const calls: Record<string, number> = {};
  const count = (name: string) => (calls[name] = (calls[name] ?? 0) + 1);
  const h: Harness = { app: express(), calls, gate: deferred(), entered: deferred() };
  const app = h.app;
  app.use(express.json());
  app.use(
    authenticate(SECRET),
    idempotency(new MemoryIdempotencyStore(), () => Date.now()),
  );
  app.post('/orders', (req, res) => {
    res.status(201).json({ orderId: `ord_${count('orders')}`, amount: req.body.amount, at: new Date(0) });
  });
  app.post('/slow', async (_req, res) => {
    count('slow');
    h.entered.resolve();
    await h.gate.promise;
    res.status(201).json({ done: true });
  });
  app.post('/fails-once', (_req, res) => {
    if (count('fails-once') === 1) return void res.status(503).json({ error: 'PG down' });
    res.status(201).json({ attempt: calls['fails-once'] });
  });
  app.post('/throws-once', async (_req, res) => {
    if (count('throws-once') === 1) throw new Error('store unavailable');
    res.status(201).json({ attempt: calls['throws-once'] });
  });
  app.post('/conflicts-once', async (_req, res) => {
    if (count('conflicts-once') === 1) throw new DomainError('CONCURRENCY_CONFLICT', 'stream moved');
    res.status(201).json({ attempt: calls['conflicts-once'] });
  });
  app.post('/refuses', (_req, res) => {
    count('refuses');
    sendProblem(res, 'AMOUNT_MISMATCH', 'amount differs', { expected: 9900 });
  });
  app.post('/no-content', (_req, res) => {
    count('no-content');
    res.status(204).end();
  });
  app.use(errorHandler(() => undefined));
  return h;
}

const post = (h: Harness, path: string, body: object, key?: string, auth = ALICE) => {
  const req = request(h.app).post(path).set('Authorization', auth).send(body);
  return key === undefined ? req : req.set('Idempotency-Key', key);
};

describe('idempotency middleware', () => {
  it('replays the stored response for the same key and body without running the handler again', async () => {
    const h = harness();
    const first = await post(h, '/orders', { amount: 9900, planId: 1 }, 'k-1');
    const again = await post(h, '/orders', { planId: 1, amount: 9900 }, 'k-1'); // same body, keys reordered
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(again.body.at).toBe('1970-01-01T00:00:00.000Z');
    expect(h.calls.orders).toBe(1);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another body', async () => {
    const h = harness();
    await post(h, '/orders', { amount: 9900 }, 'k-2');
    const reused = await post(h, '/orders', { amount: 19900 }, 'k-2');
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(h.calls.orders).toBe(1);
  });

  it('answers 409 IDEMPOTENCY_KEY_IN_USE while the first request is in flight, then replays', async () => {
    const h = harness();
    const first = post(h, '/slow', { n: 1 }, 'k-3').then((res) => res);
    await h.entered.promise;
    const concurrent = await post(h, '/slow', { n: 1 }, 'k-3');
    expect(concurrent.status).toBe(409);
    expect(concurrent.body.code).toBe('IDEMPOTENCY_KEY_IN_USE');
    expect(concurrent.headers['retry-after']).toBe('1');
    h.gate.resolve();
    expect((await first).status).toBe(201);
    const later = await post(h, '/slow', { n: 1 }, 'k-3');
    expect(later.headers['idempotent-replayed']).toBe('true');
    expect(h.calls.slow).toBe(1);
  });

  it('releases the key after a 5xx answer so a retry runs the handler again', async () => {
    const h = harness();
    expect((await post(h, '/fails-once', {}, 'k-4')).status).toBe(503);
    const retry = await post(h, '/fails-once', {}, 'k-4');
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(retry.body).toEqual({ attempt: 2 });
  });

  it('releases the key after a thrown error (500) so a retry runs again', async () => {
    const h = harness();
    expect((await post(h, '/throws-once', {}, 'k-5')).status).toBe(500);
    const retry = await post(h, '/throws-once', {}, 'k-5');
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual({ attempt: 2 });
  });

  it('releases the key after a thrown refusal (409 conflict), which had no effect', async () => {
    const h = harness();
    expect((await post(h, '/conflicts-once', {}, 'k-6')).body.code).toBe('CONCURRENCY_CONFLICT');
    expect((await post(h, '/conflicts-once', {}, 'k-6')).status).toBe(201);
  });

  it('stores and replays a 4xx problem the handler answered itself, as problem+json', async () => {
    const h = harness();
    await post(h, '/refuses', { amount: 1 }, 'k-7');
    const again = await post(h, '/refuses', { amount: 1 }, 'k-7');
    expect(again.status).toBe(422);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(again.body).toMatchObject({ code: 'AMOUNT_MISMATCH', expected: 9900 });
    expect(h.calls.refuses).toBe(1);
  });

  it('replays a 204 written without a body', async () => {
    const h = harness();
    await post(h, '/no-content', {}, 'k-8');
    const again = await post(h, '/no-content', {}, 'k-8');
    expect(again.status).toBe(204);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(h.calls['no-content']).toBe(1);
  });

  it('scopes keys to the caller and the route', async () => {
    const h = harness();
    await post(h, '/orders', { amount: 1 }, 'shared');
    const otherUser = await post(h, '/orders', { amount: 1 }, 'shared', BOB);
    const otherRoute = await post(h, '/refuses', { amount: 2 }, 'shared');
    expect(otherUser.headers['idempotent-replayed']).toBeUndefined();
    expect(otherUser.body.orderId).toBe('ord_2');
    expect(otherRoute.headers['idempotent-replayed']).toBeUndefined();
    expect(h.calls.refuses).toBe(1);
  });

  it('passes requests without the header straight through', async () => {
    const h = harness();
    await post(h, '/orders', { amount: 1 });
    await post(h, '/orders', { amount: 1 });
    expect(h.calls.orders).toBe(2);
  });

  it.each([
    ['a space', 'two words'],
    ['a non-ASCII character', 'key-é'],
    ['256 characters', 'k'.repeat(256)],
  ])('refuses a key with %s with 400 VALIDATION_FAILED', async (_case, key) => {
    const h = harness();
    const res = await post(h, '/orders', { amount: 1 }, key);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(h.calls.orders).toBeUndefined();
  });

  it('accepts a key of 255 visible characters', async () => {
    const h = harness();
    expect((await post(h, '/orders', { amount: 1 }, '~'.repeat(255))).status).toBe(201);
  });
});
