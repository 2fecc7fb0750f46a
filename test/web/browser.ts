import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium (CI installs it); UF_CHROMIUM names another. */
export const chromiumPath = process.env.UF_CHROMIUM ?? '/usr/bin/chromium';
const built = fileURLToPath(new URL('../../dist/web/index.html', import.meta.url));

/** Why the browser suites cannot run here, or undefined when they can. */
export const browserSkipReason = !existsSync(chromiumPath)
  ? `no chromium at ${chromiumPath} (apt-get install -y chromium, or set UF_CHROMIUM): dashboard end-to-end suite skipped`
  : !existsSync(built)
    ? 'the dashboard is not built (npm run build writes dist/web): dashboard end-to-end suite skipped'
    : undefined;
if (browserSkipReason) console.warn(browserSkipReason);

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** Opens the dashboard and signs in with `token`; resolves once the shell shows who is signed in. */
export async function signIn(page: Page, base: string, token: string, hash = '#/'): Promise<void> {
  await page.goto(`${base}/${hash}`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 15_000 });
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('API token').waitFor();
}

/**
 * Where the suites' screenshots go: UF_SCREENSHOTS_DIR (the README's come from
 * `UF_SCREENSHOTS_DIR=docs/screenshots npx vitest run test/web`), else a scratch directory.
 */
export function screenshotDir(scratch: string): string {
  const dir = process.env.UF_SCREENSHOTS_DIR ?? join(scratch, 'screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}
