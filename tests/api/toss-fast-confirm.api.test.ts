import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { SANDBOX_SECRETS } from '../../src/infrastructure/config/sandbox-secrets';
import type { TossCall, TossRoute } from '../../src/infrastructure/pg-sandbox/toss/toss-endpoint';
import {
  startStandaloneSandbox,
  type RunningSandbox,
} from '../../src/interfaces/http/sandbox/standalone-sandbox.server';
import { tossFastConfirm } from '../../src/interfaces/http/sandbox/toss-fast-confirm';
import { freshDataDir, removeDataDir } from './support/harness';

const AUTH = `Basic ${Buffer.from(`${SANDBOX_SECRETS.TOSS_SECRET_KEY}:`).toString('base64')}`;
const FAST = '/sandbox/toss/v1/payments/confirm';
// A query string keeps the request off the fast path; Express routes it to the same handler.
const EXPRESS = `${FAST}?via=express`;

/** Values that differ between two equal payments: ids, card details, times, generated URLs. */
const VARYING = new Set(['paymentKey', 'orderId', 'lastTransactionKey', 'number', 'approveNo', 'url']);
const VARYING_TIME = /At$/;

function normalised(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) =>
    VARYING.has(key) || (VARYING_TIME.test(key) && typeof value === 'string') ? '<varies>' : value,
  );
}

interface Answer {
  status: number;
  type: string | undefined;
  body: unknown;
}

describe('the simulated Toss confirm served before Express', () => {
  let pg: RunningSandbox;
  let dir: string;
  let next = 0;

  beforeAll(async () => {
    dir = freshDataDir();
    pg = await startStandaloneSandbox({
      env: { PORT: '0', DATA_DIR: dir, SERVICE_URL: 'http://127.0.0.1:9' },
      schedulerIntervalMs: 3_600_000,
      log: () => {},
    });
  });
  afterAll(async () => {
    await pg.close();
    removeDataDir(dir);
  });

  /** A payment made in the buyer's window, ready to confirm. */
  async function paid(amount = 9_900): Promise<{ orderId: string; paymentKey: string; amount: number }> {
    next += 1;
    const orderId = `fast-order-${next}`;
    const session = await request(pg.url)
      .post('/sandbox/toss/sessions')
      .send({ orderId, amount, orderName: '월간 베이직' })
      .expect(201);
    return { orderId, paymentKey: session.body.paymentKey as string, amount };
  }

  async function send(
    path: string,
    body: string,
    headers: Record<string, string> = { Authorization: AUTH },
  ): Promise<Answer> {
    const res = await request(pg.url)
      .post(path)
      .set({ 'Content-Type': 'application/json', ...headers })
      .send(body);
    return { status: res.status, type: res.headers['content-type'], body: normalised(res.text) };
  }

  /** Sends one request each way, each built on fresh state from `make`, and answers both. */
  async function bothWays(make: () => Promise<{ body: string; headers?: Record<string, string> }>) {
    const fast = await make();
    const slow = await make();
    return [await send(FAST, fast.body, fast.headers), await send(EXPRESS, slow.body, slow.headers)];
  }

  const confirmBody = (p: { orderId: string; paymentKey: string; amount: number }, extra = {}) =>
    JSON.stringify({ paymentKey: p.paymentKey, orderId: p.orderId, amount: p.amount, ...extra });

  const cases: Array<[string, () => Promise<{ body: string; headers?: Record<string, string> }>]> = [
    ['an approval', async () => ({ body: confirmBody(await paid()) })],
    ['unparseable JSON', async () => ({ body: '{"paymentKey":' })],
    ['a JSON string, which strict parsing refuses', async () => ({ body: '"text"' })],
    ['an empty body', async () => ({ body: '' })],
    ['a body missing fields', async () => ({ body: JSON.stringify({ orderId: 'x' }) })],
    ['a wrong amount', async () => ({ body: confirmBody({ ...(await paid()), amount: 1 }) })],
    [
      'an unknown payment',
      async () => ({ body: confirmBody({ orderId: 'no-such-order', paymentKey: 'tgen_nope', amount: 100 }) }),
    ],
    ['no credentials', async () => ({ body: confirmBody(await paid()), headers: {} })],
    [
      'credentials without the colon',
      async () => ({
        body: confirmBody(await paid()),
        headers: { Authorization: `Basic ${Buffer.from('nocolon').toString('base64')}` },
      }),
    ],
    [
      'an empty Idempotency-Key',
      async () => ({
        body: confirmBody(await paid()),
        headers: { Authorization: AUTH, 'Idempotency-Key': '' },
      }),
    ],
    [
      'a forced error code',
      async () => ({
        body: confirmBody(await paid()),
        headers: { Authorization: AUTH, 'TossPayments-Test-Code': 'REJECT_CARD_COMPANY' },
      }),
    ],
  ];

  it.each(cases)('answers %s exactly as the Express route does', async (_name, make) => {
    const [fast, express] = await bothWays(make);
    expect(fast).toEqual(express);
    expect(fast.type).toBe('application/json; charset=utf-8');
  });

  it('the cases above cover approvals and refusals alike', async () => {
    const [approved] = await bothWays(async () => ({ body: confirmBody(await paid()) }));
    const [refused] = await bothWays(async () => ({ body: '{' }));
    expect(approved).toMatchObject({ status: 200, body: { status: 'DONE' } });
    expect(refused).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST' } });
  });

  it('shares idempotency keys with the Express route: a retry the other way replays the answer', async () => {
    const payment = await paid();
    const headers = { Authorization: AUTH, 'Idempotency-Key': `key-${payment.orderId}` };
    const first = await request(pg.url)
      .post(FAST)
      .set(headers)
      .set('Content-Type', 'application/json')
      .send(confirmBody(payment));
    const retried = await request(pg.url)
      .post(EXPRESS)
      .set(headers)
      .set('Content-Type', 'application/json')
      .send(confirmBody(payment));
    expect(first.status).toBe(200);
    expect(retried.status).toBe(200);
    expect(retried.text).toBe(first.text);
    const counts = await request(pg.url).get('/sandbox/toss/calls').query({ orderId: payment.orderId });
    expect(counts.body).toMatchObject({ confirm: 2 });
  });
});

