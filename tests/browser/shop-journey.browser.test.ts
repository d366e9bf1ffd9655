import type { Page } from 'playwright-core';
import type { Api } from '../api/support/harness';
import { screenshot } from './support/browser';
import { useShop } from './support/shop-session';
import { buyPlan, logIn, newUserId, orderIdOf, payInTossWindow, tokenOf } from './support/shop-pages';

/**
 * The demo shop in headless Chromium against the real service and its Toss sandbox: what a buyer
 * sees from the catalog through Toss's window to the confirm page and their account page.
 */
jest.setTimeout(60_000);

let api: Api;
let page: Page;
useShop((session) => ({ api, page } = session));

const result = () => page.locator('#result');

describe('the demo shop with the Toss-like window', () => {
  it('takes a buyer from the catalog through a card payment to an ACTIVE subscription and the history', async () => {
    await logIn(page, newUserId('buyer'));
    await screenshot(page, 'toss-01-catalog');
    await buyPlan(page, 1);
    await page.waitForURL(/\/sandbox\/toss\/window\?/);
    await page.getByLabel('신한', { exact: true }).check();
    await screenshot(page, 'toss-02-payment-window');
    await payInTossWindow(page);

    await page.waitForURL(/\/shop\/confirm\?paymentKey=/);
    await result().locator('[data-status="APPROVED"]').waitFor();
    await expect(result().innerText()).resolves.toContain('9,900원');
    await screenshot(page, 'toss-03-confirmed');
    const orderId = orderIdOf(page);

    await page.locator('#to-account').click();
    await page.locator('#subscription-status [data-status="ACTIVE"]').waitFor();
    await expect(page.locator('#periods tbody tr').count()).resolves.toBe(1);
    const payment = page.locator(`li.payment[data-order-id="${orderId}"]`);
    await expect(payment.getAttribute('data-status')).resolves.toBe('APPROVED');
    await expect(payment.innerText()).resolves.toContain('신한');
    await screenshot(page, 'toss-04-account');

    // The issuer picked in the window is what the service recorded from the PG.
    const recorded = await api.get(await tokenOf(page), `/v1/payments/${orderId}`);
    expect(recorded.body.methodDetail).toMatchObject({ method: '카드', cardIssuerName: '신한' });
  });

  it('shows a card refusal on the fail page and keeps the order payable for a second try', async () => {
    await logIn(page, newUserId('declined'));
    await buyPlan(page, 2);
    await payInTossWindow(page, { outcome: 'decline' });

    await page.waitForURL(/\/shop\/fail\?/);
    const params = new URL(page.url()).searchParams;
    expect(params.get('code')).toBe('REJECT_CARD_COMPANY');
    await expect(page.locator('#fail-code').innerText()).resolves.toBe('REJECT_CARD_COMPANY');
    await expect(page.locator('#result').innerText()).resolves.toContain('카드사에서 결제를 거절했습니다');
    await page.locator('#order-status[data-status="PENDING"]').waitFor();
    await screenshot(page, 'toss-05-declined');
    const orderId = orderIdOf(page);
    expect(await api.tossCalls(orderId)).toEqual({ confirm: 0, lookup: 0, cancel: 0 });

    await page.locator('#retry').click();
    await payInTossWindow(page, { method: '간편결제', option: '카카오페이' });
    await page.waitForURL(/\/shop\/confirm\?/);
    await result().locator('[data-status="APPROVED"]').waitFor();
    expect(orderIdOf(page)).toBe(orderId);
    await expect(result().innerText()).resolves.toContain('카카오페이');
  });

  it('shows a refusal at the final approval with the PG reason, on the confirm page', async () => {
    await logIn(page, newUserId('refused'));
    await buyPlan(page, 1);
    await payInTossWindow(page, { outcome: 'decline-at-confirm' });

    await page.waitForURL(/\/shop\/confirm\?/);
    const refused = result().locator('[data-status="REFUSED"]');
    await refused.waitFor();
    await expect(refused.getAttribute('data-code')).resolves.toBe('PAYMENT_REJECTED');
    await expect(result().innerText()).resolves.toContain('REJECT_CARD_COMPANY');
    await page.locator('#order-status[data-status="PENDING"]').waitFor();
    await screenshot(page, 'toss-06-refused-at-confirm');
  });

  it('confirms once with the PG however often the confirm page is reloaded', async () => {
    await logIn(page, newUserId('reload'));
    await buyPlan(page, 1);
    await payInTossWindow(page);
    await page.waitForURL(/\/shop\/confirm\?/);
    await result().locator('[data-status="APPROVED"]').waitFor();

    await page.reload();
    await result().locator('[data-status="APPROVED"]').waitFor();
    await page.reload();
    await result().locator('[data-status="APPROVED"]').waitFor();

    const calls = await api
      .http()
      .get('/sandbox/toss/calls')
      .query({ orderId: orderIdOf(page) });
    expect(calls.body.confirm).toBe(1);
  });

  it('shows PENDING when the PG answer is lost, then the approval once the reconciler learns it', async () => {
    await logIn(page, newUserId('pending'));
    await buyPlan(page, 1);
    await page.waitForURL(/\/sandbox\/toss\/window\?/);
    await api.fault('approve-then-timeout');
    await payInTossWindow(page);

    await page.waitForURL(/\/shop\/confirm\?/);
    await result().locator('[data-status="PENDING"]').waitFor();
    await screenshot(page, 'toss-08-pending');
    // The reconciler asks the PG when its first retry falls due; the page polls the payment.
    await api.advanceClock(5 * 60_000);
    await result().locator('[data-status="APPROVED"]').waitFor({ timeout: 15_000 });
  });

  it('takes a gift to the event fund paid with an easy pay, and counts it in the fund', async () => {
    await logIn(page, newUserId('giver'));
    await page.locator('#amount-3').fill('5000');
    await buyPlan(page, 3);
    await payInTossWindow(page, { method: '간편결제', option: '토스페이' });
    await page.waitForURL(/\/shop\/confirm\?/);
    await result().locator('[data-status="APPROVED"]').waitFor();
    await expect(result().innerText()).resolves.toContain('5,000원');

    const fund = await api.http().get('/v1/event-fund');
    await page.goto('/');
    await expect(page.locator('#event-fund').innerText()).resolves.toContain(
      `${(fund.body.total as number).toLocaleString('ko-KR')}원`,
    );
    expect(fund.body).toEqual({ total: 5_000, contributions: 1 });
  });

  it('refunds a payment from the account page: the payment reads REFUNDED and the subscription is revoked', async () => {
    await logIn(page, newUserId('refund'));
    await buyPlan(page, 1);
    await payInTossWindow(page);
    await page.waitForURL(/\/shop\/confirm\?/);
    await result().locator('[data-status="APPROVED"]').waitFor();
    const orderId = orderIdOf(page);

    await page.goto('/shop/account');
    const payment = page.locator(`li.payment[data-order-id="${orderId}"]`);
    await payment.locator('input[name="reason"]').fill('마음이 바뀌었어요');
    await payment.getByRole('button', { name: '환불 요청' }).click();

    await page.locator(`li.payment[data-order-id="${orderId}"][data-status="REFUNDED"]`).waitFor();
    await page.locator('#subscription-status [data-status="REVOKED"]').waitFor();
    await expect(page.locator('#message').innerText()).resolves.toContain('환불이 완료되었습니다');
    await expect(page.locator(`li.payment[data-order-id="${orderId}"] form.refund`).count()).resolves.toBe(0);
    await screenshot(page, 'toss-07-refunded');
    expect((await api.tossCalls(orderId)).cancel).toBe(1);
  });
});
