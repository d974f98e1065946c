import { expect, test, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';

/**
 * From the module dashboard to the records: a supervisor opens a KPI card's report, drills from
 * all readings into readers, from a reader into their walks (the reader's shift), down to the
 * readings of one walk, and exports the walk report to Excel, which is read back here.
 */

async function signIn(page: Page, username: string, at: string): Promise<void> {
  await page.goto(`/#${at}`);
  await page.getByLabel('Username').fill(username);
  await page.getByRole('textbox', { name: 'Password' }).fill('demo1234');
  await page.keyboard.press('Enter');
}

const report = (page: Page) => page.getByRole('table', { name: 'Report' });
const cell = (page: Page, row: number, column: number) => report(page).getByRole('row').nth(row).getByRole('cell').nth(column);

test('KPI card → report → by reader → by walk → readings, then the Excel export read back', async ({ page }) => {
  await signIn(page, 'supervisor', '/energy');

  // The dashboard: KPI cards on top, the queue, alerts and the timeline below.
  const card = page.getByRole('link', { name: /^Readings logged: .*Open its report$/ });
  await expect(card).toBeVisible();
  await expect(page.getByText('Pending actions')).toBeVisible();
  await expect(page.getByText('Exception alerts')).toBeVisible();
  await expect(page.getByText('Recent transactions')).toBeVisible();
  await card.click();

  // The card opened its report for the dashboard's period, by day.
  await expect(page.getByRole('heading', { name: 'Meter readings' })).toBeVisible();
  await expect(page).toHaveURL(/#\/reports\/energy\.meterReadings\.readings\?from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d&measure=readings/);
  // A quarter of demo data, so every run (even on the 1st of a month) has readings to drill into.
  const monthFrom = await page.getByLabel('From').inputValue();
  await page.getByRole('button', { name: 'Date range presets' }).click();
  await page.getByRole('menuitem', { name: 'Last 90 days' }).click();
  await expect(page.getByLabel('From')).not.toHaveValue(monthFrom);
  // The table dims while the new range loads; read figures once it is back.
  await expect(report(page)).toHaveAttribute('style', /opacity: 1/);
  await expect(report(page).getByRole('row', { name: /^Total/ })).toBeVisible();
  const total = Number((await report(page).getByRole('row', { name: /^Total/ }).getByRole('cell').nth(1).innerText()).replace(/\D/g, ''));
  expect(total).toBeGreaterThan(0);

  // Drill: the whole report by reader.
  await report(page).getByRole('row', { name: /^Total/ }).click();
  await expect(page.getByRole('dialog', { name: 'Drill into the whole report' })).toBeVisible();
  await page.getByRole('button', { name: 'Reader', exact: true }).click();
  await expect(page).toHaveURL(/groupBy=user/);
  await expect(report(page).getByRole('columnheader', { name: 'Reader' })).toBeVisible();
  const reader = report(page).getByRole('row', { name: /^Ray Reader/ });
  await expect(reader).toBeVisible();
  const readerCount = Number((await reader.getByRole('cell').nth(1).innerText()).replace(/\D/g, ''));
  expect(readerCount).toBeGreaterThan(0);

  // Drill: that reader by walk (route · day · reader): the reader's shift.
  await reader.click();
  await expect(page.getByRole('dialog', { name: 'Drill into “Ray Reader”' })).toBeVisible();
  await page.getByRole('button', { name: 'Walk (route · day · reader)' }).click();
  await expect(page).toHaveURL(/groupBy=shift/);
  await expect(page).toHaveURL(/f\.user=/);
  await expect(report(page).getByRole('columnheader', { name: 'Walk (route · day · reader)' })).toBeVisible();
  const walkTotal = Number((await report(page).getByRole('row', { name: /^Total/ }).getByRole('cell').nth(1).innerText()).replace(/\D/g, ''));
  // The walks of the reader add up to the reader's row.
  expect(walkTotal).toBe(readerCount);
  const firstWalk = await cell(page, 1, 0).innerText();
  expect(firstWalk).toMatch(/ · \d{4}-\d\d-\d\d · Ray Reader$/);
  const walkReadings = Number((await cell(page, 1, 1).innerText()).replace(/\D/g, ''));

  // Down to the readings of that walk.
  await report(page).getByRole('row').nth(1).click();
  await page.getByRole('button', { name: /^Show the .* readings$/ }).click();
  await expect(page).toHaveURL(/\/records\?/);
  const records = page.getByRole('table', { name: 'readings' });
  await expect(records.getByRole('row')).toHaveCount(Math.min(walkReadings, 50) + 1);
  await expect(page.getByText(`of ${walkReadings.toLocaleString('en-US')}`)).toBeVisible();
  await page.getByRole('button', { name: 'Back to the report' }).click();
  await expect(page).toHaveURL(/groupBy=shift/);

  // Export the walk report to Excel; the file downloads when the job is done.
  await page.getByRole('button', { name: 'Export to Excel' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export meter readings' });
  await expect(dialog).toContainText('Reader: Ray Reader');
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Start export' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^meter-readings-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d\.xlsx$/);
  await expect(dialog.getByRole('button', { name: 'Download' })).toBeVisible();

  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await download.path());
  expect(workbook.worksheets.map((w) => w.name)).toEqual(['Summary', 'Readings']);
  const summary = workbook.getWorksheet('Summary')!;
  expect(String(summary.getCell('A1').value)).toMatch(/^Meter readings \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d — Riverside Branch/);
  expect(String(summary.getCell('A2').value)).toContain('Reader Ray Reader');
  expect(String(summary.getCell('A3').value)).toMatch(/^Printed by Sam Supervisor on /);
  expect(summary.getRow(4).getCell(1).value).toBe('Walk (route · day · reader)');
  expect(summary.getRow(4).getCell(1).font?.bold).toBe(true);
  expect(summary.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
  expect(summary.getRow(5).getCell(1).value).toBe(firstWalk);
  expect(summary.getRow(5).getCell(2).value).toBe(walkReadings);
  const totals = summary.getRow(summary.rowCount);
  expect(totals.getCell(1).value).toBe('Total');
  expect(totals.getCell(2).value).toBe(readerCount);
  const readings = workbook.getWorksheet('Readings')!;
  expect(readings.rowCount - 4).toBe(readerCount);
  expect(readings.getRow(5).getCell(1).value).toBeInstanceOf(Date);
  expect(readings.getRow(5).getCell(7).value).toBe('Ray Reader');
});

test('Collections card → by cashier → by shift → transactions, then the Excel export read back', async ({ page }) => {
  await signIn(page, 'supervisor', '/energy');
  const card = page.getByRole('link', { name: /^Collected at the counter: .*Open its report$/ });
  await expect(card).toBeVisible();
  await card.click();
  await expect(page.getByRole('heading', { name: 'Collections' })).toBeVisible();
  await expect(page).toHaveURL(/#\/reports\/energy\.counter\.collections\?/);
  // A quarter of demo data: the demo's cashier worked several shifts in it.
  const from = await page.getByLabel('From').inputValue();
  await page.getByRole('button', { name: 'Date range presets' }).click();
  await page.getByRole('menuitem', { name: 'Last 90 days' }).click();
  await expect(page.getByLabel('From')).not.toHaveValue(from);
  await expect(report(page)).toHaveAttribute('style', /opacity: 1/);
  const totalRow = report(page).getByRole('row', { name: /^Total/ });
  const count = async (row: ReturnType<typeof report>) => Number((await row.getByRole('cell').nth(1).innerText()).replace(/\D/g, ''));
  const total = await count(totalRow);
  expect(total).toBeGreaterThan(0);

  // By cashier: the cashiers add up to the whole.
  await totalRow.click();
  await page.getByRole('button', { name: 'Cashier', exact: true }).click();
  await expect(page).toHaveURL(/groupBy=user/);
  await expect(report(page).getByRole('columnheader', { name: 'Cashier' })).toBeVisible();
  expect(await count(report(page).getByRole('row', { name: /^Total/ }))).toBe(total);
  const cashier = report(page).getByRole('row', { name: /^Cara Cashier/ });
  const cashierCount = await count(cashier);
  expect(cashierCount).toBeGreaterThan(0);

  // That cashier by shift: each shift names its number, cashier and the day it opened.
  await cashier.click();
  await expect(page.getByRole('dialog', { name: 'Drill into “Cara Cashier”' })).toBeVisible();
  await page.getByRole('button', { name: 'Shift', exact: true }).click();
  await expect(page).toHaveURL(/groupBy=shift/);
  await expect(page).toHaveURL(/f\.user=/);
  await expect(report(page).getByRole('columnheader', { name: 'Shift' })).toBeVisible();
  expect(await count(report(page).getByRole('row', { name: /^Total/ }))).toBe(cashierCount);
  const shiftLabel = await cell(page, 1, 0).innerText();
  expect(shiftLabel).toMatch(/^Shift #\d+ · Cara Cashier · \d{4}-\d\d-\d\d$/);
  const shiftCount = Number((await cell(page, 1, 1).innerText()).replace(/\D/g, ''));

  // Down to the transactions of that shift.
  await report(page).getByRole('row').nth(1).click();
  await page.getByRole('button', { name: /^Show the .* transactions?$/ }).click();
  await expect(page).toHaveURL(/\/records\?.*f\.shift=/);
  await expect(page.getByRole('table', { name: 'transactions' }).getByRole('row')).toHaveCount(Math.min(shiftCount, 50) + 1);
  await page.getByRole('button', { name: 'Back to the report' }).click();
  await expect(page).toHaveURL(/groupBy=shift/);

  // The cashier's shift report to Excel, read back: summary by shift, every transaction behind it.
  await page.getByRole('button', { name: 'Export to Excel' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export collections' });
  await expect(dialog).toContainText('Cashier: Cara Cashier');
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Start export' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^collections-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d\.xlsx$/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await download.path());
  expect(workbook.worksheets.map((w) => w.name)).toEqual(['Summary', 'Transactions']);
  const summary = workbook.getWorksheet('Summary')!;
  expect(String(summary.getCell('A2').value)).toContain('Cashier Cara Cashier');
  expect(summary.getRow(4).getCell(1).value).toBe('Shift');
  expect(summary.getRow(5).getCell(1).value).toBe(shiftLabel);
  expect(summary.getRow(5).getCell(2).value).toBe(shiftCount);
  expect(summary.getRow(summary.rowCount).getCell(2).value).toBe(cashierCount);
  const transactions = workbook.getWorksheet('Transactions')!;
  expect(transactions.rowCount - 4).toBe(cashierCount);
  expect(transactions.getRow(5).getCell(1).value).toBeInstanceOf(Date);
});

/**
 * Ctrl+K, type the action's name, Enter — as a person does it: they type once the search box has
 * the focus, and press Enter once the action they want is the highlighted one. (Keys typed while
 * the palette was still opening went to the page, leaving a query that picked another action.)
 */
async function runFromPalette(page: Page, label: string): Promise<void> {
  await page.keyboard.press('Control+k');
  await expect(page.getByPlaceholder('Go to a screen or run an action…')).toBeFocused();
  await page.keyboard.type(label);
  await expect(page.locator('[data-action][data-selected]')).toContainText(label);
  await page.keyboard.press('Enter');
}

test('the dashboard’s quick actions from the command palette: review exceptions, export an operational report', async ({ page }) => {
  await signIn(page, 'supervisor', '/energy');
  await expect(page.getByText('Pending actions')).toBeVisible();
  await runFromPalette(page, 'Exceptions to review · Energy');
  // Opened again at once, while the palette is still closing, it starts empty, not with the last search.
  await page.keyboard.press('Control+k');
  await expect(page.getByPlaceholder('Go to a screen or run an action…')).toHaveValue('');
  await page.keyboard.press('Escape');
  await expect(page.getByPlaceholder('Go to a screen or run an action…')).toBeHidden();
  await expect(page).toHaveURL(/#\/energy\?queue=exceptions/);
  await expect(page.getByRole('tab', { name: /^Review \(\d+\)$/ })).toHaveAttribute('aria-selected', 'true');

  // Ctrl+K works from inside a field too (here the period switch's radio input has the focus).
  await page.getByRole('radio', { name: 'Today' }).focus();
  await runFromPalette(page, 'Export an operational report · Energy');
  await expect(page).toHaveURL(/#\/energy\?export=1/);
  const choose = page.getByRole('dialog', { name: 'Export an operational report' });
  await expect(choose).toBeVisible();
  await choose.getByRole('button', { name: /^Collections/ }).click();
  await expect(page.getByRole('dialog', { name: 'Export collections' })).toBeVisible();
});
