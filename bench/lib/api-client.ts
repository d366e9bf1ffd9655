/**
 * Setup-phase calls to the running service (not measured): tokens, orders, PG sandbox sessions,
 * single confirms. Plain fetch with a bounded worker pool.
 */

export interface Buyer {
  userId: string;
  token: string;
}

/** A placed order with its PG-side payment, ready to confirm. */
export interface PreparedOrder {
  buyer: Buyer;
  orderId: string;
  amount: number;
  provider: 'toss' | 'portone';
  /** Toss paymentKey or PortOne imp_uid. */
  pgPaymentId: string;
}

export class HttpError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${path} → ${status}: ${body.slice(0, 300)}`);
    this.name = 'HttpError';
  }
}

export class ApiClient {
  /** `pgUrl`: where the PG sandbox's buyer windows are (default: built into the service). */
  constructor(
    readonly baseUrl: string,
    readonly pgUrl: string = baseUrl,
  ) {}

  async call<T>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<{ status: number; json: T }> {
    return this.callAt(this.baseUrl, method, path, body, token);
  }

  private async callAt<T>(
    baseUrl: string,
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<{ status: number; json: T }> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text === '' ? null : JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, json: json as T };
  }

  /** Like `call`, but anything outside `expected` is an HttpError. */
  async expect<T>(
    expected: number[],
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<T> {
    return this.expectAt(this.baseUrl, expected, method, path, body, token);
  }

  /** A GET of the PG sandbox's own inspection endpoints. */
  pgGet<T>(path: string): Promise<T> {
    return this.expectAt(this.pgUrl, [200], 'GET', path);
  }

  /** A buyer's step in the PG's window, at the PG sandbox. */
  private pg<T>(path: string, body: unknown): Promise<T> {
    return this.expectAt(this.pgUrl, [200, 201], 'POST', path, body);
  }

  private async expectAt<T>(
    baseUrl: string,
    expected: number[],
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<T> {
    const { status, json } = await this.callAt<T>(baseUrl, method, path, body, token);
    if (!expected.includes(status)) throw new HttpError(method, path, status, JSON.stringify(json));
    return json;
  }

  async buyer(userId: string): Promise<Buyer> {
    const { token } = await this.expect<{ token: string }>([201], 'POST', '/sandbox/tokens', {
      userId,
      role: 'user',
      expiresInSeconds: 3 * 3_600,
    });
    return { userId, token };
  }

  async placeOrder(buyer: Buyer, planId: number, amount?: number) {
    return this.expect<{ orderId: string; amount: number; orderName: string }>(
      [201],
      'POST',
      '/v1/orders',
      amount === undefined ? { planId } : { planId, amount },
      buyer.token,
    );
  }

  /** An order paid for in the buyer's window of the given PG, not yet confirmed. */
  async prepareOrder(
    buyer: Buyer,
    planId: number,
    provider: 'toss' | 'portone',
    amount?: number,
    /** PortOne only: where the payment's webhook goes instead of the service (IMP.request_pay's notice_url). */
    noticeUrl?: string,
  ): Promise<PreparedOrder> {
    const order = await this.placeOrder(buyer, planId, amount);
    let pgPaymentId: string;
    if (provider === 'toss') {
      const session = await this.pg<{ paymentKey: string }>('/sandbox/toss/sessions', {
        orderId: order.orderId,
        amount: order.amount,
        orderName: order.orderName,
      });
      pgPaymentId = session.paymentKey;
    } else {
      const session = await this.pg<{ imp_uid: string }>('/sandbox/portone/sessions', {
        merchant_uid: order.orderId,
        amount: order.amount,
        name: order.orderName,
        ...(noticeUrl === undefined ? {} : { notice_url: noticeUrl }),
      });
      pgPaymentId = session.imp_uid;
    }
    return { buyer, orderId: order.orderId, amount: order.amount, provider, pgPaymentId };
  }

  async confirm(order: PreparedOrder): Promise<{ status: number; json: unknown }> {
    return this.call('POST', '/v1/payments/confirm', confirmBody(order), order.buyer.token);
  }
}

/** The body the buyer's front end posts after the PG window returns. */
export function confirmBody(order: PreparedOrder): Record<string, unknown> {
  return order.provider === 'toss'
    ? { provider: 'toss', paymentKey: order.pgPaymentId, orderId: order.orderId, amount: order.amount }
    : { provider: 'portone', impUid: order.pgPaymentId, orderId: order.orderId };
}

/** Runs `task` for 0..count-1 with at most `concurrency` in flight; results in index order. */
export async function pool<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) results[i] = await task(i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/** Tokens for `count` distinct buyers named `<prefix>-<n>`. */
export function buyers(api: ApiClient, prefix: string, count: number): Promise<Buyer[]> {
  return pool(count, 16, (i) => api.buyer(`${prefix}-${i}`));
}

/**
 * `count` orders, round-robin over `users` so that requests close together in the list belong to
 * different buyers (no two in-flight confirms contend on one user's subscription stream).
 */
export function prepareOrders(
  api: ApiClient,
  users: Buyer[],
  count: number,
  options: {
    planId: number;
    provider: 'toss' | 'portone';
    amount?: number;
    concurrency?: number;
    noticeUrl?: string;
  },
): Promise<PreparedOrder[]> {
  return pool(count, options.concurrency ?? 32, (i) =>
    api.prepareOrder(
      users[i % users.length],
      options.planId,
      options.provider,
      options.amount,
      options.noticeUrl,
    ),
  );
}
