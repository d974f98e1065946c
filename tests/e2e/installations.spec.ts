import { expect, test, type Browser, type Page } from '@playwright/test';

/**
 * A new connection from request to commissioning, each step by the role that takes it: the
 * planner registers the request, the technician surveys, the planner asks for approval and the
 * supervisor gives it, the planner schedules, the technician installs and commissions — and the
 * commissioning opens the customer's account with its meter. Runs on the fresh demo store.
 */

async function signedIn(browser: Browser, username: string, at: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`/#${at}`);
  await page.getByLabel('Username').fill(username);
  await page.getByRole('textbox', { name: 'Password' }).fill('demo1234');
  await page.keyboard.press('Enter');
  return page;
}

async function pick(page: Page, label: string, option: string | RegExp): Promise<void> {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option }).first().click();
}

test('a new connection goes from request to commissioning across roles', async ({ browser }) => {
  const customer = `E2E Customer ${Date.now().toString(36)}`;

  // The planner registers the request.
  const planner = await signedIn(browser, 'planner', '/energy/installations/new');
  const form = planner.getByRole('form', { name: 'New service request' });
  await expect(form).toBeVisible();
  await form.getByLabel('Customer name').fill(customer);
  await form.getByLabel('Service address').fill('77 Playwright Avenue');
  await pick(planner, 'Route the new meter will be read on', /^R01/);
  await form.getByLabel('Customer name').press('Enter');
  await expect(planner.getByRole('heading', { name: new RegExp(`SO-\\d{6} · ${customer}`) })).toBeVisible();
  const orderUrl = planner.url();
  const orderNo = (await planner.getByRole('heading', { level: 2 }).first().textContent())!.split(' · ')[0]!;

  // The technician surveys it; a required checklist item left unticked is refused, beside the item.
  const technician = await signedIn(browser, 'technician', orderUrl.split('#')[1]!);
  await technician.getByRole('button', { name: 'Record survey' }).click();
  const survey = technician.getByRole('dialog');
  await survey.getByLabel('What the survey found').fill('Pole 14B within 25 m, single phase available');
  await survey.getByLabel('Material 1', { exact: true }).fill('Service cable 16 mm²');
  await survey.getByLabel('Quantity of material 1').fill('25');
  await survey.getByLabel(/Site visited/).check();
  await survey.getByRole('button', { name: 'Record survey' }).click();
  await expect(survey.getByText(/Customer load assessed against the network is required/)).toBeVisible();
  await survey.getByLabel(/Customer load assessed/).check();
  await survey.getByRole('button', { name: 'Record survey' }).click();
  await expect(survey).toBeHidden();
  await expect(technician.getByText('Surveyed', { exact: true }).first()).toBeVisible();

  // The planner asks for approval; the supervisor decides it in the approvals inbox.
  await planner.reload();
  await planner.getByRole('button', { name: 'Request approval' }).click();
  const approve = planner.getByRole('dialog');
  await approve.getByLabel(/Materials available or on order/).check();
  await approve.getByRole('button', { name: 'Send for approval' }).click();
  await expect(planner.getByText('Waiting for approval')).toBeVisible();

  const supervisor = await signedIn(browser, 'supervisor', '/approvals?box=waiting');
  await supervisor.getByText(`Approve service order ${orderNo}`).first().click();
  await supervisor.getByLabel('Reason for your decision').fill('Capacity confirmed with network planning');
  await supervisor.getByRole('button', { name: 'Approve and run' }).click();
  await expect(supervisor.getByText('Approved').first()).toBeVisible();

  // The planner schedules the crew.
  await planner.reload();
  await expect(planner.getByText('Approved', { exact: true }).first()).toBeVisible();
  await planner.getByRole('button', { name: 'Schedule' }).click();
  const schedule = planner.getByRole('dialog');
  await schedule.getByRole('textbox', { name: 'Crew', exact: true }).fill('Crew B (Musa, Elsa)');
  await schedule.getByLabel(/Customer told the date and crew/).check();
  await schedule.getByRole('button', { name: 'Schedule' }).click();
  await expect(schedule).toBeHidden();

  // The technician installs the meter and commissions the supply.
  const serial = `E2E-${Date.now().toString(36).toUpperCase()}`;
  await technician.reload();
  await technician.getByRole('button', { name: 'Record installation' }).click();
  const install = technician.getByRole('dialog');
  await install.getByLabel('Meter serial').fill(serial);
  await install.getByLabel(/Meter sealed/).check();
  await install.getByLabel(/Earth and insulation tested/).check();
  await install.getByRole('button', { name: 'Record installation' }).click();
  await expect(install).toBeHidden();

  await technician.getByRole('button', { name: 'Commission' }).click();
  const commission = technician.getByRole('dialog');
  await commission.getByLabel('Initial read of the new meter').fill('7');
  await commission.getByLabel(/Supply switched on/).check();
  await commission.getByLabel(/Customer shown the meter/).check();
  await commission.getByRole('button', { name: 'Commission' }).click();
  await expect(commission).toBeHidden();

  // Commissioned within its deadline, on a new account with the meter that billing reads from 7.
  await expect(technician.getByText('Commissioned', { exact: true }).first()).toBeVisible();
  await expect(technician.getByLabel(/^Deadline Met/)).toBeVisible();
  await expect(technician.getByText(/account ACC-\d+/)).toBeVisible();
  await expect(technician.getByText(`${serial} (5 dials, ×1)`)).toBeVisible();
  await technician.getByRole('tab', { name: 'Timeline' }).click();
  await expect(technician.getByText('moved to commissioned')).toBeVisible();
  await expect(technician.getByRole('table', { name: 'Time per stage' })).toContainText('Installed');

  await planner.context().close();
  await technician.context().close();
  await supervisor.context().close();
});
