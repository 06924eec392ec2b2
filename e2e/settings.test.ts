/**
 * The admin's Settings page in the browser: the toolbar's Settings leads there; a directory that
 * cannot be a lake shows the server's message beside the field; an S3 bucket typed with stray
 * spaces is saved trimmed (checked against the real bucket); a volume added in the table becomes
 * one assets can be copied to. Real: the server with its fs lake, the Swift s3api endpoint, the
 * built web app, Debian Chromium.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestS3Bucket, testS3Bucket } from '../server/test/support/services.js';
import { launchBrowser, newPage, screenshot, signIn } from './support/browser.js';
import { ADMIN_PASSWORD, type RunningServer, startServer } from './support/server.js';
import { browseUrl, dialog, expectRows, row } from './support/ui.js';

let browser: Browser;
let server: RunningServer;
let context: BrowserContext;
let page: Page;
/** The bucket the second test makes the lake. */
let bucket: TestS3Bucket;
const scratch = mkdtempSync(join(tmpdir(), 'dailies-e2e-settings-'));

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startServer();
  ({ context, page } = await newPage(browser, server.url));
  await signIn(context, 'admin', ADMIN_PASSWORD);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const save = async (p: Page) => {
  await p.getByRole('button', { name: 'Save' }).click();
};

describe('settings', () => {
  it('opens from the toolbar and shows the server’s message beside a wrong directory', async () => {
    await page.goto('/');
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/settings');
    const directory = page.getByLabel('Directory', { exact: true });
    expect(await directory.inputValue()).toBe(server.lakeDir);

    const file = join(scratch, 'not-a-directory');
    writeFileSync(file, 'x');
    await directory.fill(file);
    await save(page);
    const message = `${file} is a file, not a directory.`;
    await page.getByRole('alert').filter({ hasText: message }).first().waitFor();
    expect(await directory.getAttribute('aria-invalid')).toBe('true');
    // The message is the field's description, so a screen reader reads it with the field.
    const describedBy = (await directory.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${describedBy}"]`).innerText()).toBe(message);
    await screenshot(page, 'settings-wrong-directory');
    // Nothing changed on the server.
    expect((await server.api('GET', '/api/settings')).body.lake).toEqual({
      kind: 'fs',
      path: server.lakeDir,
    });
    await page.getByRole('button', { name: 'Discard changes' }).click();
  });

  it('saves an S3 bucket typed with stray spaces, trimmed', async () => {
    bucket = await testS3Bucket();
    await page.getByLabel('S3 bucket').check();
    await page.getByLabel('Bucket', { exact: true }).fill(`  ${bucket.bucket}   `);
    await page.getByLabel(/^Endpoint/).fill(bucket.endpoint);
    await page.getByLabel('Region').fill(bucket.region);
    await page.getByLabel(/Path-style/).check();
    await page.getByLabel(/^Access key id/).fill(bucket.accessKeyId);
    await page.getByLabel('Secret access key').fill(bucket.secretAccessKey);
    await save(page);
    await page.getByText('Settings saved').waitFor();
    await expect.poll(() => page.getByLabel('Bucket', { exact: true }).inputValue()).toBe(bucket.bucket);
    expect(await page.getByText('A secret is set; leave this empty to keep it.').count()).toBe(1);
    expect(await page.getByLabel('Secret access key').inputValue()).toBe('');
    await screenshot(page, 'settings-s3-saved');
    const shown = (await server.api('GET', '/api/settings')).body;
    expect(shown.lake).toMatchObject({ kind: 's3', bucket: bucket.bucket, secretSet: true });
    expect(server.dailies.lake.describe()).toContain(bucket.bucket);
  });

  it('adds a volume with its groups, which assets of the new lake can then be copied to', async () => {
    const mount = mkdtempSync(join(scratch, 'edit-'));
    await page.getByRole('button', { name: 'Add volume' }).click();
    const form = dialog(page, 'Add volume');
    await form.getByLabel('Id').fill('edit');
    await form.getByLabel('Name').fill(' Edit bay ');
    await form.getByLabel('Mounted at on the server').fill(mount);
    await form.getByLabel('Path editors see').fill('\\\\fsx\\share');
    await form.getByLabel('editors', { exact: true }).check();
    await form.getByRole('button', { name: 'Add' }).click();
    await page
      .getByRole('table', { name: 'Edit volumes' })
      .getByRole('cell', { name: 'edit', exact: true })
      .waitFor();
    await save(page);
    await page.getByText('Settings saved').first().waitFor();
    // Trimmed by the server, shown as saved.
    await page.getByRole('cell', { name: 'Edit bay', exact: true }).waitFor();
    await screenshot(page, 'settings-volume-added');
    // The assets' "Copy to volume" offers the volumes of GET /api/volumes.
    expect((await server.api('GET', '/api/volumes')).body.items).toEqual([
      { id: 'edit', name: 'Edit bay', displayPath: '\\\\fsx\\share', groups: ['editors'] },
    ]);
    // An asset of the new lake can be copied to it from the browser.
    const s3 = new S3Client({
      endpoint: bucket.endpoint,
      region: bucket.region,
      forcePathStyle: true,
      credentials: { accessKeyId: bucket.accessKeyId, secretAccessKey: bucket.secretAccessKey },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    await s3.send(new PutObjectCommand({ Bucket: bucket.bucket, Key: 'Day 11/A001.mov', Body: 'clip' }));
    s3.destroy();
    await server.dailies.indexing.reconcile();
    await page.goto(browseUrl('/Day 11'));
    await expectRows(page, ['A001.mov']);
    await row(page, 'A001.mov').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Copy to Edit Volume…' }).click();
    const copy = dialog(page, 'Copy 1 asset to an edit volume');
    await copy.getByRole('radio', { name: /Edit bay/ }).waitFor();
    await screenshot(page, 'settings-volume-offered');
  });
});
