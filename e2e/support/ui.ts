import type { Locator, Page } from 'playwright-core';
import { until } from '../../server/test/support/poll.js';

/** Polls until `read` returns what `check` accepts, or fails with the last value seen. */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  { timeout = 20_000, message = 'condition' }: { timeout?: number; message?: string } = {},
): Promise<T> {
  let last: T | undefined;
  await until(
    async () => {
      last = await read();
      return check(last);
    },
    { timeout, interval: 100, what: message },
  );
  return last as T;
}

/** The names in the main table, top to bottom (only rendered rows: the table is virtual). */
export async function rowNames(page: Page): Promise<string[]> {
  return page.locator('tbody tr[data-row-id] .name-cell__text').allInnerTexts();
}

export async function expectRows(page: Page, names: string[], message = 'rows'): Promise<void> {
  await eventually(
    () => rowNames(page),
    (seen) => JSON.stringify(seen) === JSON.stringify(names),
    { message: `${message} to be ${JSON.stringify(names)}` },
  );
}

export function row(page: Page, name: string): Locator {
  return page.locator('tbody tr[data-row-id]').filter({
    has: page.locator('.name-cell__text', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }),
  });
}

export function dialog(page: Page, title?: string): Locator {
  const all = page.locator('dialog[open]');
  return title ? all.filter({ has: page.getByRole('heading', { name: title }) }) : all;
}

export function statusBar(page: Page): Locator {
  return page.locator('.statusbar');
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function browseUrl(folder: string, query = ''): string {
  const path = folder.split('/').filter(Boolean).map(encodeURIComponent).join('/');
  return `/browse/${path}${query ? `?${query}` : ''}`;
}
