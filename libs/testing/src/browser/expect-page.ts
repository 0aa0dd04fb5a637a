import { type Locator } from 'playwright-core';

const DEFAULT_TIMEOUT_MS = 10_000;

/** Polls until the check holds (pages update asynchronously), else fails naming what was last seen. */
async function until(
  what: string,
  read: () => Promise<unknown>,
  holds: (seen: unknown) => boolean,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  let seen: unknown;
  for (;;) {
    try {
      seen = await read();
      if (holds(seen)) return;
    } catch (error) {
      seen = error instanceof Error ? error.message : error;
    }
    if (Date.now() > deadline) throw new Error(`expected ${what}; last seen: ${JSON.stringify(seen)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const matches = (pattern: string | RegExp, text: string, whole = false): boolean =>
  typeof pattern === 'string' ? (whole ? text === pattern : text.includes(pattern)) : pattern.test(text);

/**
 * Web-first assertions for playwright-core (which has no `expect` of its own): each waits until the
 * page shows what is expected, or fails after the timeout.
 */
export function expectPage(locator: Locator) {
  const name = locator.toString();
  const options = (timeout?: { timeout?: number }) => timeout?.timeout ?? DEFAULT_TIMEOUT_MS;
  return {
    toBeVisible: (timeout?: { timeout?: number }) =>
      until(
        `${name} visible`,
        () => locator.isVisible(),
        (seen) => seen === true,
        options(timeout),
      ),
    toContainText: (text: string | RegExp, timeout?: { timeout?: number }) =>
      until(
        `${name} to contain ${String(text)}`,
        async () => (await locator.textContent({ timeout: 1000 })) ?? '',
        (seen) => matches(text, String(seen)),
        options(timeout),
      ),
    toHaveText: (text: string | RegExp, timeout?: { timeout?: number }) =>
      until(
        `${name} to have text ${String(text)}`,
        async () => ((await locator.textContent({ timeout: 1000 })) ?? '').trim(),
        (seen) => matches(text, String(seen), true),
        options(timeout),
      ),
    toHaveCount: (count: number, timeout?: { timeout?: number }) =>
      until(
        `${name} count ${count}`,
        () => locator.count(),
        (seen) => seen === count,
        options(timeout),
      ),
    toHaveAttribute: (attribute: string, value: string | RegExp, timeout?: { timeout?: number }) =>
      until(
        `${name} [${attribute}] ${String(value)}`,
        async () => (await locator.getAttribute(attribute, { timeout: 1000 })) ?? '',
        (seen) => matches(value, String(seen), true),
        options(timeout),
      ),
    toBeDisabled: (timeout?: { timeout?: number }) =>
      until(
        `${name} disabled`,
        () => locator.isDisabled({ timeout: 1000 }),
        (seen) => seen === true,
        options(timeout),
      ),
    toBeEnabled: (timeout?: { timeout?: number }) =>
      until(
        `${name} enabled`,
        () => locator.isEnabled({ timeout: 1000 }),
        (seen) => seen === true,
        options(timeout),
      ),
  };
}
