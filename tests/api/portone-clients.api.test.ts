import Iamport from 'iamport';
import { Enum, Iamport as RestClient, Request } from 'iamport-rest-client-nodejs';
import { startApi, type Api } from './support/harness';

/**
 * Issue #12 point 7: the PortOne sandbox passes the PortOne v1 clients published under
 * PortOne's own name, unmodified, pointed at the sandbox:
 * - `iamport-rest-client-nodejs` has a `baseUrl` option and sends `Authorization: Bearer <token>`;
 * - `iamport` (the original client) has no host option: every instance takes
 *   `Iamport.DEFAULT_HOST` in its constructor, so the test sets that static before building one
 *   and puts it back after. It sends the token bare, `Authorization: <token>`, as PortOne allows.
 */

interface SandboxPayment {
  imp_uid: string;
  merchant_uid: string;
  amount: number;
}

interface PortoneCalls {
  token: number;
  confirm: number;
  lookup: number;
  cancel: number;
}

describe('PortOne’s own clients against the PortOne sandbox', () => {
  let api: Api;
  let baseUrl: string;
  let credentials: { key: string; secret: string };

  beforeAll(async () => {
    api = await startApi();
    baseUrl = `${api.service.url}/sandbox/portone`;
    credentials = {
      key: api.service.settings.portone.apiKey,
      secret: api.service.settings.portone.apiSecret,
    };
  });
  afterAll(() => api.close());

  /** The buyer pays in PortOne's window (IMP.request_pay); no Ledgerline order is needed. */
  const pay = async (merchantUid: string, amount: number): Promise<SandboxPayment> => {
    const res = await api
      .http()
      .post('/sandbox/portone/sessions')
      .send({ merchant_uid: merchantUid, amount, name: '월간 베이직' });
    expect(res.status).toBe(201);
    return { imp_uid: res.body.imp_uid as string, merchant_uid: merchantUid, amount };
  };
  /**
   * The client's typings mark every cancel field required; PortOne needs imp_uid or merchant_uid
   * and takes the others as optional, as the client itself sends them.
   */
  const cancelData = (data: Record<string, unknown>) =>
    data as unknown as Parameters<typeof Request.Payments.cancel>[0];
  const calls = async (merchantUid: string): Promise<PortoneCalls> =>
    (await api.http().get('/sandbox/portone/calls').query({ merchant_uid: merchantUid })).body
      .response as PortoneCalls;

  describe('iamport-rest-client-nodejs (baseUrl option, Bearer token)', () => {
    const client = () => new RestClient({ apiKey: credentials.key, apiSecret: credentials.secret, baseUrl });

    it('gets a token', async () => {
      const res = await Request.Authenticate.getToken({
        imp_key: credentials.key,
        imp_secret: credentials.secret,
      }).request(client());
      expect(res.data.code).toBe(0);
      expect(res.data.response).toMatchObject({ access_token: expect.any(String) });
    });

    it('refuses wrong credentials with the PG’s 401', async () => {
      const wrong = new RestClient({ apiKey: credentials.key, apiSecret: 'wrong-secret', baseUrl });
      const failure = await Request.Payments.getByImpUid({ imp_uid: 'imp_000000000000' })
        .request(wrong)
        .catch((error: { response?: { status?: number } }) => error);
      expect(failure).toMatchObject({ response: { status: 401 } });
    });

    it('looks a payment up by imp_uid and by merchant_uid', async () => {
      const paid = await pay('rest_lookup_1', 9_900);
      const iamport = client();
      const byImpUid = await Request.Payments.getByImpUid({ imp_uid: paid.imp_uid }).request(iamport);
      expect(byImpUid.data.response).toMatchObject({
        imp_uid: paid.imp_uid,
        merchant_uid: 'rest_lookup_1',
        amount: 9_900,
        status: 'paid',
      });
      const byMerchantUid = await Request.Payments.getByMerchantUid({
        merchant_uid: 'rest_lookup_1',
        status: Enum.StatusEnum.PAID,
        sorting: Enum.SortingEnum.STARTED_DESC,
      }).request(iamport);
      expect(byMerchantUid.data.response).toMatchObject({ imp_uid: paid.imp_uid, status: 'paid' });
    });

    it('cancels part with a checksum, refuses a stale checksum, then cancels the rest', async () => {
      const paid = await pay('rest_cancel_1', 19_900);
      const iamport = client();
      const partial = await Request.Payments.cancel(
        cancelData({
          imp_uid: paid.imp_uid,
          amount: 5_000,
          checksum: 19_900,
          reason: 'partial',
        }),
      ).request(iamport);
      expect(partial.data.response).toMatchObject({ status: 'paid', cancel_amount: 5_000 });

      // The checksum is the caller's view of the refundable balance: 19,900 is stale now.
      const stale = await Request.Payments.cancel(
        cancelData({
          imp_uid: paid.imp_uid,
          amount: 1_000,
          checksum: 19_900,
          reason: 'stale',
        }),
      )
        .request(iamport)
        .catch((error: { response?: { data?: { code?: number } } }) => error);
      expect(stale).toMatchObject({ response: { data: { code: 1 } } });

      const full = await Request.Payments.cancel(
        cancelData({
          imp_uid: paid.imp_uid,
          checksum: 14_900,
          reason: 'the rest',
        }),
      ).request(iamport);
      expect(full.data.response).toMatchObject({ status: 'cancelled', cancel_amount: 19_900 });
      expect((await calls('rest_cancel_1')).cancel).toBe(3);
    });
  });

  describe('iamport (DEFAULT_HOST, bare token)', () => {
    let savedHost: string;
    beforeAll(() => {
      savedHost = Iamport.DEFAULT_HOST;
    });
    afterEach(() => {
      Iamport.DEFAULT_HOST = savedHost;
    });
    const client = (impSecret = credentials.secret): Iamport => {
      Iamport.DEFAULT_HOST = baseUrl;
      const iamport = new Iamport({ impKey: credentials.key, impSecret });
      Iamport.DEFAULT_HOST = savedHost;
      return iamport;
    };

    it('gets a token on its first call and sends it bare', async () => {
      const paid = await pay('legacy_token_1', 9_900);
      const iamport = client();
      const payment = await iamport.payment.getByImpUid({ imp_uid: paid.imp_uid });
      expect(payment).toMatchObject({ imp_uid: paid.imp_uid, status: 'paid' });
      expect(iamport.token?.access_token).toEqual(expect.any(String));
      expect((await calls('legacy_token_1')).confirm).toBe(1);
    });

    it('refuses wrong credentials with the PG’s 401', async () => {
      const failure = await client('wrong-secret')
        .payment.getByImpUid({ imp_uid: 'imp_000000000000' })
        .catch((error: Iamport.IamportError) => error);
      expect(failure).toMatchObject({ code: 'HTTP_401' });
    });

    it('looks a payment up by imp_uid and by merchant_uid, and misses an unknown one with 404', async () => {
      const paid = await pay('legacy_lookup_1', 25_000);
      const iamport = client();
      expect(await iamport.payment.getByImpUid({ imp_uid: paid.imp_uid })).toMatchObject({
        merchant_uid: 'legacy_lookup_1',
        amount: 25_000,
      });
      expect(await iamport.payment.getByMerchant({ merchant_uid: 'legacy_lookup_1' })).toMatchObject({
        imp_uid: paid.imp_uid,
        status: 'paid',
      });
      const missing = await iamport.payment
        .getByImpUid({ imp_uid: 'imp_999999999999' })
        .catch((error: Iamport.IamportError) => error);
      expect(missing).toMatchObject({ code: 'HTTP_404' });
    });

    it('cancels part with a checksum, refuses a stale checksum, then cancels the rest', async () => {
      const paid = await pay('legacy_cancel_1', 9_900);
      const iamport = client();
      expect(
        await iamport.payment.cancel({
          imp_uid: paid.imp_uid,
          amount: 3_000,
          checksum: 9_900,
          reason: 'partial',
        }),
      ).toMatchObject({ status: 'paid', cancel_amount: 3_000 });
      const stale = await iamport.payment
        .cancel({ imp_uid: paid.imp_uid, amount: 1_000, checksum: 9_900, reason: 'stale' })
        .catch((error: Iamport.IamportError) => error);
      expect(stale).toMatchObject({ code: 'IAMPORT_1' });
      const full = await iamport.payment.cancel({
        merchant_uid: 'legacy_cancel_1',
        checksum: 6_900,
        reason: 'the rest',
      });
      expect(full).toMatchObject({ imp_uid: paid.imp_uid, status: 'cancelled', cancel_amount: 9_900 });
    });
  });
});
