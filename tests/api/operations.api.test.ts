import pino from 'pino';
import request from 'supertest';
import { startService, type RunningService } from '../../src/interfaces/http/server';
import { freshDataDir, PLAN, removeDataDir, startApi, type Api } from './support/harness';

/** Issue #12.4: one JSON log line per request, its id carried into the events; Prometheus metrics. */

/** A pino logger whose lines the test reads. */
function capturedLogger() {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  return { logger, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>), lines };
}

/** The value of one sample of the exposition, found by its name and (some of) its labels. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (wanted.every((pair) => line.includes(pair))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('request logs', () => {
  let service: RunningService;
  let dataDir: string;
  const captured = capturedLogger();

  beforeAll(async () => {
    dataDir = freshDataDir();
    service = await startService({
      env: { PORT: '0', DATA_DIR: dataDir },
      schedulerIntervalMs: 3_600_000,
      log: () => {},
      logger: captured.logger,
    });
  });
  afterAll(async () => {
    await service.close();
    removeDataDir(dataDir);
  });

  it("write one line per request with the caller's request id, and never the token", async () => {
    const http = () => request(service.url);
    const token = (await http().post('/sandbox/tokens').send({ userId: 'logged', role: 'user' })).body
      .token as string;
    // The fast read path and an Express route (the trailing slash) alike.
    for (const [path, id] of [
      ['/v1/users/me/payments', 'trace-fast-1'],
      ['/v1/users/me/payments/', 'trace-express-1'],
    ]) {
      const res = await http().get(path).set('Authorization', `Bearer ${token}`).set('X-Request-Id', id);
      expect(res.status).toBe(200);
      expect(res.headers['x-request-id']).toBe(id);
    }
    await new Promise((resolve) => setImmediate(resolve));
    const entries = captured.entries();
    const line = entries.find((e) => e.requestId === 'trace-fast-1');
    expect(line).toMatchObject({
      msg: 'request',
      method: 'GET',
      route: '/v1/users/me/payments',
      status: 200,
    });
    expect(typeof line?.durationMs).toBe('number');
    expect(entries.find((e) => e.requestId === 'trace-express-1')).toMatchObject({ status: 200 });
    expect(captured.lines.join('\n')).not.toContain(token);
    expect(captured.lines.join('\n').toLowerCase()).not.toContain('bearer');
  });

  it('replace an unusable X-Request-Id with one of their own', async () => {
    const res = await request(service.url).get('/v1/plans').set('X-Request-Id', 'two words\tand a tab');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('correlation and metrics', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('record the request id as the correlationId of the events a command appends', async () => {
    const user = await api.token('correlated');
    const created = await api.createOrder(user, { planId: PLAN.BASIC }, { 'X-Request-Id': 'order-req-7' });
    expect(created.status).toBe(201);
    const { orderId, amount } = created.body as { orderId: string; amount: number };
    const { paymentKey } = await api.tossSession({ orderId, amount });
    const confirmed = await api
      .http()
      .post('/v1/payments/confirm')
      .set('Authorization', `Bearer ${user}`)
      .set('X-Request-Id', 'confirm-req-7')
      .send({ provider: 'toss', paymentKey, orderId, amount });
    expect(confirmed.status).toBe(200);
    expect(confirmed.headers['x-request-id']).toBe('confirm-req-7');
    const events = await api.service.app.eventStore.readStream(`order-${orderId}`);
    const correlation = (type: string) => events.find((e) => e.type === type)?.metadata.correlationId;
    expect(correlation('OrderPlaced')).toBe('order-req-7');
    expect(correlation('PaymentAttemptStarted')).toBe('confirm-req-7');
    expect(correlation('OrderPaid')).toBe('confirm-req-7');
    // Event ids still derive from a server-made id: the caller's id need not be unique.
    expect(events[0].metadata.causationId).not.toBe('order-req-7');
  });

  it('expose requests, PG calls by outcome, appends, projection lag and process work at /metrics', async () => {
    const scrape = async () => {
      const res = await api.http().get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      return res.text;
    };
    const pg = (text: string, outcome: string) =>
      sample(text, 'ledgerline_pg_calls_total', { provider: 'toss', operation: 'confirm', outcome }) ?? 0;
    const before = await scrape();
    const user = await api.token('metered');

    await api.purchase(user, PLAN.BASIC);
    const afterOk = await scrape();
    expect(pg(afterOk, 'ok')).toBe(pg(before, 'ok') + 1);

    await api.fault('http500', 'confirm');
    const order = await api.order(user, PLAN.PREMIUM);
    const { paymentKey } = await api.tossSession(order);
    const pending = await api.confirm(user, {
      provider: 'toss',
      paymentKey,
      orderId: order.orderId,
      amount: order.amount,
    });
    expect(pending.status).toBe(202);
    const afterFault = await scrape();
    expect(pg(afterFault, 'unknown')).toBe(pg(before, 'unknown') + 1);

    expect(sample(afterFault, 'ledgerline_event_store_appends_total', { outcome: 'ok' })).toBeGreaterThan(
      sample(before, 'ledgerline_event_store_appends_total', { outcome: 'ok' }) ?? 0,
    );
    expect(sample(afterFault, 'ledgerline_event_store_append_duration_seconds_count')).toBeGreaterThan(0);
    expect(
      sample(afterFault, 'ledgerline_http_requests_total', {
        method: 'POST',
        route: '/v1/payments/confirm',
        status_class: '2xx',
      }),
    ).toBeGreaterThanOrEqual(2);
    expect(sample(afterFault, 'ledgerline_projection_lag')).toBe(0);
    // The unknown outcome is owed to the confirmation reconciler.
    expect(
      sample(afterFault, 'ledgerline_process_pending_items', { process: 'confirmation-reconciler' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(afterFault, 'ledgerline_process_parked_items', { process: 'confirmation-reconciler' }),
    ).toBe(0);
  });
});
