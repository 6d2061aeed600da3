// Debian's Chromium through playwright-core (never a downloaded browser), with a page that
// records what it tried to do: dialogs, script errors and every request it made.
import type { Test } from 'tap';
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';

export const hasChromium = existsSync('/usr/bin/chromium');
/** Skipped where Chromium is missing, except in CI, which installs it (.ci/run). */
export const browserSkip = !hasChromium && process.env.CI !== 'true' ? 'chromium is not installed' : false;

export interface WatchedPage {
  page: Page;
  dialogs: string[];
  errors: string[];
  requests: string[];
}

export async function watchedPage(t: Test, viewport?: { width: number; height: number }): Promise<WatchedPage> {
  t.ok(hasChromium, 'chromium is installed (.ci/run installs it)');
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-quic', '--disable-component-update', '--disable-sync'],
  });
  t.teardown(() => browser.close());
  const page = await browser.newPage(viewport ? { viewport } : {});
  const w: WatchedPage = { page, dialogs: [], errors: [], requests: [] };
  page.on('dialog', (d) => {
    w.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('console', (m) => m.type() === 'error' && w.errors.push(m.text()));
  page.on('pageerror', (e) => w.errors.push(String(e)));
  page.on('request', (req) => w.requests.push(req.url()));
  return w;
}
