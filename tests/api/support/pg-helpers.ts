import type { Response } from 'supertest';
import type { RecordedEvent } from '../../../src/application/ports/event-store.port';
import type { Api, CreatedOrder } from './harness';

/**
 * Helpers for the refund, PortOne and webhook API tests, on top of the shared harness: refunds,
 * the sandbox PGs' own view of a payment (what was really cancelled there), PortOne's buyer
 * window and faults on either PG.
 */

export type PgName = 'toss' | 'portone';
export type FaultKind = 'timeout' | 'http500' | 'approve-then-timeout' | 'decline';
export type FaultOperation = 'confirm' | 'lookup' | 'cancel' | 'token';

export interface TossCancelAtPg {
  transactionKey: string;
  cancelAmount: number;
  cancelReason: string;
}

export interface TossPaymentAtPg {
  status: string;
  totalAmount: number;
  balanceAmount: number;
  /** Toss answers null, not [], before the first cancel; normalised to [] here. */
  cancels: TossCancelAtPg[];
}

export interface PortoneCancelAtPg {
  pg_tid: string;
  cancellation_id?: string;
  amount: number;
  reason: string;
}

export interface PortonePaymentAtPg {
  imp_uid: string;
  merchant_uid: string;
  status: string;
  amount: number;
  cancel_amount: number;
  cancel_history: PortoneCancelAtPg[];
}

export const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

function expectOk(res: Response, status: number, what: string): Response {
  if (res.status !== status)
    throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

/** `POST /v1/payments/:orderId/refunds`; `amount` omitted means the whole balance. */
export function refund(
  api: Api,
  token: string,
  orderId: string,
  body: { amount?: number; reason?: string } = {},
): Promise<Response> {
  return api
    .http()
    .post(`/v1/payments/${orderId}/refunds`)
    .set('Authorization', `Bearer ${token}`)
    .send({ reason: 'test refund', ...body });
}

/** Arms a sandbox fault on either PG (the harness's `fault` is Toss-only). */
export async function pgFault(
  api: Api,
  provider: PgName,
  operation: FaultOperation,
  kind: FaultKind,
  times = 1,
): Promise<void> {
  expectOk(await api.http().post('/sandbox/faults').send({ provider, operation, kind, times }), 201, 'fault');
}

/** What Toss itself holds for the payment (its Basic-auth API, with the service's key). */
export async function tossPaymentAtPg(api: Api, paymentKey: string): Promise<TossPaymentAtPg> {
  const res = expectOk(
    await api
      .http()
      .get(`/sandbox/toss/v1/payments/${paymentKey}`)
      .set('Authorization', api.tossAuthHeader()),
    200,
    'toss payment lookup',
  );
  return { ...res.body, cancels: res.body.cancels ?? [] } as TossPaymentAtPg;
}

/** A cancel made in Toss's merchant console (not by the service): Toss then sends a webhook. */
export async function tossConsoleCancel(
  api: Api,
  paymentKey: string,
  body: { cancelReason: string; cancelAmount?: number },
): Promise<void> {
  expectOk(
    await api.http().post(`/sandbox/toss/console/payments/${paymentKey}/cancel`).send(body),
    200,
    'toss console cancel',
  );
}

export async function portoneToken(api: Api): Promise<string> {
  const { apiKey, apiSecret } = api.service.settings.portone;
  const res = expectOk(
    await api.http().post('/sandbox/portone/users/getToken').send({ imp_key: apiKey, imp_secret: apiSecret }),
    200,
    'portone getToken',
  );
  return res.body.response.access_token as string;
}

/** What PortOne itself holds for the payment (`GET /payments/{imp_uid}` with a fresh token). */
export async function portonePaymentAtPg(api: Api, impUid: string): Promise<PortonePaymentAtPg> {
  const token = await portoneToken(api);
  const res = expectOk(
    await api.http().get(`/sandbox/portone/payments/${impUid}`).set('Authorization', `Bearer ${token}`),
    200,
    'portone payment lookup',
  );
  const payment = res.body.response as PortonePaymentAtPg;
  return { ...payment, cancel_history: payment.cancel_history ?? [] };
}

export interface PortoneSessionOptions {
  amount?: number;
  name?: string;
  pay_method?: string;
  card_code?: string;
  outcome?: 'approve' | 'decline' | 'ready';
}

/** The buyer completes PortOne's window (IMP.request_pay) for our order: `{imp_uid, merchant_uid, status}`. */
export async function portoneSession(
  api: Api,
  order: Pick<CreatedOrder, 'orderId' | 'amount'>,
  options: PortoneSessionOptions = {},
): Promise<string> {
  const body = { merchant_uid: order.orderId, amount: order.amount, name: 'order', ...options };
  const res = expectOk(await api.http().post('/sandbox/portone/sessions').send(body), 201, 'portone session');
  return res.body.imp_uid as string;
}

export function portoneConfirm(api: Api, token: string, orderId: string, impUid: string): Promise<Response> {
  return api.confirm(token, { provider: 'portone', impUid, orderId });
}

/** Order, PortOne window and confirm in one step; expects 200. */
export async function portonePurchase(
  api: Api,
  token: string,
  planId: number,
  amount?: number,
  session: PortoneSessionOptions = {},
): Promise<{ order: CreatedOrder; impUid: string; confirmed: Response }> {
  const order = await api.order(token, planId, amount);
  const impUid = await portoneSession(api, order, session);
  const confirmed = expectOk(await portoneConfirm(api, token, order.orderId, impUid), 200, 'portone confirm');
  return { order, impUid, confirmed };
}

/** A cancel made in PortOne's admin console; PortOne then sends a `cancelled` webhook. */
export async function portoneConsoleCancel(
  api: Api,
  impUid: string,
  body: { reason?: string; amount?: number } = {},
): Promise<void> {
  expectOk(
    await api.http().post(`/sandbox/portone/console/payments/${impUid}/cancel`).send(body),
    200,
    'portone console cancel',
  );
}

/** Every event of one stream, straight from the event store. */
export function readStream(api: Api, streamId: string): Promise<RecordedEvent[]> {
  return api.service.app.eventStore.readStream(streamId);
}

export async function paymentOf(api: Api, token: string, orderId: string): Promise<Response> {
  return expectOk(await api.get(token, `/v1/payments/${orderId}`), 200, 'payment read');
}
