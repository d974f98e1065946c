import { expect, test, type APIRequestContext, type Page } from '@playwright/test';

/**
 * Package and subscription billing on the demo store: a cashier sells a package at the counter
 * (keyboard: search, Enter, package, F2, Enter, receipt), a technician's visit completes and
 * redeems a session of it (the visit is driven through the API, as the technician's phone would),
 * and a subscription the demo left suspended for an unpaid invoice is restored by a payment at
 * the counter, which takes it off the supervisor's dunning queue; the cashier's X report names both.
 */

async function signIn(page: Page, username: string, at: string): Promise<void> {
  await page.goto(`/#${at}`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill('demo1234');
  await page.keyboard.press('Enter');
}

/** Calls a procedure over HTTP as `username`, the way a browser-mode client does. */
async function rpc<T>(request: APIRequestContext, token: string, procedure: string, input: unknown, idempotencyKey?: string): Promise<T> {
  const response = await request.post(`/rpc/${procedure}`, {
    data: input,
    headers: { authorization: `Bearer ${token}`, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
  });
  const body = (await response.json()) as { ok: boolean; result?: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${procedure}: ${body.error?.message}`);
  return body.result as T;
}

async function tokenOf(request: APIRequestContext, username: string): Promise<string> {
  const response = await request.post('/rpc/auth.login', { data: { username, password: 'demo1234' } });
  const body = (await response.json()) as { result: { token: string } };
  return body.result.token;
}

test('a package sold at the counter, a session redeemed by a visit, a suspended subscription restored by a payment', async ({ browser, request }) => {
  const cashierContext = await browser.newContext();
  const cashier = await cashierContext.newPage();
  await cashier.addInitScript(() => {
    (window as unknown as { __prints: number }).__prints = 0;
    window.print = () => {
      (window as unknown as { __prints: number }).__prints += 1;
    };
  });
  const prints = () => cashier.evaluate(() => (window as unknown as { __prints: number }).__prints);

  // The cashier's shift: open one if the counter asks for it.
  await signIn(cashier, 'cashier', '/energy/counter');
  const float = cashier.getByLabel('Opening float');
  const search = cashier.getByLabel('Find account');
  await expect(float.or(search)).toBeVisible();
  if (await float.isVisible()) {
    await cashier.keyboard.type('200');
    await cashier.keyboard.press('Enter');
    await expect(search).toBeFocused();
  }

  // 1. Sell a package: search, Enter, pick the package, F2 for card, Enter.
  await cashier.goto('/#/home-services/packages/counter');
  const findCustomer = cashier.getByLabel('Find customer');
  await expect(findCustomer).toBeFocused();
  await cashier.keyboard.type('Karen Smith');
  await cashier.keyboard.press('Enter');
  const card = cashier.getByLabel('Customer card');
  await expect(card).toContainText('Karen Smith');
  await expect(card).toContainText('Home & garden pool (10)');
  await expect(cashier.getByRole('listbox', { name: 'Packages on sale' })).toBeFocused();
  await cashier.getByRole('option', { name: /CLEAN-5/ }).click();
  await cashier.keyboard.press('F2');
  await expect(cashier.getByRole('radio', { name: 'F2 Card' })).toHaveAttribute('aria-checked', 'true');
  await cashier.keyboard.press('Enter');
  const receipt = cashier.getByLabel('Receipt');
  await expect(receipt).toContainText(/Package sale R-\d{8}/);
  await expect(receipt).toContainText('Home clean ×5');
  await expect(receipt).toContainText('Paid (Card)');
  await expect.poll(prints).toBe(1);
  const holdingNo = (await receipt.textContent())!.match(/PK-\d{6}/)![0];

  // 2. A visit of Karen's completes (the technician's phone checks in and out): it redeems a session.
  const supervisorToken = await tokenOf(request, 'supervisor');
  const dispatcherToken = await tokenOf(request, 'dispatcher');
  const [karen] = await rpc<{ customerId: string }[]>(request, supervisorToken, 'homeServices.packages.customers.find', { query: 'Karen Smith' });
  const services = await rpc<{ id: string; sku: string }[]>(request, supervisorToken, 'homeServices.services.list', {});
  const clean = services.find((s) => s.sku === 'CLEAN-2H')!;
  const free = await rpc<{ slots: { startsAt: string; technicianIds: string[] }[] }>(request, dispatcherToken, 'homeServices.scheduling.availability', {
    customerId: karen!.customerId,
    serviceId: clean.id,
    limit: 1,
  });
  const slot = free.slots[0]!;
  const booked = await rpc<{ appointment: { id: string; number: string; jobId: string } }>(
    request,
    dispatcherToken,
    'homeServices.scheduling.book',
    { customerId: karen!.customerId, serviceId: clean.id, startsAt: slot.startsAt, technicianId: slot.technicianIds[0] },
    `e2e-book-${Date.now()}`,
  );
  const job = await rpc<{ id: string; version: number }>(request, dispatcherToken, 'homeServices.dispatch.get', { id: booked.appointment.jobId });
  const home = await rpc<{ lat: number; lng: number }>(request, supervisorToken, 'homeServices.customers.get', { id: karen!.customerId });
  const at = { lat: home.lat, lng: home.lng, accuracyM: 6 };
  const visit = await rpc<{ id: string; version: number }>(request, supervisorToken, 'homeServices.visits.checkIn', { jobId: job.id, version: job.version, location: at });
  await rpc(request, supervisorToken, 'homeServices.visits.checkOut', { visitId: visit.id, version: visit.version, location: at, note: 'Kitchen and bathrooms' });

  // The cashier sees it on the customer's packages: one session redeemed with its visit.
  await cashier.keyboard.press('Escape');
  await cashier.goto(`/#/home-services/packages/customers/${karen!.customerId}`);
  // The visit happened on another device: load the customer afresh.
  await cashier.reload();
  const redemptions = cashier.getByRole('table', { name: 'Redemptions' });
  await expect(redemptions).toContainText(booked.appointment.number);
  await expect(redemptions).toContainText(holdingNo);
  await expect(redemptions).toContainText('Visit completed');
  await expect(cashier.getByRole('table', { name: 'Packages of the customer' })).toContainText('4 × Home clean (2 hours)');

  // 3. The supervisor's dunning queue: Lindiwe Dube's subscription is suspended for an unpaid invoice.
  const supervisorContext = await browser.newContext();
  const supervisor = await supervisorContext.newPage();
  await signIn(supervisor, 'supervisor', '/home-services/subscriptions/dunning');
  const queue = supervisor.getByRole('table', { name: 'Dunning queue' });
  await expect(queue).toContainText('Lindiwe Dube');
  await expect(queue.getByRole('row', { name: /Lindiwe Dube/ })).toContainText('Service suspended');

  // The cashier takes the payment at the counter: search, Enter, the overdue amount is proposed, F2, Enter.
  await cashier.goto('/#/home-services/subscriptions/pay');
  await expect(cashier.getByLabel('Find customer')).toBeFocused();
  await cashier.keyboard.type('Lindiwe');
  await cashier.keyboard.press('Enter');
  await expect(cashier.getByLabel('Account card')).toContainText('Suspended');
  await expect(cashier.getByLabel('Amount')).toHaveValue('699.00');
  await cashier.keyboard.press('F2');
  await cashier.getByLabel('Amount').press('Enter');
  await expect(receipt).toContainText(/Subscription payment R-\d{8}/);
  await expect(receipt).toContainText(/SUB-\d{6} restored: service back on/);
  // Counted since the reload above.
  await expect.poll(prints).toBe(1);

  // Off the ladder: the queue no longer lists her, and the subscription is active again.
  await supervisor.reload();
  await expect(supervisor.getByRole('table', { name: 'Dunning queue' })).not.toContainText('Lindiwe Dube');
  await supervisor.goto('/#/home-services/subscriptions?search=Lindiwe');
  await supervisor.getByRole('table', { name: 'Subscriptions' }).getByText('Lindiwe Dube').click();
  await expect(supervisor.getByText('Active', { exact: true }).first()).toBeVisible();
  await supervisor.getByRole('tab', { name: /^Dunning \(\d+\)$/ }).click();
  await expect(supervisor.getByRole('table', { name: 'Dunning steps' })).toContainText('Restored by payment');

  // 4. The cashier's X report counts both sales by their names.
  await cashier.goto('/#/energy/counter');
  const shiftSoFar = cashier.getByText('This shift so far (X)').locator('..');
  await expect(shiftSoFar).toContainText(/Package sales \(\d+\)/);
  await expect(shiftSoFar).toContainText(/Subscription payments \(\d+\)/);

  await cashierContext.close();
  await supervisorContext.close();
});
