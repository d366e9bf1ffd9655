import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { InvalidCursorError } from '../../../src/application/ports/read-model-store.port';
import { DomainError } from '../../../src/domain/shared/domain-error';
import {
  errorHandler,
  notFoundHandler,
  type ErrorLogger,
} from '../../../src/interfaces/http/problem/error-handler.middleware';
import { krwAmountSchema } from '../../../src/interfaces/http/validation/common.schemas';
import { parseBody } from '../../../src/interfaces/http/validation/parse';

const bodySchema = z.object({ amount: krwAmountSchema, reason: z.string() }).strict();

function app(log: ErrorLogger = () => undefined) {
  const a = express();
  a.use(express.json({ limit: '1kb' }));
  a.post('/echo', (req, res) => {
    res.json(parseBody(bodySchema, req));
  });
  a.get('/zod', () => {
    z.object({ limit: z.number() }).parse({ limit: 'x' });
  });
  a.get('/paid', () => {
    throw new DomainError('ORDER_ALREADY_PAID', 'the order is already paid', { orderId: 'ord_123456' });
  });
  a.get('/rejected', async () => {
    throw new DomainError('PAYMENT_REJECTED', 'card declined', {
      pgCode: 'REJECT_CARD_COMPANY',
      status: 999,
    });
  });
  a.get('/unauthenticated', () => {
    throw new DomainError('UNAUTHENTICATED', 'no token');
  });
  a.get('/cursor', async () => {
    throw new InvalidCursorError();
  });
  a.get('/boom', async () => {
    throw new Error('db password=hunter2 at 10.0.0.5');
  });
  a.get('/late', (_req, res) => {
    res.status(200).write('partial');
    throw new Error('after headers');
  });
  a.use(notFoundHandler);
  a.use(errorHandler(log));
  return a;
}

const post = (body: string, type = 'application/json') =>
  request(app()).post('/echo').set('Content-Type', type).send(body);

describe('errorHandler', () => {
  it('answers malformed JSON with 400 VALIDATION_FAILED as problem+json', async () => {
    const res = await post('{"amount": 1000,');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'https://ledgerline.dev/problems/validation-failed',
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: 'malformed JSON in the request body',
    });
    expect(typeof res.body.title).toBe('string');
  });

  it('answers an oversized body with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await post(JSON.stringify({ amount: 1, reason: 'x'.repeat(5000) }));
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers an unsupported charset with 415', async () => {
    const res = await post('{"amount":1,"reason":"x"}', 'application/json; charset=iso-8859-1');
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('lists each invalid field of a parsed body', async () => {
    const res = await post(JSON.stringify({ amount: 10.5, reason: 7, extra: true }));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const paths = (res.body.errors as { path: string; in: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['', 'amount', 'reason']); // '' is the unknown-key refusal of the object
    expect(res.body.errors[0].in).toBe('body');
  });

  it('refuses a non-JSON body instead of treating it as empty', async () => {
    const res = await post('amount=1000', 'application/x-www-form-urlencoded');
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/application\/json/);
  });

  it('maps a raw ZodError to 400 with errors [{path, message}]', async () => {
    const res = await request(app()).get('/zod');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'limit', message: expect.any(String) }]);
  });

  it('maps a DomainError to its status and spreads its details', async () => {
    const res = await request(app()).get('/paid');
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'ORDER_ALREADY_PAID',
      detail: 'the order is already paid',
      orderId: 'ord_123456',
    });
  });

  it('keeps the standard fields when details try to overwrite them', async () => {
    const res = await request(app()).get('/rejected');
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'PAYMENT_REJECTED', status: 422, pgCode: 'REJECT_CARD_COMPANY' });
  });

  it('adds a Bearer challenge to a thrown UNAUTHENTICATED', async () => {
    const res = await request(app()).get('/unauthenticated');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('answers a foreign cursor with 400 VALIDATION_FAILED', async () => {
    const res = await request(app()).get('/cursor');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('cursor');
  });

  it('answers an unknown error with a generic 500 and logs it without the Authorization header', async () => {
    const log = jest.fn<void, Parameters<ErrorLogger>>();
    const res = await request(app(log))
      .get('/boom?token=abc')
      .set('Authorization', 'Bearer secret-token-value');
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ code: 'INTERNAL', status: 500 });
    expect(res.text).not.toMatch(/hunter2|10\.0\.0\.5|stack|at /);
    expect(log).toHaveBeenCalledTimes(1);
    const [, context] = log.mock.calls[0]!;
    expect((context.error as Error).message).toContain('hunter2');
    expect(context).toMatchObject({ method: 'GET', path: '/boom' });
    expect(JSON.stringify(context)).not.toContain('secret-token-value');
  });

  it('does not log client errors', async () => {
    const log = jest.fn<void, Parameters<ErrorLogger>>();
    await request(app(log)).get('/paid');
    expect(log).not.toHaveBeenCalled();
  });

  it('logs an error thrown after the headers went out and leaves the response to express', async () => {
    const log = jest.fn<void, Parameters<ErrorLogger>>();
    const outcome = await request(app(log))
      .get('/late')
      .then((res) => res.headers['content-type'] ?? '')
      .catch(() => 'aborted');
    expect(outcome).not.toMatch(/problem\+json/);
    expect(log).toHaveBeenCalledTimes(1);
  });
});

describe('status of each contract code', () => {
  it.each([
    ['VALIDATION_FAILED', 400],
    ['UNSUPPORTED_PROVIDER', 422],
    ['FORBIDDEN', 403],
    ['PLAN_NOT_FOUND', 404],
    ['SUBSCRIPTION_NOT_FOUND', 404],
    ['ORDER_EXPIRED', 409],
    ['PG_PAYMENT_ALREADY_USED', 409],
    ['REFUND_WINDOW_CLOSED', 409],
    ['IDEMPOTENCY_KEY_IN_USE', 409],
    ['AMOUNT_MISMATCH', 422],
    ['PAYMENT_REJECTED', 422],
    ['REFUND_EXCEEDS_BALANCE', 422],
    ['IDEMPOTENCY_KEY_REUSED', 422],
    ['PAYLOAD_TOO_LARGE', 413],
  ] as const)('answers a thrown %s with %i', async (code, status) => {
    const a = express();
    a.get('/', () => {
      throw new DomainError(code, 'refused');
    });
    a.use(errorHandler(() => undefined));
    const res = await request(a).get('/');
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({
      code,
      status,
      type: `https://ledgerline.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    });
  });
});

describe('notFoundHandler', () => {
  it('answers unknown routes with a 404 NOT_FOUND problem', async () => {
    const res = await request(app()).get('/nope?x=1');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND', detail: 'no route for GET /nope' });
  });
});
