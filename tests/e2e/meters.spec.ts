import { expect, test } from '@playwright/test';

/**
 * A supervisor finds an account by its meter serial from the keyboard and replaces a stopped
 * meter: the removal read closes the old one, the new serial hangs on the account, and both reads
 * show in the account's history.
 */
test('find an account by meter serial and exchange its meter', async ({ page }) => {
  await page.goto('/#/energy/meter-readings/meters');
  await page.getByLabel('Username').fill('supervisor');
  await page.getByRole('textbox', { name: 'Password' }).fill('demo1234');
  await page.keyboard.press('Enter');

  await page.getByLabel('Find an account').fill('MTR-200498');
  const accounts = page.getByRole('table', { name: 'Accounts' });
  await expect(accounts.locator('tbody tr')).toHaveCount(1);
  await accounts.locator('tbody tr').first().click();
  const drawer = page.getByRole('dialog');
  await expect(drawer.getByText('MTR-200498')).toBeVisible();
  const lastRead = Number((await drawer.getByRole('table', { name: 'Latest readings' }).locator('tbody tr').first().locator('td').nth(1).innerText()).replace(/\D/g, ''));

  await drawer.getByRole('button', { name: 'Exchange meter' }).click();
  const form = page.getByRole('dialog', { name: 'Exchange meter' });
  // Submitting empty names every missing field instead of failing silently.
  await form.getByRole('button', { name: 'Exchange meter' }).click();
  await expect(form.getByText('Give a reason of at least 3 characters')).toBeVisible();

  await form.getByLabel('Removal read of MTR-200498').fill(String(lastRead + 12));
  await form.getByLabel('New meter serial').fill('MTR-900498');
  await form.getByLabel('Install read of the new meter').fill('0');
  await form.getByLabel('Reason').fill('Register stuck');
  await form.getByRole('button', { name: 'Exchange meter' }).click();
  await expect(page.getByText('Meter MTR-200498 removed and MTR-900498 installed')).toBeVisible();

  await page.keyboard.press('Escape');
  await page.getByLabel('Find an account').fill('MTR-900498');
  await expect(accounts.locator('tbody tr')).toHaveCount(1);
  await expect(accounts).toContainText('MTR-900498');
  await accounts.locator('tbody tr').first().click();
  // The new meter starts from its install read.
  await expect(page.getByRole('dialog').getByText('MTR-900498')).toBeVisible();
  await expect(page.getByRole('dialog').getByRole('table', { name: 'Latest readings' }).locator('tbody tr').first().locator('td').nth(1)).toHaveText('0');
});

/**
 * An administrator corrects a customer's phone number and moves the account further along its
 * route from the account's drawer, then renames the route: the drawer, the list and the route
 * filter show the new details without a reload.
 */
test("edit an account's details and rename its route", async ({ page }) => {
  await page.goto('/#/energy/meter-readings/meters');
  await page.getByLabel('Username').fill('admin');
  await page.getByRole('textbox', { name: 'Password' }).fill('demo1234');
  await page.keyboard.press('Enter');

  await page.getByLabel('Find an account').fill('MTR-200120');
  const accounts = page.getByRole('table', { name: 'Accounts' });
  await expect(accounts.locator('tbody tr')).toHaveCount(1);
  await accounts.locator('tbody tr').first().click();
  const drawer = page.getByRole('dialog').first();
  await drawer.getByRole('button', { name: 'Edit details' }).click();
  const form = page.getByRole('dialog', { name: /^Edit account/ });
  // A cleared address is named, not silently saved.
  await form.getByLabel('Address').fill('');
  await form.getByRole('button', { name: 'Save account' }).click();
  await expect(form.getByText('Use at least 3 characters')).toBeVisible();
  await form.getByLabel('Address').fill('12 Acacia Avenue');
  await form.getByLabel('Phone').fill('082 555 0120');
  await form.getByLabel('Stop on the route').fill('1205');
  await form.getByRole('button', { name: 'Save account' }).click();
  await expect(page.getByText(/Account .* saved\./)).toBeVisible();
  await expect(form).toBeHidden();
  await expect(drawer.getByText('12 Acacia Avenue')).toBeVisible();
  await expect(drawer.getByText('082 555 0120')).toBeVisible();
  await page.keyboard.press('Escape');

  // The phone number now finds the account.
  await page.getByLabel('Find an account').fill('082 555 0120');
  await expect(accounts.locator('tbody tr')).toHaveCount(1);
  await expect(accounts).toContainText('12 Acacia Avenue');
  const routeCode = (await accounts.locator('tbody tr').first().locator('td').nth(2).innerText()).split(' · ')[0]!;

  await page.getByLabel('Find an account').fill('');
  await page.getByRole('combobox', { name: 'Route' }).click();
  await page.getByRole('option', { name: new RegExp(`^${routeCode} · `) }).click();
  await page.getByRole('button', { name: 'Rename route' }).click();
  const rename = page.getByRole('dialog', { name: `Rename route ${routeCode}` });
  await rename.getByLabel('Name').fill('Acacia and Hill');
  await rename.getByRole('button', { name: 'Rename route' }).click();
  await expect(page.getByText(`Route ${routeCode} is now Acacia and Hill.`)).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Route' })).toHaveValue(new RegExp(`^${routeCode} · Acacia and Hill`));
});
