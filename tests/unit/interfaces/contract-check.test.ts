import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { OPENAPI_DOCUMENT } from '../../../src/interfaces/http/routes';
import { checkedAgent, ContractCheck } from '../../api/support/contract-check';

/**
 * The API harness's contract hook (tests/api/support/contract-check.ts) against a stub server
 * that answers whatever a test scripts: a response the OpenAPI document does not describe must
 * fail the request, naming the route, the status and what is wrong.
 */
describe('the contract check on API responses', () => {
  let answer: { status: number; body: unknown; type?: string } = { status: 200, body: {} };
  let server: http.Server;
  let agent: ReturnType<typeof request>;
  const check = new ContractCheck(OPENAPI_DOCUMENT);
  const problem = (status: number, code: string) => ({
    status,
    type: 'application/problem+json',
    body: { type: `https://ledgerline.dev/problems/${code}`, title: 't', status, detail: 'd', code },
  });

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      res.writeHead(answer.status, { 'content-type': answer.type ?? 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    agent = checkedAgent(request(`http://127.0.0.1:${(server.address() as AddressInfo).port}`), check);
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('lets a response the document describes through', async () => {
    answer = { status: 200, body: { total: 17_000, contributions: 2 } };

    const res = await agent.get('/v1/event-fund');

    expect(res.body).toEqual({ total: 17_000, contributions: 2 });
  });

  it('fails a body that does not match its schema, naming route, status and the ajv error', async () => {
    answer = { status: 200, body: { total: 'lots', contributions: 2 } };

    await expect(agent.get('/v1/event-fund')).rejects.toThrow(
      /GET \/v1\/event-fund \(route \/v1\/event-fund\) answered 200, a body that does not match[\s\S]*\/total must be integer/,
    );
  });

  it('fails a status the route does not document', async () => {
    answer = problem(409, 'ORDER_EXPIRED');

    await expect(agent.get('/v1/event-fund')).rejects.toThrow(
      /answered 409, a status the OpenAPI document does not list/,
    );
  });

  it('fails a problem code the route does not give at that status', async () => {
    answer = problem(404, 'PLAN_NOT_FOUND');

    await expect(agent.get('/v1/orders/ord_1234567')).rejects.toThrow(
      /route \/v1\/orders\/\{orderId\}\) answered 404[\s\S]*\/code must be equal to one of the allowed values/,
    );
  });

  it('fails a content type the document does not list', async () => {
    answer = { status: 404, body: { code: 'ORDER_NOT_FOUND' } };

    await expect(agent.get('/v1/orders/ord_1234567')).rejects.toThrow(/content type "application\/json"/);
  });

  it('takes an exact path over a template: /v1/users/me/payments is no user id', async () => {
    answer = { status: 200, body: { items: [], nextCursor: null } };
    await expect(agent.get('/v1/users/me/payments?limit=5')).resolves.toMatchObject({ status: 200 });

    answer = { status: 200, body: { items: [{ orderId: 'x' }], nextCursor: null } };
    await expect(agent.get('/v1/users/me/payments')).rejects.toThrow(
      /route \/v1\/users\/me\/payments\)[\s\S]*\/items\/0/,
    );
  });

  it('fails through a callback passed to end() as well', async () => {
    answer = { status: 201, body: { orderId: 'only-this' } };

    const error = await new Promise<unknown>((resolve) =>
      agent
        .post('/v1/orders')
        .send({})
        .end((err) => resolve(err)),
    );

    expect(String(error)).toMatch(/POST \/v1\/orders \(route \/v1\/orders\) answered 201/);
  });

  it('leaves the PG sandbox and paths outside the document alone', async () => {
    answer = { status: 200, body: 'anything' };

    await expect(agent.get('/sandbox/clock')).resolves.toMatchObject({ status: 200 });
    await expect(agent.get('/no/such/route')).resolves.toMatchObject({ status: 200 });
  });

  it('compiles a validator for every JSON response the document describes', () => {
    expect(new ContractCheck(OPENAPI_DOCUMENT).compileAll()).toBeGreaterThan(50);
  });
});
