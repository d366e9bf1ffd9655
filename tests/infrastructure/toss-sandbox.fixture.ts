import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import express from 'express';
import request from 'supertest';
import { FaultRegistry } from '../../src/infrastructure/pg-sandbox/fault-registry';
import { createTossSandbox, type TossSandbox } from '../../src/infrastructure/pg-sandbox/toss/toss-sandbox';

export const SECRET = 'test_sk_sandbox_fixture';
export const AUTH = `Basic ${Buffer.from(`${SECRET}:`).toString('base64')}`;
export const T0 = Date.parse('2025-03-01T00:00:00.000Z');

/** A movable fake clock: tests set `clock.t`. */
export class FakeClock {
  constructor(public t: number = T0) {}
  now = (): number => this.t;
}

export interface SandboxHarness {
  clock: FakeClock;
  faults: FaultRegistry;
  db: Database.Database;
  dbPath: string;
  sandbox: TossSandbox;
  server: Server;
  baseUrl: string;
  http: ReturnType<typeof request>;
  session(body?: Record<string, unknown>): Promise<{ paymentKey: string; orderId: string; amount: number }>;
  close(): Promise<void>;
}

let orderSeq = 0;
export const newOrderId = (): string => `order_${Date.now().toString(36)}_${++orderSeq}`;

/** The sandbox alone, mounted at /sandbox/toss on a real loopback port. */
export async function startSandbox(
  options: { dbPath?: string; clock?: FakeClock; webhookUrl?: () => string | null } = {},
): Promise<SandboxHarness> {
  const dbPath = options.dbPath ?? join(mkdtempSync(join(tmpdir(), 'toss-sandbox-')), 'sandbox.db');
  const db = new Database(dbPath);
  const clock = options.clock ?? new FakeClock();
  const faults = new FaultRegistry();
  const sandbox = createTossSandbox({
    db,
    clock,
    faults,
    secretKey: SECRET,
    webhookUrl: options.webhookUrl ?? (() => null),
    webhookTimeoutMs: 2_000,
  });
  const app = express();
  app.use('/sandbox/toss', sandbox.router);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sandbox/toss`;
  const http = request(server);
  return {
    clock,
    faults,
    db,
    dbPath,
    sandbox,
    server,
    baseUrl,
    http,
    async session(body = {}) {
      const res = await http
        .post('/sandbox/toss/sessions')
        .send({ orderId: newOrderId(), amount: 10_000, orderName: '월간 베이직', ...body });
      if (res.status !== 201) throw new Error(`session failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { paymentKey: string; orderId: string; amount: number };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      db.close();
    },
  };
}

/** Authenticated calls to the sandbox's Toss API, optionally with an Idempotency-Key. */
export function tossApi(h: SandboxHarness) {
  const post = (path: string, body: unknown, key?: string) => {
    const req = h.http.post(`/sandbox/toss${path}`).set('Authorization', AUTH);
    return (key ? req.set('Idempotency-Key', key) : req).send(body as object);
  };
  return {
    confirm: (body: unknown, key?: string) => post('/v1/payments/confirm', body, key),
    cancel: (paymentKey: string, body: object, key?: string) =>
      post(`/v1/payments/${paymentKey}/cancel`, body, key),
    lookup: (paymentKey: string) =>
      h.http.get(`/sandbox/toss/v1/payments/${paymentKey}`).set('Authorization', AUTH),
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The gateway's confirm request for a buyer session, keyed per order unless told otherwise. */
export const confirmReq = (
  s: { paymentKey: string; orderId: string; amount: number },
  key = `key-${s.orderId}`,
) => ({
  pgPaymentId: s.paymentKey,
  orderId: s.orderId,
  amount: s.amount,
  idempotencyKey: key,
});
