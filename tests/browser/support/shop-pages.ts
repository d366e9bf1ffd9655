import type { Page } from 'playwright-core';

/** What a buyer does in the demo shop and the PG windows, step by step, as the pages show it. */

let users = 0;
/** A user id of its own per test: every test starts with no subscription and no history. */
export function newUserId(prefix: string): string {
  users += 1;
  return `${prefix}-${process.pid}-${users}`;
}

export async function logIn(page: Page, userId: string): Promise<void> {
  await page.goto('/');
  await page.locator('#user-id').fill(userId);
  await page.getByRole('button', { name: '로그인' }).click();
  await page.locator('#signed-in-as').waitFor();
}

export async function choosePg(page: Page, pg: 'toss' | 'portone'): Promise<void> {
  await page.locator(`input[name="pg"][value="${pg}"]`).check();
}

/** Clicks the plan's button in the catalog; the PG window opens (Toss: the page navigates). */
export async function buyPlan(page: Page, planId: number): Promise<void> {
  await page.locator(`button[data-plan="${planId}"]`).click();
}

export interface TossChoices {
  method?: '카드' | '간편결제';
  /** The label shown for the card company or easy-pay provider. */
  option?: string;
  outcome?: 'approve' | 'decline' | 'decline-at-confirm';
}

/** In the Toss-like window: picks method, issuer and the sandbox outcome, then pays. */
export async function payInTossWindow(page: Page, choices: TossChoices = {}): Promise<void> {
  await page.waitForURL(/\/sandbox\/toss\/window\?/);
  if (choices.method === '간편결제') await page.getByRole('tab', { name: '간편결제' }).click();
  if (choices.option) await page.getByLabel(choices.option, { exact: true }).check();
  await page.locator(`input[name="outcome"][value="${choices.outcome ?? 'approve'}"]`).check();
  await page.locator('#pay-button').click();
}

/** The order id the confirm or fail page came back with (Toss's orderId, PortOne's merchant_uid). */
export function orderIdOf(page: Page): string {
  const params = new URL(page.url()).searchParams;
  const orderId = params.get('orderId') ?? params.get('merchant_uid');
  if (!orderId) throw new Error(`no order id in ${page.url()}`);
  return orderId;
}

/** The bearer token the shop keeps in sessionStorage, for checks through the API. */
export function tokenOf(page: Page): Promise<string> {
  // A string expression: these tests compile without the DOM library.
  return page.evaluate<string>("sessionStorage.getItem('ledgerline.token') ?? ''");
}
