import type { Page } from 'playwright-core';
import type { Api } from '../api/support/harness';
import { screenshot } from './support/browser';
import { useShop } from './support/shop-session';
import { buyPlan, choosePg, logIn, newUserId, orderIdOf, tokenOf } from './support/shop-pages';

/**
 * The demo shop with the PortOne-like window: as IMP.request_pay does, the payment is made in a
 * window over the shop's page, the PG queues its webhook to the service, and the page gets
 * imp_uid and merchant_uid back and has the service confirm them.
 */
jest.setTimeout(60_000);

let api: Api;
let page: Page;
useShop((session) => ({ api, page } = session));

const paymentWindow = () => page.frameLocator('iframe[name="imp-payment-window"]');

describe('the demo shop with the PortOne-like window', () => {
  it('pays in the window, sends the webhook to the service, and confirms the imp_uid it got back', async () => {
    await logIn(page, newUserId('portone'));
    await choosePg(page, 'portone');
    await buyPlan(page, 1);
    await paymentWindow().locator('#pay-button').waitFor();
    await screenshot(page, 'portone-01-window');
    await paymentWindow().locator('#pay-button').click();

    await page.waitForURL(/\/shop\/confirm\?imp_uid=/);
    await page.locator('#result [data-status="APPROVED"]').waitFor();
    await screenshot(page, 'portone-02-confirmed');
    const orderId = orderIdOf(page);
    const impUid = new URL(page.url()).searchParams.get('imp_uid');

    const payment = await api.get(await tokenOf(page), `/v1/payments/${orderId}`);
    expect(payment.body).toMatchObject({ provider: 'portone', status: 'APPROVED', pgPaymentId: impUid });
    // The webhook the payment queued goes to the service once its instant comes.
    await api.advanceClock(1_000);
    const webhooks = await api.http().get('/sandbox/portone/webhooks');
    const ours = (webhooks.body.response as Array<{ imp_uid: string; state: string; url: string }>).filter(
      (d) => d.imp_uid === impUid,
    );
    expect(ours).toEqual([
      expect.objectContaining({ state: 'delivered', url: `${api.service.url}/v1/webhooks/portone` }),
    ]);
  });

  it('comes back to the fail page when the card is refused in the window, the order still payable', async () => {
    await logIn(page, newUserId('portone-declined'));
    await choosePg(page, 'portone');
    await buyPlan(page, 1);
    await paymentWindow().locator('input[name="outcome"][value="decline"]').check();
    await paymentWindow().locator('#pay-button').click();

    await page.waitForURL(/\/shop\/fail\?/);
    await expect(page.locator('#result').innerText()).resolves.toContain('카드사 승인 거절');
    await page.locator('#order-status[data-status="PENDING"]').waitFor();
  });
});
