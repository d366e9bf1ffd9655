import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApi, type Api } from '../../api/support/harness';
import { launchChromium, newShopper } from './browser';

/**
 * One service and one Chromium for a test file, and a fresh shopper (profile and page) for each
 * test: `bind` receives them before every test.
 */
export function useShop(bind: (session: { api: Api; page: Page }) => void): void {
  let api: Api;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    browser = await launchChromium();
    api = await startApi();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  beforeEach(async () => {
    context = await newShopper(browser, api.service.url);
    bind({ api, page: await context.newPage() });
  });

  afterEach(async () => {
    await context.close();
  });
}
