import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHq, type RunningHq } from '../../src-hq';
import { registerBranch } from '../../src-hq/branches';
import { publishMasterData } from '../../src-hq/master-data';

/**
 * Master data HQ owns, as the screens show it. Once HQ owns the tariffs, the tariff form is no
 * dead end: opened by its address (a bookmark, an old link) it says the tariffs are HQ's and leads
 * back to the list, instead of a form whose save the server refuses; and the command palette
 * offers the list, not a way to create one. A KPI target HQ sets is marked "Set by HQ" where
 * targets are set, with no way to change or clear it.
 *
 * HQ owning tariffs lasts for the rest of the run: specs after this one must not create tariffs.
 */

async function tokenOf(request: APIRequestContext, username: string): Promise<string> {
  const response = await request.post('/rpc/auth.login', { data: { username, password: 'demo1234' } });
  return ((await response.json()) as { result: { token: string } }).result.token;
}

async function rpc<T>(request: APIRequestContext, token: string, procedure: string, input: unknown): Promise<T> {
  const response = await request.post(`/rpc/${procedure}`, { data: input, headers: { authorization: `Bearer ${token}` } });
  const body = (await response.json()) as { ok: boolean; result: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${procedure}: ${body.error?.message}`);
  return body.result;
}

async function signIn(page: Page, username: string, at: string): Promise<void> {
  await page.goto(`/#${at}`);
  await page.getByLabel('Username').fill(username);
  await page.getByRole('textbox', { name: 'Password' }).fill('demo1234');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('textbox', { name: 'Password' })).toBeHidden();
}

let hq: RunningHq;
test.beforeAll(async () => {
  hq = await startHq({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'plug1-e2e-hq-tariffs-')), port: 0, log: { info: () => {}, error: () => {} } });
});
test.afterAll(async () => {
  await hq?.close();
});

test('with tariffs owned by HQ, the tariff form explains and leads back instead of offering a form the server refuses', async ({ page, request }) => {
  const admin = await tokenOf(request, 'admin');
  const system = await rpc<{ branchId: string; branchName: string; timeZone: string }>(request, admin, 'system.status', {});
  const { token } = await registerBranch(hq.hq, { id: system.branchId, name: system.branchName, timeZone: system.timeZone });
  const before = await rpc<{ masterCursor: number; configVersion: number }>(request, admin, 'sync.status', {});

  // This HQ numbers its changes from 1; a branch that synced with another HQ earlier in the run
  // has its cursor further on, so HQ's first changes repeat a threshold that branch has already.
  const filler = { entity: 'setting', entityId: 'sync.clockDriftWarningSeconds', data: { value: 600 } };
  await publishMasterData(
    hq.hq,
    {
      changes: [
        ...Array.from({ length: before.masterCursor }, () => filler),
        {
          entity: 'tariff',
          entityId: 'HQ-E2E',
          data: {
            kind: 'postpaid',
            category: 'e2e-hq',
            name: 'HQ e2e tariff',
            effectiveFrom: '2025-01-01',
            fixedCharge: 4000,
            pricingMode: 'graduated',
            tiers: [{ upTo: null, rate: 300 }],
          },
        },
      ],
    },
    'e2e',
  );
  await rpc(request, admin, 'sync.configure', { hqUrl: hq.url, token, enabled: true, version: before.configVersion });
  await rpc(request, admin, 'sync.now', {});
  await expect
    .poll(async () => (await rpc<{ entityId: string }[]>(request, admin, 'sync.ownership', { entity: 'tariff' })).map((o) => o.entityId), { timeout: 60_000 })
    .toContain('*');

  // The form by its address: no form, a reason and the way back.
  await signIn(page, 'billing', '/energy/billing/tariffs/new');
  await expect(page.getByRole('heading', { name: 'New tariff' })).toBeVisible();
  await expect(page.getByText('Tariffs are owned by HQ')).toBeVisible();
  await expect(page.getByText(/New tariffs cannot be created at this branch/)).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Code' })).toHaveCount(0);
  const back = page.getByRole('link', { name: 'Back to tariffs' });
  await expect(back).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/energy\/billing\/tariffs$/);
  await expect(page.getByRole('heading', { name: 'Tariffs' })).toBeVisible();
  await expect(page.getByText('HQ e2e tariff')).toBeVisible();
  await expect(page.getByRole('link', { name: 'New tariff' })).toHaveCount(0);

  // A revision by its address says the same about that tariff.
  await page.goto('/#/energy/billing/tariffs/new?revise=HQ-E2E');
  await expect(page.getByText(/Tariff HQ-E2E cannot be revised at this branch/)).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Name' })).toHaveCount(0);

  // Ctrl+K: asking for tariffs offers the list, nothing that opens the form.
  await page.keyboard.press('Control+K');
  const search = page.getByPlaceholder('Go to a screen or run an action…');
  await expect(search).toBeFocused();
  await search.fill('tariff');
  const offered = page.locator('.mantine-Spotlight-action');
  await expect(offered.first()).toBeVisible();
  const labels = await offered.allInnerTexts();
  expect(labels.some((l) => /New tariff|Create tariff/i.test(l))).toBe(false);
  expect(labels.some((l) => l.startsWith('Tariffs'))).toBe(true);
});

test('a KPI target HQ sets is shown as set by HQ and offers no change or clear', async ({ page, request }) => {
  const admin = await tokenOf(request, 'admin');
  const kpi = 'energy.meterReadings.readings';
  await publishMasterData(
    hq.hq,
    { changes: [{ entity: 'kpiTarget', entityId: `${kpi}:month:standing`, data: { kpi, period: 'month', periodStart: null, value: 4321, note: 'Network plan' } }] },
    'e2e',
  );
  await rpc(request, admin, 'sync.now', {});
  await expect.poll(async () => (await rpc<unknown[]>(request, admin, 'sync.ownership', { entity: 'kpiTarget' })).length, { timeout: 60_000 }).toBe(1);

  await signIn(page, 'supervisor', `/analytics?module=energy&kpi=${kpi}&tab=targets`);
  const row = page.getByRole('table', { name: 'Targets' }).getByRole('row', { name: /Every month/ });
  await expect(row).toContainText('4,321');
  await expect(row).toContainText('Set by HQ');
  await expect(row.getByRole('button', { name: /Clear target/ })).toHaveCount(0);
  // The form on that target (a month, every period) explains instead of saving.
  await expect(page.getByText('This target is set by HQ: change it at HQ')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Change target' })).toBeDisabled();
  // One month would override HQ's target for that month: refused the same way.
  await page.getByText('One period', { exact: true }).click();
  await expect(page.getByText(/HQ sets the target for every month; a target for one month here would override it/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Set target' })).toBeDisabled();
  // Another period is still the branch's to set.
  await page.getByText('Every period', { exact: true }).click();
  await page.getByRole('combobox', { name: 'Period' }).click();
  await page.getByRole('option', { name: 'Week' }).click();
  await expect(page.getByText(/change it at HQ|would override it/)).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Set target|Change target/ })).toBeEnabled();

  // Leave the branch not syncing with an HQ that is about to stop.
  const after = await rpc<{ configVersion: number }>(request, admin, 'sync.status', {});
  await rpc(request, admin, 'sync.configure', { hqUrl: hq.url, enabled: false, version: after.configVersion });
});
