import net from 'node:net';
import request from 'supertest';
import { startService, type RunningService } from '../../src/interfaces/http/server';
import { freshDataDir, removeDataDir } from './support/harness';

interface RawAnswer {
  text: string;
  /** When the server closed the connection, ms after it was opened. */
  closedAfterMs: number;
}

/** A raw HTTP/1.1 exchange: writes `head`, then `drip` (if any) every 200 ms, until the server closes. */
function raw(port: number, head: string, drip?: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const began = Date.now();
    const socket = net.connect(port, '127.0.0.1', () => socket.write(head));
    let text = '';
    const timer =
      drip === undefined ? undefined : setInterval(() => socket.writable && socket.write(drip), 200);
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('error', () => undefined); // a reset after the answer is fine
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ text, closedAfterMs: Date.now() - began });
    });
    setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server held the connection: ${JSON.stringify(text)}`));
    }, 15_000).unref();
  });
}

function problemOf(answer: RawAnswer): {
  status: number;
  contentType: string;
  body: Record<string, unknown>;
} {
  const [head, body = ''] = answer.text.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head ?? '')?.[1]);
  const contentType = /content-type: ([^\r\n]+)/i.exec(head ?? '')?.[1] ?? '';
  return { status, contentType, body: JSON.parse(body) as Record<string, unknown> };
}

/** Issue #12 point 8: what a hostile or broken client can do to the server. */
describe('request hardening', () => {
  let service: RunningService;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = freshDataDir();
    service = await startService({
      env: { PORT: '0', DATA_DIR: dataDir },
      schedulerIntervalMs: 3_600_000,
      log: () => {},
      limits: { requestTimeoutMs: 1_500, headersTimeoutMs: 1_500, maxConnections: 20 },
    });
  });
  afterAll(async () => {
    await service.close();
    removeDataDir(dataDir);
  });

  const post = (path: string, length: number, extra = '') =>
    `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n${extra}\r\n{`;

  it('cuts off a body that trickles in on the fast command path with 408 problem+json', async () => {
    const answer = await raw(service.port, post('/v1/payments/confirm', 1_000), ' ');
    const problem = problemOf(answer);
    expect(problem.status).toBe(408);
    expect(problem.contentType).toMatch(/^application\/problem\+json/);
    expect(problem.body).toMatchObject({ code: 'REQUEST_TIMEOUT', status: 408 });
    expect(answer.closedAfterMs).toBeLessThan(5_000);
  });

  it('cuts off a body shorter than it declared, on the Express path too', async () => {
    // An Idempotency-Key sends the confirm through Express's JSON parser.
    const answer = await raw(service.port, post('/v1/payments/confirm', 500, 'Idempotency-Key: k1\r\n'));
    expect(problemOf(answer)).toMatchObject({ status: 408, body: { code: 'REQUEST_TIMEOUT' } });
    expect(answer.closedAfterMs).toBeLessThan(5_000);
  });

  it('cuts off headers that never end', async () => {
    const answer = await raw(service.port, 'GET /v1/plans HTTP/1.1\r\nHost: x\r\n', 'X-Slow: 1\r\n');
    expect(problemOf(answer)).toMatchObject({ status: 408, body: { code: 'REQUEST_TIMEOUT' } });
    expect(answer.closedAfterMs).toBeLessThan(5_000);
  });

  it('answers protocol-level junk with a problem+json 400', async () => {
    const answer = await raw(service.port, 'HELLO THERE\r\n\r\n');
    const problem = problemOf(answer);
    expect(problem.status).toBe(400);
    expect(problem.contentType).toMatch(/^application\/problem\+json/);
    expect(problem.body).toMatchObject({ code: 'MALFORMED_REQUEST', status: 400 });
  });

  it('answers an oversized header block with a problem+json 431', async () => {
    const answer = await raw(
      service.port,
      `GET /v1/plans HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(problemOf(answer)).toMatchObject({ status: 431, body: { code: 'HEADERS_TOO_LARGE' } });
  });

  it('keeps serving while idle clients hold connections up to the cap, and refuses beyond it', async () => {
    const idle: net.Socket[] = [];
    try {
      for (let i = 0; i < 19; i++) {
        idle.push(
          await new Promise<net.Socket>((resolve) => {
            const s = net.connect(service.port, '127.0.0.1', () => resolve(s));
            s.on('error', () => undefined);
          }),
        );
      }
      // The 20th connection is still served.
      const served = await request(service.url).get('/v1/plans').set('Connection', 'close');
      expect(served.status).toBe(200);
      // Now 19 held + 1 more held = 20: the 21st is closed on accept.
      idle.push(
        await new Promise<net.Socket>((resolve) => {
          const s = net.connect(service.port, '127.0.0.1', () => resolve(s));
          s.on('error', () => undefined);
        }),
      );
      const refused = await raw(service.port, 'GET /v1/plans HTTP/1.1\r\nHost: x\r\n\r\n');
      expect(refused.text).toBe('');
    } finally {
      idle.forEach((s) => s.destroy());
    }
    // Once they are gone, requests are served again.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await request(service.url).get('/v1/plans')).status).toBe(200);
  });

  it('listens on loopback by default in sandbox mode', () => {
    expect(service.settings.host).toBe('127.0.0.1');
    expect((service.server.address() as net.AddressInfo).address).toBe('127.0.0.1');
  });
});

describe('the sandbox notice_url', () => {
  let service: RunningService;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = freshDataDir();
    service = await startService({
      env: { PORT: '0', DATA_DIR: dataDir, SANDBOX_NOTICE_URL_ALLOW: 'http://hooks.example.com:8080' },
      schedulerIntervalMs: 3_600_000,
      log: () => {},
    });
  });
  afterAll(async () => {
    await service.close();
    removeDataDir(dataDir);
  });

  const session = (merchantUid: string, noticeUrl: string) =>
    request(service.url)
      .post('/sandbox/portone/sessions')
      .send({ merchant_uid: merchantUid, amount: 9900, name: '월간 베이직', notice_url: noticeUrl });

  it('reaches only loopback or the allow-list', async () => {
    for (const url of ['http://127.0.0.1:4000/hook', 'http://localhost/hook', 'http://[::1]:9/h']) {
      expect((await session(`ok_${url.length}`, url)).status).toBe(201);
    }
    expect((await session('ok_listed', 'http://hooks.example.com:8080/portone')).status).toBe(201);
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://10.0.0.8/hook',
      'http://hooks.example.com/portone', // the listed origin is port 8080
      'https://hooks.example.com:8080/portone', // and http
    ]) {
      const refused = await session('refused', url);
      expect(refused.status).toBe(400);
      expect(refused.body.message).toMatch(/SANDBOX_NOTICE_URL_ALLOW/);
    }
  });
});
