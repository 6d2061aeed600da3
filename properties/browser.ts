// Debian's Chromium through playwright-core (never a downloaded browser), with a page that
// records what it tried to do: dialogs, script errors and every request it made.
import type { Test } from 'tap';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
  // The profile in memory where the machine has it: Chromium's databases in a fresh profile
  // flush to disk some 200 times a launch, and on this machine's disk those flushes stalled
  // every process of the suite for seconds (both cores in iowait), which failed other files'
  // one-second steps.
  const profile = mkdtempSync(path.join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'sockspec-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-quic', '--disable-component-update', '--disable-sync'],
    ...(viewport ? { viewport } : {}),
  });
  t.teardown(async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  });
  const page = await context.newPage();
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
