import { Enum, Iamport as RestClient, Request } from 'iamport-rest-client-nodejs';
import { startApi, type Api } from './support/harness';

interface Listed {
  imp_uid: string;
  merchant_uid: string;
  amount: number;
  status: string;
}

/**
 * The PortOne sandbox's `GET /payments/status/{status}` read by PortOne's published client,
 * `iamport-rest-client-nodejs` (`Payments.getByStatus`: status, page, limit, from, to, sorting),
 * unmodified: its Collection reads `{total, previous, next, list}` and stops at `next` 0.
 */
describe('PortOne’s own client lists the sandbox’s payments by status', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('pages through the payments made in a range, oldest first', async () => {
    const { apiKey, apiSecret } = api.service.settings.portone;
    const client = new RestClient({ apiKey, apiSecret, baseUrl: `${api.service.url}/sandbox/portone` });
    const from = Math.floor((await api.clockNow()) / 1000);
    const made: string[] = [];
    for (const [i, amount] of [9_900, 19_900, 29_900].entries()) {
      const res = await api
        .http()
        .post('/sandbox/portone/sessions')
        .send({ merchant_uid: `status_list_${i}`, amount, name: '월간 베이직' });
      expect(res.status).toBe(201);
      made.push(res.body.imp_uid as string);
    }
    const to = Math.ceil((await api.clockNow()) / 1000);
    const page = (n: number) =>
      Request.Payments.getByStatus({
        status: Enum.StatusEnum.ALL,
        page: n,
        limit: 2,
        from,
        to,
        sorting: Enum.SortingEnum.STARTED_ASC,
      }).request(client);

    const first = await page(1);
    expect(first.data.code).toBe(0);
    expect(first.data.response).toMatchObject({ total: 3, previous: 0, next: 2 });
    const second = await page(2);
    expect(second.data.response).toMatchObject({ total: 3, previous: 1, next: 0 });
    const listed = [...first.data.response.list, ...second.data.response.list] as Listed[];
    expect(listed.map((p) => [p.imp_uid, p.amount, p.status])).toEqual([
      [made[0], 9_900, 'paid'],
      [made[1], 19_900, 'paid'],
      [made[2], 29_900, 'paid'],
    ]);
  });
});