describe('which requests the fast confirm takes', () => {
  const served: TossCall[] = [];
  const route: TossRoute = {
    express: () => undefined,
    serve: (call, res) => {
      served.push(call);
      res.end('fast');
    },
  };
  const first = tossFastConfirm('/sandbox/toss', route);
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (!first(req, res)) res.end('express');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function post(path: string, body: string | Buffer, headers: Record<string, string>): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = http.request(`${url}${path}`, { method: 'POST', headers }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  const body = '{"paymentKey":"k","orderId":"o","amount":1}';
  const plain = { 'Content-Type': 'application/json', 'Content-Length': String(body.length) };

  it('takes an ordinary confirm and hands over the parsed call', async () => {
    served.length = 0;
    expect(await post(FAST, body, plain)).toBe('fast');
    expect(await post(FAST, body, { ...plain, 'Content-Type': 'application/json; charset=UTF-8' })).toBe(
      'fast',
    );
    expect(served.map((c) => [c.method, c.path, c.body, c.header('content-type')])).toEqual([
      ['POST', '/v1/payments/confirm', { paymentKey: 'k', orderId: 'o', amount: 1 }, 'application/json'],
      [
        'POST',
        '/v1/payments/confirm',
        { paymentKey: 'k', orderId: 'o', amount: 1 },
        'application/json; charset=UTF-8',
      ],
    ]);
  });

  it.each([
    ['another path', `${FAST}?x=1`, plain],
    ['another mount', '/sandbox/other/v1/payments/confirm', plain],
    ['another type', FAST, { ...plain, 'Content-Type': 'text/plain' }],
    ['another charset', FAST, { ...plain, 'Content-Type': 'application/json; charset=latin1' }],
    ['a compressed body', FAST, { ...plain, 'Content-Encoding': 'gzip' }],
    ['a chunked body', FAST, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }],
  ])('leaves %s to Express', async (_name, path, headers) => {
    served.length = 0;
    expect(await post(path, body, headers)).toBe('express');
    expect(served).toEqual([]);
  });

  it('leaves a body over 16 KiB to Express', async () => {
    const large = JSON.stringify({ pad: 'x'.repeat(17_000) });
    expect(await post(FAST, large, { 'Content-Type': 'application/json' })).toBe('express');
  });
});
