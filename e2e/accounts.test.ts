/**
 * Account security in the browser: enrolling an authenticator app (QR code, recovery codes),
 * signing in with a code, API tokens made with the password again and revoked, and an admin
 * requiring two-factor sign-in of admins (another admin enrols at sign-in). Codes are computed
 * here with otpauth from the key the page shows. Real: the server (argon2, sessions, CSRF), the
 * built web app, Debian Chromium.
 */
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../server/src/features/access/actor.js';
import { launchBrowser, newPage, screenshot } from './support/browser.js';
import { ADMIN_PASSWORD, type RunningServer, startServer } from './support/server.js';
import { dialog } from './support/ui.js';

let browser: Browser;
let server: RunningServer;
/** The admin's recovery codes, from enrolment in the first test. */
let recoveryCodes: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startServer();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function codeAt(secret: string, at: number): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: at });
}

async function fillSignIn(p: Page, username: string, password: string) {
  await p.getByLabel('Username').fill(username);
  await p.getByLabel('Password', { exact: true }).fill(password);
  await p.getByRole('button', { name: 'Sign in' }).click();
}

/** Opens the key typed by hand under the QR code and reads it. */
async function shownSecret(p: Page): Promise<string> {
  await p.getByText('Cannot scan? Type this key instead').click();
  return (await p.getByTestId('totp-secret').innerText()).replace(/\s/g, '');
}

