import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Response } from 'supertest';
import { OPENAPI_DOCUMENT } from '../../../src/interfaces/http/routes';
import { startService, type RunningService } from '../../../src/interfaces/http/server';
import { checkedAgent, ContractCheck } from './contract-check';

/**
 * The real service over loopback HTTP: SQLite event store, SQLite read models and the
 * built-in PG sandboxes. Background jobs run only when a test moves the sandbox clock, so every
 * test decides exactly when time passes.
 */

export const MINUTE = 60_000;

/** Every response through `api.http()` is checked against the OpenAPI document (contract-check.ts). */
const contract = new ContractCheck(OPENAPI_DOCUMENT);
export const PLAN = { BASIC: 1, PREMIUM: 2, EVENT: 3 } as const;

export type Role = 'user' | 'admin' | 'auditor';

export interface TossSessionOptions {
  amount?: number;
  orderName?: string;
  method?: '카드' | '간편결제' | '계좌이체';
  cardIssuerCode?: string;
  easyPayProvider?: string;
  /** `approve` (default), `decline`, or a Toss error code to answer at confirm. */
  outcome?: string;
}

export interface TossCallCounts {
  confirm: number;
  lookup: number;
  cancel: number;
}

export interface CreatedOrder {
  orderId: string;
  orderName: string;
  amount: number;
  status: string;
  expiresAt: string;
}

export interface Api {
  service: RunningService;
  dataDir: string;
  /**
   * supertest bound to the service's URL (real sockets, not an in-process app). Each response
   * is checked against the OpenAPI document: one it does not describe fails the request.
   */
  http: () => ReturnType<typeof request>;
  token(userId: string, role?: Role): Promise<string>;
  /** An authenticated GET. */
  get(token: string, path: string): Promise<Response>;
  createOrder(
    token: string,
    body: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<Response>;
  /** Creates the order and expects 201. */
  order(token: string, planId: number, amount?: number): Promise<CreatedOrder>;
  /** The buyer completes Toss's payment window: what the success redirect carries. */
  tossSession(
    order: { orderId: string; amount: number; orderName?: string },
    options?: TossSessionOptions,
  ): Promise<{ paymentKey: string; orderId: string; amount: number }>;
  confirm(token: string, body: Record<string, unknown>): Promise<Response>;
  /** Order, session and confirm in one step; expects 200. */
  purchase(
    token: string,
    planId: number,
    amount?: number,
    session?: TossSessionOptions,
  ): Promise<{ order: CreatedOrder; paymentKey: string; confirmed: Response }>;
  tossCalls(orderId: string): Promise<TossCallCounts>;
  fault(
    kind: 'timeout' | 'http500' | 'approve-then-timeout' | 'decline',
    operation?: 'confirm' | 'lookup' | 'cancel',
    times?: number,
  ): Promise<void>;
  advanceClock(ms: number): Promise<string>;
  setClock(iso: string): Promise<string>;
  clockNow(): Promise<number>;
  /** Global position of the newest event in the store. */
  eventHead(): Promise<number>;
  /** Basic auth header for the sandbox's Toss API, with the service's own secret key. */
  tossAuthHeader(): string;
  /** Stops the service and deletes its DATA_DIR, unless `keepData` (a restart follows). */
  close(options?: { keepData?: boolean }): Promise<void>;
}

export function freshDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'ledgerline-api-'));
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Starts the service on `dataDir` (a fresh one by default) with a 500 ms PG deadline, so a
 * held PG call becomes an unknown outcome quickly. Set API_TEST_LOG=1 to see background failures.
 */
export async function startApi(
  dataDir: string = freshDataDir(),
  env: Record<string, string> = {},
): Promise<Api> {
  const service = await startService({
    env: { PORT: '0', DATA_DIR: dataDir, PG_TIMEOUT_MS: '500', ...env },
    schedulerIntervalMs: 3_600_000,
    log: process.env.API_TEST_LOG ? (m, d) => console.error(m, d) : () => {},
  });
  const http = () => checkedAgent(request(service.url), contract);
  const expectStatus = (res: Response, status: number, what: string): Response => {
    if (res.status !== status) {
      throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
    }
    return res;
  };

  const api: Api = {
    service,
    dataDir,
    http,
    async token(userId, role = 'user') {
      const res = expectStatus(await http().post('/sandbox/tokens').send({ userId, role }), 201, 'token');
      return res.body.token as string;
    },
    get(token, path) {
      return http().get(path).set('Authorization', `Bearer ${token}`);
    },
    createOrder(token, body, headers = {}) {
      return http().post('/v1/orders').set('Authorization', `Bearer ${token}`).set(headers).send(body);
    },
    async order(token, planId, amount) {
      const body = amount === undefined ? { planId } : { planId, amount };
      const res = expectStatus(await api.createOrder(token, body), 201, 'create order');
      return res.body as CreatedOrder;
    },
    async tossSession(order, options = {}) {
      const body = {
        orderId: order.orderId,
        amount: order.amount,
        orderName: order.orderName ?? 'order',
        ...options,
      };
      const res = expectStatus(await http().post('/sandbox/toss/sessions').send(body), 201, 'toss session');
      return res.body as { paymentKey: string; orderId: string; amount: number };
    },
    confirm(token, body) {
      return http().post('/v1/payments/confirm').set('Authorization', `Bearer ${token}`).send(body);
    },
    async purchase(token, planId, amount, session) {
      const order = await api.order(token, planId, amount);
      const { paymentKey } = await api.tossSession(order, session);
      const confirmed = expectStatus(
        await api.confirm(token, {
          provider: 'toss',
          paymentKey,
          orderId: order.orderId,
          amount: order.amount,
        }),
        200,
        'confirm',
      );
      return { order, paymentKey, confirmed };
    },
    async tossCalls(orderId) {
      const res = expectStatus(await http().get('/sandbox/toss/calls').query({ orderId }), 200, 'toss calls');
      return res.body as TossCallCounts;
    },
    async fault(kind, operation = 'confirm', times = 1) {
      expectStatus(
        await http().post('/sandbox/faults').send({ provider: 'toss', operation, kind, times }),
        201,
        'fault',
      );
    },
    async advanceClock(ms) {
      const res = expectStatus(
        await http().post('/sandbox/clock').send({ advanceMs: ms }),
        200,
        'advance clock',
      );
      return res.body.now as string;
    },
    async setClock(iso) {
      const res = expectStatus(await http().post('/sandbox/clock').send({ now: iso }), 200, 'set clock');
      return res.body.now as string;
    },
    async clockNow() {
      const res = expectStatus(await http().get('/sandbox/clock'), 200, 'clock');
      return Date.parse(res.body.now as string);
    },
    eventHead() {
      return service.app.eventStore.headPosition();
    },
    tossAuthHeader() {
      return `Basic ${Buffer.from(`${service.settings.toss.secretKey}:`).toString('base64')}`;
    },
    async close(options = {}) {
      await service.close();
      if (!options.keepData) removeDataDir(dataDir);
    },
  };
  return api;
}
