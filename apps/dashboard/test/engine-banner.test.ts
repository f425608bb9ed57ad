// The engine banner against a real API restricted to the slowest backend (BACKPROP_BACKENDS=js): the
// dashboard says what /readyz says, that a faster backend exists and how to get it.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startService, type RunningService } from '@trainyard/client/testing';
import { launchChromium } from './browser.ts';

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');

interface Readyz {
  engine?: { backend: string; available: string[]; faster: { backend: string; how: string } | null };
}

let service: RunningService;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  // No worker: the banner is about the API's /readyz, and no job runs here.
  service = await startService({ name: 'dashboard-engine', worker: false, env: { BACKPROP_BACKENDS: 'js' } });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 700 } });
  context.setDefaultTimeout(30_000);
  await context.addInitScript((apiKey) => localStorage.setItem('trainyard.apiKey', apiKey), service.apiKey);
  page = await context.newPage();
}, 240_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await service?.stop();
});

describe('engine banner', () => {
  it('says, in the API\'s words, that a faster backend than the one in use exists and how to get it', async () => {
    const readyz = (await (await fetch(`${service.url}/readyz`)).json()) as Readyz;
    expect(readyz.engine?.backend).toBe('js');
    const faster = readyz.engine!.faster!;
    expect(faster.backend).not.toBe('js');

    await page.goto(`${service.url}/`);
    const banner = page.locator('.engine-banner');
    await banner.waitFor();
    expect(await banner.getAttribute('data-backend')).toBe('js');
    expect(await banner.getAttribute('data-faster')).toBe(faster.backend);
    expect(await banner.locator('code.engine-how').textContent()).toBe(faster.how);
    expect(await banner.textContent()).toBe(`The engine backend in use is js; ${faster.backend} is faster: ${faster.how}`);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-engine-banner.png') });

    // It stays as the app moves between pages.
    await page.getByRole('link', { name: 'Datasets' }).first().click();
    await page.waitForURL(`${service.url}/datasets`);
    expect(await banner.isVisible()).toBe(true);
  });
});
