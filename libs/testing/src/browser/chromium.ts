import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { WORKSPACE_ROOT } from '../processes';

/** Debian's Chromium (tools/browser installs it once), driven headless by playwright-core. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = execFileSync(path.join(WORKSPACE_ROOT, 'tools/browser'), {
    encoding: 'utf8',
  }).trim();
  return chromium.launch({
    executablePath,
    headless: true,
    // Root (CI here) cannot use Chromium's sandbox; the pages are the console's own.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}
