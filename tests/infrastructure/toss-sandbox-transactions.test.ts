import { PgListUnavailableError } from '../../src/application/ports/pg-transaction-list.port';
import { TossTransactionList } from '../../src/infrastructure/pg/toss/toss-transaction-list';
import { AUTH, SECRET, T0, startSandbox, tossApi, type SandboxHarness } from './toss-sandbox.fixture';

const MINUTE = 60_000;
/** T0 (2025-03-01T00:00:00Z) as Toss prints it: Korean local time. */
const kst = (ms: number): string => new Date(ms + 9 * 3_600_000).toISOString().slice(0, 19);

interface Listed {
  transactionKey: string;
  paymentKey: string;
  orderId: string;
  status: string;
  transactionAt: string;
  amount: number;
  method: string;
  currency: string;
}

/**
 * Toss `GET /v1/transactions` in the sandbox (reference 1.10): every approval and cancel in the
 * window, oldest first, cursor-paged by transactionKey; and the adapter that pages through it.
 */
describe('Toss sandbox: the transaction list', () => {
  let h: SandboxHarness;
  let a: { paymentKey: string; orderId: string };
  let b: { paymentKey: string; orderId: string };
  let c: { paymentKey: string; orderId: string };

  const approve = async (amount: number, at: number) => {
    h.clock.t = at;
    const s = await h.session({ amount });
    const res = await tossApi(h).confirm(s);
    expect(res.status).toBe(200);
    return s;
  };
  const list = (query: Record<string, string | number>) =>
    h.http.get('/sandbox/toss/v1/transactions').set('Authorization', AUTH).query(query);

  beforeAll(async () => {
    h = await startSandbox();
    a = await approve(10_000, T0 + MINUTE);
    b = await approve(20_000, T0 + 2 * MINUTE);
    h.clock.t = T0 + 3 * MINUTE;
    expect(
      (await tossApi(h).cancel(a.paymentKey, { cancelReason: 'partial', cancelAmount: 4_000 })).status,
    ).toBe(200);
    c = await approve(30_000, T0 + 4 * MINUTE);
    h.clock.t = T0 + 5 * MINUTE;
    expect((await tossApi(h).cancel(c.paymentKey, { cancelReason: 'whole' })).status).toBe(200);
    await h.session({ amount: 5_000 }); // never confirmed: no transaction
  });
  afterAll(() => h.close());

  it('lists each approval and cancel once, oldest first, with the status it left and a positive amount', async () => {
    const res = await list({ startDate: kst(T0), endDate: kst(T0 + 10 * MINUTE) });
    expect(res.status).toBe(200);
    const items = res.body as Listed[];
    expect(items.map((t) => [t.paymentKey, t.status, t.amount])).toEqual([
      [a.paymentKey, 'DONE', 10_000],
      [b.paymentKey, 'DONE', 20_000],
      [a.paymentKey, 'PARTIAL_CANCELED', 4_000],
      [c.paymentKey, 'DONE', 30_000],
      [c.paymentKey, 'CANCELED', 30_000],
    ]);
    expect(items[0]).toMatchObject({ orderId: a.orderId, method: '카드', currency: 'KRW' });
    expect(items[0].transactionAt).toBe(`${kst(T0 + MINUTE)}+09:00`);
    expect(new Set(items.map((t) => t.transactionKey)).size).toBe(5);
    const payment = (await tossApi(h).lookup(a.paymentKey)).body as {
      cancels: Array<{ transactionKey: string }>;
    };
    expect(items[2].transactionKey).toBe(payment.cancels[0].transactionKey);
  });

  it('includes both ends of the window to the second, and nothing outside it', async () => {
    const res = await list({ startDate: kst(T0 + 2 * MINUTE), endDate: kst(T0 + 4 * MINUTE) });
    expect((res.body as Listed[]).map((t) => [t.paymentKey, t.status])).toEqual([
      [b.paymentKey, 'DONE'],
      [a.paymentKey, 'PARTIAL_CANCELED'],
      [c.paymentKey, 'DONE'],
    ]);
    const withOffset = await list({
      startDate: new Date(T0 + 2 * MINUTE + 1_000).toISOString(),
      endDate: new Date(T0 + 4 * MINUTE - 1_000).toISOString(),
    });
    expect((withOffset.body as Listed[]).map((t) => t.status)).toEqual(['PARTIAL_CANCELED']);
  });

  it('pages by the last transactionKey', async () => {
    const window = { startDate: kst(T0), endDate: kst(T0 + 10 * MINUTE) };
    const all = (await list(window)).body as Listed[];
    const first = (await list({ ...window, limit: 2 })).body as Listed[];
    const second = (await list({ ...window, limit: 2, startingAfter: first[1].transactionKey }))
      .body as Listed[];
    const third = (await list({ ...window, limit: 2, startingAfter: second[1].transactionKey }))
      .body as Listed[];
    expect([...first, ...second, ...third]).toEqual(all);
    expect(third).toHaveLength(1);
  });

  it("refuses a call without the secret key, a window it cannot read, and a cursor not in it, in Toss's shape", async () => {
    const noAuth = await h.http
      .get('/sandbox/toss/v1/transactions')
      .query({ startDate: kst(T0), endDate: kst(T0) });
    expect(noAuth.status).toBe(401);
    expect(noAuth.body.code).toBe('UNAUTHORIZED_KEY');
    expect((await list({ endDate: kst(T0) })).body.code).toBe('INVALID_REQUEST');
    expect((await list({ startDate: 'yesterday', endDate: kst(T0) })).status).toBe(400);
    expect((await list({ startDate: kst(T0), endDate: kst(T0), limit: 5_001 })).status).toBe(400);
    const cursor = await list({ startDate: kst(T0), endDate: kst(T0 + MINUTE), startingAfter: 'NOPE' });
    expect(cursor.status).toBe(400);
    expect(cursor.body.code).toBe('INVALID_REQUEST');
  });

  it('the adapter reads every page of the window, [from, to), as approvals and cancels', async () => {
    const adapter = new TossTransactionList({
      baseUrl: h.baseUrl,
      secretKey: SECRET,
      timeoutMs: 2_000,
      pageSize: 2,
    });
    try {
      const all = await adapter.transactions({ from: T0, to: T0 + 10 * MINUTE });
      expect(all.map((t) => [t.kind, t.pgPaymentId, t.amount, t.at])).toEqual([
        ['approval', a.paymentKey, 10_000, T0 + MINUTE],
        ['approval', b.paymentKey, 20_000, T0 + 2 * MINUTE],
        ['cancel', a.paymentKey, 4_000, T0 + 3 * MINUTE],
        ['approval', c.paymentKey, 30_000, T0 + 4 * MINUTE],
        ['cancel', c.paymentKey, 30_000, T0 + 5 * MINUTE],
      ]);
      // `to` is excluded, `from` included.
      const edge = await adapter.transactions({ from: T0 + 2 * MINUTE, to: T0 + 4 * MINUTE });
      expect(edge.map((t) => t.at)).toEqual([T0 + 2 * MINUTE, T0 + 3 * MINUTE]);
    } finally {
      adapter.close();
    }
  });

  it('the adapter says in one error when Toss refuses the key or does not answer', async () => {
    const wrongKey = new TossTransactionList({
      baseUrl: h.baseUrl,
      secretKey: 'test_sk_wrong',
      timeoutMs: 2_000,
    });
    const window = { from: T0, to: T0 + MINUTE };
    await expect(wrongKey.transactions(window)).rejects.toThrow(
      /Toss refused our secret key \(HTTP 401 UNAUTHORIZED_KEY\)/,
    );
    await expect(wrongKey.transactions(window)).rejects.toBeInstanceOf(PgListUnavailableError);
    wrongKey.close();
    const nobody = new TossTransactionList({
      baseUrl: 'http://127.0.0.1:9/sandbox/toss',
      secretKey: SECRET,
      timeoutMs: 2_000,
    });
    await expect(nobody.transactions(window)).rejects.toThrow(/did not answer/);
    nobody.close();
  });
});