describe('two-factor sign-in and API tokens', () => {
  it('enrols an app with its QR code, makes and revokes a token, then signs in with a code', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await page.goto('/');
      await fillSignIn(page, 'admin', ADMIN_PASSWORD);
      await page.getByRole('navigation', { name: 'Breadcrumbs' }).waitFor();

      await page.getByRole('button', { name: /Administrator/ }).click();
      await page.getByRole('menuitem', { name: 'Security and API tokens…' }).click();
      const security = dialog(page, 'Security and API tokens');
      await security.getByText('A code from an authenticator app').waitFor();
      await security.getByRole('button', { name: 'Set up two-factor sign-in…' }).click();
      await security.getByLabel('Your password').fill(ADMIN_PASSWORD);
      await security.getByRole('button', { name: 'Continue' }).click();
      const qr = security.getByRole('img', { name: 'QR code for your authenticator app' });
      await qr.waitFor();
      expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      await screenshot(page, 'two-factor-enrol');
      const secret = await shownSecret(page);
      await security.getByLabel('Code from the app').fill('000000');
      await security.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
      await expect.poll(() => security.getByRole('alert').innerText()).toMatch(/code is wrong/);
      await security.getByLabel('Code from the app').fill(codeAt(secret, Date.now()));
      await security.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
      const list = security.getByRole('list', { name: 'Recovery codes' });
      await list.waitFor();
      recoveryCodes = await list.getByRole('listitem').allInnerTexts();
      expect(recoveryCodes).toHaveLength(10);
      for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
      await screenshot(page, 'two-factor-recovery-codes');
      await security.getByRole('button', { name: 'I have saved them' }).click();
      await security.getByText('10 recovery codes left').waitFor();

      // A token: the password again and, with two-factor on, a code (a recovery code does too).
      await security.getByRole('button', { name: 'New token…' }).click();
      await security.getByLabel('Token name').fill('ingest script');
      await security.getByLabel('Expires after').selectOption('30');
      await security.getByLabel('Your password').fill(ADMIN_PASSWORD);
      await security.getByLabel('Code from the app, or a recovery code').fill(recoveryCodes[0]);
      await screenshot(page, 'token-create');
      await security.getByRole('button', { name: 'Create token' }).click();
      const token = await security.getByTestId('new-token').innerText();
      expect(token).toMatch(/^dly_/);
      await screenshot(page, 'token-created');
      const bearer = { authorization: `Bearer ${token}` };
      expect((await fetch(`${server.url}/api/me`, { headers: bearer })).status).toBe(200);
      await security.getByRole('button', { name: 'Done' }).click();
      const tokens = security.getByRole('table', { name: 'API tokens' });
      const tokenRow = tokens.getByRole('row', { name: /ingest script/ });
      await tokenRow.getByText('active').waitFor();
      await security.getByText('9 recovery codes left').waitFor();
      await screenshot(page, 'security-dialog');
      await tokens.getByRole('button', { name: 'Revoke ingest script' }).click();
      await dialog(page, 'Revoke token').getByRole('button', { name: 'Revoke', exact: true }).click();
      await tokenRow.getByText('revoked').waitFor();
      expect((await fetch(`${server.url}/api/me`, { headers: bearer })).status).toBe(401);
      await security.getByRole('button', { name: 'Close' }).click();

      await page.getByRole('button', { name: /Administrator/ }).click();
      await page.getByRole('menuitem', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await fillSignIn(page, 'admin', ADMIN_PASSWORD);
      await page.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
      expect((await context.cookies()).some((c) => c.name === 'dailies_session')).toBe(false);
      await screenshot(page, 'sign-in-code');
      // Enrolment took this moment's code and a code is never taken twice: the next step's code
      // (accepted one step early, for clock drift) stands for the phone 30 seconds later.
      await page.getByLabel('Code from your authenticator app').fill(codeAt(secret, Date.now() + 30_000));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('navigation', { name: 'Breadcrumbs' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('required of admins: another admin enrols at sign-in, then replaces the password an admin set', async () => {
    expect(recoveryCodes.length).toBeGreaterThan(1);
    await server.dailies.users.create(SYSTEM_ACTOR, {
      username: 'bea',
      displayName: 'Bea',
      password: 'bea-first-password',
      groups: ['admin'],
    });
    const admin = await newPage(browser, server.url);
    try {
      const p = admin.page;
      await p.goto('/admin/users');
      await fillSignIn(p, 'admin', ADMIN_PASSWORD);
      await p.getByRole('button', { name: 'Use a recovery code' }).click();
      await p.getByLabel('Recovery code').fill(recoveryCodes[1]);
      await p.getByRole('button', { name: 'Verify' }).click();
      await p.getByRole('table', { name: 'Users' }).waitFor();
      await p.getByLabel('Two-factor sign-in', { exact: true }).selectOption('admins');
      await p.getByText('Saved: who must use two-factor sign-in').waitFor();
      await screenshot(p, 'users-two-factor-policy');
    } finally {
      await admin.context.close();
    }

    const { context, page } = await newPage(browser, server.url);
    try {
      await page.goto('/');
      await fillSignIn(page, 'bea', 'bea-first-password');
      await page.getByRole('heading', { name: 'Set up two-factor sign-in' }).waitFor();
      await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
      await screenshot(page, 'sign-in-enrol');
      const secret = await shownSecret(page);
      await page.getByLabel('Code from the app').fill(codeAt(secret, Date.now()));
      await page.getByRole('button', { name: 'Turn on and continue' }).click();
      await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
      expect(await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').count()).toBe(10);
      await screenshot(page, 'sign-in-enrol-recovery-codes');
      await page.getByRole('button', { name: 'I have saved them; continue' }).click();
      await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      // The password of the sign-in just made is not asked for again.
      expect(await page.getByLabel('Current password').count()).toBe(0);
      await page.getByLabel('New password', { exact: true }).fill('beas own password');
      await page.getByLabel('Repeat the new password').fill('beas own password');
      await page.getByRole('button', { name: 'Save and continue' }).click();
      await page.getByRole('navigation', { name: 'Breadcrumbs' }).waitFor();
      await page.goto('/admin/users');
      const bea = page.getByRole('table', { name: 'Users' }).getByRole('row', { name: /bea/ });
      await bea.getByText('on', { exact: true }).waitFor();
      await screenshot(page, 'users-two-factor');
    } finally {
      await context.close();
    }
  });
});
