import { expect, test, type Page } from '@playwright/test';

/**
 * A billing clerk walks a whole run, not just its first page: the demo branch has posted runs of
 * hundreds of bills, and every bill list pages by "Load more" (the rows looked at stay put) with a
 * "Showing n of N" count of the whole filtered set.
 */

async function signIn(page: Page, username: string, at: string): Promise<void> {
  await page.goto(`/#${at}`);
  await page.getByLabel('Username').fill(username);
  await page.getByRole('textbox', { name: 'Password' }).fill('demo1234');
  await page.keyboard.press('Enter');
}

const shown = async (page: Page): Promise<{ showing: number; of: number }> => {
  const text = await page.getByText(/^Showing [\d,]+ of [\d,]+ bills/).innerText();
  const [, showing, of] = /^Showing ([\d,]+) of ([\d,]+)/.exec(text)!;
  return { showing: Number(showing!.replace(/,/g, '')), of: Number(of!.replace(/,/g, '')) };
};

test('a billing clerk pages through every bill of the branch and of a run', async ({ page }) => {
  await signIn(page, 'billing', '/energy/billing/bills');
  const bills = page.getByRole('table', { name: 'Bills' });
  await expect(bills.locator('tbody tr')).toHaveCount(100);
  const before = await shown(page);
  expect(before).toEqual({ showing: 100, of: expect.any(Number) });
  expect(before.of).toBeGreaterThan(200);

  await page.getByRole('button', { name: 'Load more' }).click();
  await expect(bills.locator('tbody tr')).toHaveCount(200);
  expect(await shown(page)).toEqual({ showing: 200, of: before.of });

  // The newest bill's account, found by search, even though it is not on the first pages any more.
  const lastRow = bills.locator('tbody tr').last();
  const accountNo = await lastRow.locator('td').nth(2).innerText();
  await page.getByLabel('Search').fill(accountNo);
  await expect(bills.locator('tbody tr').first()).toContainText(accountNo);

  // A run's bills, in account order, page the same way until the last one.
  await page.goto('/#/energy/billing');
  const runs = page.getByRole('table', { name: 'Billing runs' });
  await runs.locator('tbody tr').filter({ hasText: 'Posted' }).first().click();
  const ofRun = page.getByRole('table', { name: 'Bills of the run' });
  await expect(ofRun.locator('tbody tr').first()).toBeVisible();
  const run = await shown(page);
  expect(run.showing).toBe(Math.min(100, run.of));
  for (let pages = 1; pages * 100 < run.of; pages += 1) {
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect(ofRun.locator('tbody tr')).toHaveCount(Math.min((pages + 1) * 100, run.of));
  }
  expect(await shown(page)).toEqual({ showing: run.of, of: run.of });
  await expect(page.getByRole('button', { name: 'Load more' })).toHaveCount(0);
  const accounts = await ofRun.locator('tbody tr td:first-child').allInnerTexts();
  expect(accounts).toEqual([...accounts].sort());
});
