import { expect, test, type Page } from '@playwright/test';

/**
 * The reference flow of the foundation: a reader walks a route and one reading is an exception;
 * a billing clerk asks for the override (review needs edit rights, which readers do not hold, so
 * nobody clears their own exception); a supervisor approves it; the journal still verifies.
 */

async function signIn(page: Page, username: string, at: string): Promise<void> {
  await page.goto(`/#${at}`);
  await page.getByLabel('Username').fill(username);
  await page.getByRole('textbox', { name: 'Password' }).fill('demo1234');
  await page.keyboard.press('Enter');
}

interface SheetRow {
  meterId: string;
  serial: string;
  current: unknown;
  expected: { lowRead: number; highRead: number } | null;
}

async function rpc<T>(page: Page, name: string, input: unknown): Promise<T> {
  const token = await page.evaluate(() => sessionStorage.getItem('plug1.session'));
  const res = await page.request.post(`/rpc/${name}`, { data: input, headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { ok: boolean; result: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${name}: ${body.error?.message}`);
  return body.result;
}

test('route walk with one exception, override approved by a supervisor, journal verified', async ({ browser }) => {
  const reader = await (await browser.newContext()).newPage();
  await signIn(reader, 'reader', '/energy/meter-readings/entry');
  const value = reader.getByLabel('Reading', { exact: true });
  await expect(value).toBeFocused();

  // What the screen walks: the chosen route's sheet for the chosen date, unread meters in order.
  const routeName = await reader.getByRole('combobox', { name: 'Route' }).inputValue();
  const readDate = await reader.getByLabel('Read date', { exact: true }).first().inputValue();
  const routes = await rpc<{ id: string; code: string; name: string }[]>(reader, 'energy.routes.list', {});
  const route = routes.find((r) => routeName.includes(r.code) || routeName.includes(r.name))!;
  const isoDate = /^\d{4}-\d{2}-\d{2}$/.test(readDate) ? readDate : await reader.evaluate(() => new Date().toISOString().slice(0, 10));
  const sheet = await rpc<{ rows: SheetRow[] }>(reader, 'energy.meterReadings.routeSheet', { routeId: route.id, readDate: isoDate });
  const unread = sheet.rows.filter((r) => r.current === null && r.expected !== null).slice(0, 3);
  expect(unread).toHaveLength(3);

  const [first, odd, third] = unread as [SheetRow, SheetRow, SheetRow];
  const inRange = (r: SheetRow) => String(Math.round((r.expected!.lowRead + r.expected!.highRead) / 2));
  for (const [row, typed] of [
    [first, inRange(first)],
    [odd, String(odd.expected!.highRead + 5 * (odd.expected!.highRead - odd.expected!.lowRead) + 100)],
    [third, inRange(third)],
  ] as const) {
    await expect(reader.getByLabel(`Meter ${row.serial}`)).toBeVisible();
    await value.fill(typed);
    if (row === odd) await expect(reader.getByText(/above the expected range|HIGH/i).first()).toBeVisible();
    await reader.keyboard.press('Enter');
  }
  const saved = await rpc<{ rows: { meterSerial: string; status: string; id: string }[] }>(reader, 'energy.meterReadings.list', { routeId: route.id, from: isoDate, to: isoDate, limit: 50 });
  const exception = saved.rows.find((r) => r.meterSerial === odd.serial)!;
  expect(exception.status).toBe('exception');
  expect(saved.rows.filter((r) => r.meterSerial !== odd.serial && r.status === 'posted').length).toBeGreaterThanOrEqual(2);

  // The billing clerk asks for the override from the review queue.
  const clerk = await (await browser.newContext()).newPage();
  await signIn(clerk, 'billing', '/energy/meter-readings/review');
  await clerk.getByLabel(`Accept reading of meter ${odd.serial}`).click();
  await clerk.getByLabel('Reason').fill('Customer confirmed a new heat pump since last month');
  await clerk.getByRole('button', { name: 'Accept reading', exact: true }).click();
  await expect(clerk.getByText('Sent for approval — a supervisor must approve')).toBeVisible();

  // The supervisor approves it from the approvals inbox; approving runs it.
  const supervisor = await (await browser.newContext()).newPage();
  await signIn(supervisor, 'supervisor', '/approvals');
  await supervisor.getByText(odd.serial).first().click();
  await supervisor.getByLabel('Reason for your decision').fill('Checked the consumption history with the clerk');
  await supervisor.getByRole('button', { name: 'Approve and run' }).click();
  await expect.poll(async () => (await rpc<{ reading: { status: string; resolution: string } }>(supervisor, 'energy.meterReadings.get', { id: exception.id })).reading.resolution).toBe('accepted');

  // The audit viewer shows the chain verified.
  await supervisor.goto('/#/audit');
  await expect(supervisor.getByText(/Chain verified: [\d,]+ events/)).toBeVisible();
});
