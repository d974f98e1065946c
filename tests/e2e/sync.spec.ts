import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHq, type RunningHq } from '../../src-hq';
import { registerBranch } from '../../src-hq/branches';
import { publishMasterData } from '../../src-hq/master-data';

/**
 * An administrator connects the demo branch to a real HQ server, syncs from the Sync screen and
 * sees the journal anchored at HQ; then HQ takes over a threshold, and after the next sync the
 * branch shows it as owned by HQ and refuses to change it.
 */

async function signIn(page: Page, username: string, at: string): Promise<void> {
  await page.goto(`/#${at}`);
  await page.getByLabel('Username').fill(username);
  await page.getByRole('textbox', { name: 'Password' }).fill('demo1234');
  await page.keyboard.press('Enter');
}

let hq: RunningHq;
test.beforeAll(async () => {
  hq = await startHq({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'plug1-e2e-hq-')), port: 0, log: { info: () => {}, error: () => {} } });
});
test.afterAll(async () => {
  await hq?.close();
});

test('connect to HQ, sync now, see the HQ anchor; a threshold taken over by HQ becomes read-only', async ({ page, request }) => {
  const status = (await (await request.post('/rpc/system.status', { data: {} })).json()) as { result: { branchId: string; branchName: string; timeZone: string } };
  const { token } = await registerBranch(hq.hq, { id: status.result.branchId, name: status.result.branchName, timeZone: status.result.timeZone });

  await signIn(page, 'admin', '/admin/sync');
  await expect(page.getByRole('heading', { name: 'Sync to HQ' })).toBeVisible();
  await expect(page.getByText('Not connected to HQ').first()).toBeVisible();
  await expect(page.getByText(status.result.branchId)).toBeVisible();

  const connection = page.getByRole('form', { name: 'Connection to HQ' });
  await connection.getByLabel('HQ address').fill(hq.url);
  await connection.getByLabel('Branch token').fill(token);
  await connection.getByLabel('Sync with HQ').check();
  await connection.getByRole('button', { name: 'Save connection' }).click();
  await expect(page.getByText(/^Saved: the branch syncs with HQ now/)).toBeVisible();
  // The app's scheduler syncs as soon as the connection is saved, without anyone clicking.
  await expect(page.getByText('Up to date', { exact: true })).toBeVisible({ timeout: 60_000 });

  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByText(/^Up to date: HQ holds the journal up to event \d+/).first()).toBeVisible({ timeout: 60_000 });
  const held = await hq.hq.db.selectFrom('branches').select('head_seq').where('id', '=', status.result.branchId).executeTakeFirstOrThrow();
  expect(held.head_seq).toBeGreaterThan(0);
  await expect(page.getByText(`Event ${held.head_seq.toLocaleString()}`)).toBeVisible();
  await expect(page.getByText('No open exceptions')).toBeVisible();

  await publishMasterData(hq.hq, { changes: [{ entity: 'setting', entityId: 'sync.clockDriftWarningSeconds', data: { value: 600 } }] }, 'e2e');
  // From the keyboard: the finished job's notification may sit over the button.
  await page.getByRole('button', { name: 'Sync now' }).press('Enter');
  await expect(page.getByText('Read-only here, owned by HQ:')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('1 setting')).toBeVisible();

  // The settings screen shows HQ's value marked as HQ's, and offers no way to save another one.
  await page.goto('/#/admin/settings');
  const row = page.getByRole('row', { name: /sync\.clockDriftWarningSeconds/ });
  await expect(row).toContainText('600');
  await expect(row).toContainText('From HQ');
  await row.click();
  await expect(page.getByText(/owned by HQ/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save' })).toBeDisabled();
});
