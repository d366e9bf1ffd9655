import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { errorHandler } from '../../../src/interfaces/http/problem/error-handler.middleware';
import {
  krwAmountSchema,
  orderIdSchema,
  paginationQuerySchema,
  planIdParamSchema,
  userIdSchema,
} from '../../../src/interfaces/http/validation/common.schemas';
import { parseBody, parseParams, parseQuery } from '../../../src/interfaces/http/validation/parse';

const ok = (schema: z.ZodTypeAny, value: unknown) => schema.safeParse(value).success;

describe('common schemas', () => {
  it('accepts order ids of 6–64 safe characters only', () => {
    expect(ok(orderIdSchema, 'ord_Ab-123')).toBe(true);
    expect(ok(orderIdSchema, 'a'.repeat(64))).toBe(true);
    for (const bad of ['abc12', 'a'.repeat(65), 'ord=123456', 'ord 123456', { $gt: '' }, 123456, null]) {
      expect(ok(orderIdSchema, bad)).toBe(false);
    }
  });

  it('accepts user ids as tokens carry them, and refuses operators and path tricks', () => {
    expect(ok(userIdSchema, 'user-1@example.com')).toBe(true);
    for (const bad of ['', '..', '-u', '../admin', 'a'.repeat(129), { $ne: null }, ['u1']])
      expect(ok(userIdSchema, bad)).toBe(false);
  });

  it('accepts whole KRW amounts from 1 to 100,000,000 as JSON numbers only', () => {
    expect(krwAmountSchema.parse(1)).toBe(1);
    expect(krwAmountSchema.parse(100_000_000)).toBe(100_000_000);
    for (const bad of [0, -100, 99.5, 100_000_001, Number.NaN, Infinity, '9900', null, { $gt: 0 }]) {
      expect(ok(krwAmountSchema, bad)).toBe(false);
    }
  });

  it('reads a plan id path segment as a positive integer', () => {
    expect(planIdParamSchema.parse('3')).toBe(3);
    for (const bad of ['0', '-1', '1.5', '01', 'abc', '1e3']) expect(ok(planIdParamSchema, bad)).toBe(false);
  });

  it('defaults limit to 20 and reads it from a query string', () => {
    expect(paginationQuerySchema.parse({})).toEqual({ limit: 20 });
    expect(paginationQuerySchema.parse({ limit: '100', cursor: 'abc' })).toEqual({
      limit: 100,
      cursor: 'abc',
    });
  });

  it('refuses limits outside 1..100, repeated values, long cursors and unknown parameters', () => {
    for (const bad of [
      { limit: '0' },
      { limit: '101' },
      { limit: '5.5' },
      { limit: '' },
      { limit: ['1', '2'] },
      { cursor: 'c'.repeat(513) },
      { cursor: { $gt: '' } },
      { sort: 'asc' },
    ]) {
      expect(ok(paginationQuerySchema, bad)).toBe(false);
    }
  });
});

describe('parseBody / parseParams / parseQuery', () => {
  const app = express();
  app.use(express.json());
  app.post('/orders/:orderId', (req, res) => {
    const { orderId } = parseParams(z.object({ orderId: orderIdSchema }).strict(), req);
    const query = parseQuery(paginationQuerySchema, req);
    const body = parseBody(z.object({ amount: krwAmountSchema }).strict(), req);
    res.json({ orderId, ...query, ...body });
  });
  app.use(errorHandler(() => undefined));

  it('hands typed values to the handler', async () => {
    const res = await request(app).post('/orders/ord_123456?limit=5').send({ amount: 9900 });
    expect(res.body).toEqual({ orderId: 'ord_123456', limit: 5, amount: 9900 });
  });

  it('says which part of the request is wrong', async () => {
    const params = await request(app).post('/orders/bad').send({ amount: 9900 });
    expect(params.status).toBe(400);
    expect(params.body.errors).toEqual([{ path: 'orderId', message: expect.any(String), in: 'params' }]);
    const query = await request(app).post('/orders/ord_123456?limit=500').send({ amount: 9900 });
    expect(query.body.errors[0]).toMatchObject({ path: 'limit', in: 'query' });
    expect(query.body.detail).toMatch(/^request query is invalid: limit: /);
  });

  it('names the required fields when the body is missing', async () => {
    const res = await request(app).post('/orders/ord_123456');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'amount', message: 'is required', in: 'body' }]);
  });

  it('refuses an operator object where a number belongs', async () => {
    const res = await request(app)
      .post('/orders/ord_123456')
      .send({ amount: { $gt: 0 } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ path: 'amount', message: 'must be a number' });
  });
});
