import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium package; CHROMIUM_PATH points elsewhere if a machine keeps it elsewhere. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = path.resolve(__dirname, '../../../test-results/screenshots');

/** A phone-sized screen: the PG windows and the shop must work on one. */
export const PHONE = { width: 390, height: 844 };

/**
 * Headless Chromium. A missing browser fails the tests with the way to install it: a browser
 * test that skipped itself on a machine without Chromium would let CI pass having proved nothing.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}; the browser tests need Debian's chromium package: ` +
        'apt-get update && apt-get install -y --no-install-recommends chromium (.ci/run installs it)',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** A fresh browser profile (its own sessionStorage) with the service as its base URL. */
export async function newShopper(
  browser: Browser,
  baseURL: string,
  viewport = PHONE,
): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport, locale: 'ko-KR', timezoneId: 'Asia/Seoul' });
  context.setDefaultTimeout(10_000);
  return context;
}

/** A full-page screenshot under test-results/screenshots/, which CI keeps. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
