/**
 * Signing in and the admin area in the browser: the first admin's forced password change,
 * self sign-up into editors, users and groups made by an admin, folder permissions that hide
 * a folder from another group, the audit log. Real: the server (argon2 passwords, sessions,
 * CSRF), the built web app, Debian Chromium.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, screenshot, signIn } from './support/browser.js';
import { ADMIN_PASSWORD, type RunningServer, startServer } from './support/server.js';
import { browseUrl, dialog, eventually, expectRows, row } from './support/ui.js';

let browser: Browser;
let server: RunningServer;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startServer();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

beforeEach(async () => {
  ({ context, page } = await newPage(browser, server.url));
});

afterEach(async () => {
  await context.close();
});

async function fillSignIn(p: Page, username: string, password: string) {
  await p.getByLabel('Username').fill(username);
  await p.getByLabel('Password', { exact: true }).fill(password);
  await p.getByRole('button', { name: 'Sign in' }).click();
}

describe('signing in', () => {
  it('makes the first admin replace the generated password, then signs out', async () => {
    const fresh = await startServer({}, { generatedAdminPassword: true });
    const own = await newPage(browser, fresh.url);
    try {
      const p = own.page;
      await p.goto('/');
      await p.getByRole('heading', { name: 'Sign in' }).waitFor();
      await screenshot(p, 'sign-in');

      await fillSignIn(p, 'admin', 'not the password');
      await expect.poll(() => p.getByRole('alert').innerText()).toMatch(/password/i);

      await fillSignIn(p, 'admin', fresh.adminPassword);
      await p.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      await screenshot(p, 'change-password');
      // The password of the sign-in just made is not asked for again.
      expect(await p.getByLabel('Current password').count()).toBe(0);
      await p.getByLabel('New password', { exact: true }).fill('a brand new secret');
      await p.getByLabel('Repeat the new password').fill('a brand new secret');
      await p.getByRole('button', { name: 'Save and continue' }).click();

      await p.getByRole('navigation', { name: 'Breadcrumbs' }).waitFor();
      expect(
        await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).count(),
      ).toBe(1);

      await p.getByRole('button', { name: /Administrator/ }).click();
      await p.getByRole('menuitem', { name: 'Sign out' }).click();
      await p.getByRole('heading', { name: 'Sign in' }).waitFor();
      await fillSignIn(p, 'admin', 'a brand new secret');
      await p.getByRole('navigation', { name: 'Breadcrumbs' }).waitFor();
    } finally {
      await own.context.close();
      await fresh.close();
    }
  });

  it('a sign-up waits until an admin approves it in Users, then joins editors without the admin area', async () => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByText('An admin must approve your account').waitFor();
    await page.getByLabel('Username').fill('newbie');
    await page.getByLabel('Password', { exact: true }).fill('newbie-password');
    await page.getByLabel('Repeat the password').fill('newbie-password');
    await page.getByRole('button', { name: 'Ask for an account' }).click();
    await page.getByRole('heading', { name: 'Waiting for approval' }).waitFor();
    expect(await page.getByRole('status').innerText()).toMatch(/An admin must approve it/);
    await screenshot(page, 'sign-up-waiting');

    await page.getByRole('button', { name: 'Back to sign-in' }).click();
    await fillSignIn(page, 'newbie', 'newbie-password');
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/admin must approve your account/);
    await screenshot(page, 'sign-in-awaiting-approval');

    const adminSide = await newPage(browser, server.url);
    try {
      await signIn(adminSide.context, 'admin', ADMIN_PASSWORD);
      await adminSide.page.goto('/admin/users');
      const waiting = adminSide.page.getByRole('region', { name: /Waiting for approval/ });
      await waiting.getByText('newbie').waitFor();
      await adminSide.page
        .getByRole('table', { name: 'Users' })
        .getByRole('row', { name: /newbie/ })
        .getByText('awaiting approval')
        .waitFor();
      await screenshot(adminSide.page, 'users-waiting-for-approval');
      await waiting.getByRole('button', { name: 'Approve newbie' }).click();
      await expect.poll(() => waiting.count()).toBe(0);
    } finally {
      await adminSide.context.close();
    }

    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Breadcrumbs' }).waitFor();
    expect(
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).count(),
    ).toBe(0);
    expect(await page.getByRole('button', { name: 'Settings' }).count()).toBe(0);
    const users = await server.api('GET', '/api/users');
    expect(users.body.items.find((u: { username: string }) => u.username === 'newbie').groups).toEqual([
      'editors',
    ]);
  });
});

describe('the admin area', () => {
  it('creates a group and a user; the folder an admin keeps to another group stays hidden from them', async () => {
    await server.seed({
      'Shared/clip.mov': Buffer.from('shared'),
      'Private/secret.mov': Buffer.from('secret'),
    });
    await signIn(context, 'admin', ADMIN_PASSWORD);

    await page.goto('/admin/groups');
    await page.getByRole('button', { name: 'New group' }).click();
    const newGroup = dialog(page, 'New group');
    await newGroup.getByLabel('Name').fill('project-x');
    await newGroup.getByLabel('Description').fill('Feature film X');
    await newGroup.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('table', { name: 'Groups' }).getByText('project-x').waitFor();

    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('button', { name: 'New user' }).click();
    const newUser = dialog(page, 'New user');
    await newUser.getByLabel('Username').fill('ed');
    await newUser.getByLabel('Display name').fill('Ed Itor');
    await newUser.getByRole('checkbox', { name: 'editors' }).uncheck();
    await newUser.getByRole('checkbox', { name: 'project-x' }).check();
    await newUser.getByRole('button', { name: 'Create user' }).click();
    const password = await dialog(page, 'User created').getByTestId('generated-password').innerText();
    expect(password.length).toBeGreaterThanOrEqual(8);
    await dialog(page, 'User created').getByRole('button', { name: 'Close' }).click();
    await page.getByRole('table', { name: 'Users' }).getByText('must change password').waitFor();
    await screenshot(page, 'admin-users');

    // Private: admin only. Shared: admin and project-x.
    await page.goto(browseUrl('/'));
    await row(page, 'Private').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Permissions…' }).click();
    const perms = dialog(page, 'Permissions for Private');
    await perms.getByRole('checkbox', { name: 'editors' }).uncheck();
    await perms.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(0);
    await row(page, 'Shared').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Permissions…' }).click();
    await dialog(page, 'Permissions for Shared').getByRole('checkbox', { name: 'project-x' }).check();
    await dialog(page, 'Permissions for Shared').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(0);

    const ed = await newPage(browser, server.url);
    try {
      await ed.page.goto('/');
      await fillSignIn(ed.page, 'ed', password);
      // The password of the sign-in just made is not asked for again.
      expect(await ed.page.getByLabel('Current password').count()).toBe(0);
      await ed.page.getByLabel('New password', { exact: true }).fill('ed-own-password');
      await ed.page.getByLabel('Repeat the new password').fill('ed-own-password');
      await ed.page.getByRole('button', { name: 'Save and continue' }).click();
      await ed.page.getByRole('navigation', { name: 'Breadcrumbs' }).waitFor();
      await eventually(
        async () => ed.page.locator('tbody tr[data-row-id] .name-cell__text').allInnerTexts(),
        (names) => names.includes('Shared') && !names.includes('Private'),
        { message: 'Shared shown and Private hidden for ed' },
      );
      await ed.page.goto(browseUrl('/Private'));
      await ed.page.getByText('This folder cannot be shown').waitFor();
    } finally {
      await ed.context.close();
    }

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Audit log' }).click();
    const audit = page.getByRole('table', { name: 'Audit entries' });
    await eventually(
      () => audit.locator('tbody tr').allInnerTexts(),
      (rows) =>
        rows.some((r) => r.includes('folder.permissions')) && rows.some((r) => r.includes('user.create')),
      { message: 'permission and user entries in the audit log' },
    );
    await screenshot(page, 'admin-audit');
    await expectRows(page, [], 'no browse rows on the admin page');
  });
});
