import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

// Debian's chromium driven by playwright-core (nothing downloaded: scripts/ensure-chromium.sh installs
// it), console errors and page errors collected from every page, screenshots to test-artifacts/page/.

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/page/', import.meta.url));

export interface BrowserSession {
  browser: Browser;
  /** "url: text" of every console error and uncaught page error so far. */
  errors: string[];
  open(url: string, options?: BrowserContextOptions): Promise<Page>;
  screenshot(page: Page, name: string, options?: { fullPage?: boolean }): Promise<string>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<BrowserSession> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  mkdirSync(ARTIFACTS, { recursive: true });
  const errors: string[] = [];
  return {
    browser,
    errors,
    async open(url, options = {}) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
      const page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
      await page.goto(url);
      return page;
    },
    async screenshot(page, name, options = {}) {
      const path = join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path, fullPage: options.fullPage ?? false });
      return path;
    },
    close: () => browser.close(),
  };
}
