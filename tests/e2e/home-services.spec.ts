import { expect, test, type APIRequestContext, type Browser, type BrowserContextOptions, type Page } from '@playwright/test';

/**
 * The field flow end to end, each step by the role that takes it: a clerk books a repair for a
 * customer at the first free slot; the dispatcher picks the job from the board's unassigned tray
 * and assigns the suggested technician; the visit is checked in with the device's GPS and checked
 * out with the customer's signature drawn on the pad; the module dashboard counts it as verified.
 * Runs on the fresh demo store.
 */

async function signedIn(browser: Browser, username: string, at: string, options: BrowserContextOptions = {}): Promise<Page> {
  const page = await (await browser.newContext(options)).newPage();
  await page.goto(`/#${at}`);
  await page.getByLabel('Username').fill(username);
  await page.getByRole('textbox', { name: 'Password' }).fill('demo1234');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('textbox', { name: 'Password' })).toBeHidden();
  return page;
}

async function tokenOf(request: APIRequestContext, username: string): Promise<string> {
  const response = await request.post('/rpc/auth.login', { data: { username, password: 'demo1234' } });
  return ((await response.json()) as { result: { token: string } }).result.token;
}

async function rpc<T>(request: APIRequestContext, token: string, procedure: string, input: unknown, idempotencyKey?: string): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  const response = await request.post(`/rpc/${procedure}`, { data: input, headers });
  const body = (await response.json()) as { ok: boolean; result: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${procedure}: ${body.error?.message}`);
  return body.result;
}

async function verifiedToday(page: Page): Promise<number> {
  await page.goto('/#/home-services?period=day');
  // A fresh load: the dashboard would otherwise show what it fetched a minute ago.
  await page.reload();
  const card = page.getByRole('link', { name: /^Visits verified: / });
  await expect(card).toBeVisible();
  const label = (await card.getAttribute('aria-label')) ?? '';
  return Number(/^Visits verified: ([\d,]+)/.exec(label)?.[1]?.replace(/,/g, '') ?? 'NaN');
}

interface Customer {
  id: string;
  customerNo: string;
  name: string;
  lat: number | null;
  lng: number | null;
  zoneCode: string | null;
}

test('a repair booked, assigned by suggestion, visited with GPS and signature, and counted as verified', async ({ browser, request }) => {
  const admin = await tokenOf(request, 'admin');
  // The first free slot may be days ahead (a weekend, late evening): allow checking in for it now.
  const setting = (await rpc<{ key: string; version: number; value: number }[]>(request, admin, 'admin.settings.list', {})).find(
    (s) => s.key === 'homeServices.visits.earlyCheckInHours',
  )!;
  await rpc(request, admin, 'admin.settings.update', { key: setting.key, version: setting.version, value: 24 * 14 });

  try {
    // A customer with a map pin in the north, where the demo's plumbers work.
    const clerkToken = await tokenOf(request, 'dispatcher');
    const customers = await rpc<{ rows: Customer[] }>(request, clerkToken, 'homeServices.customers.list', { limit: 200 });
    const customer = customers.rows.find((c) => c.lat !== null && c.zoneCode === 'NTH')!;
    expect(customer).toBeTruthy();

    const supervisor = await signedIn(browser, 'supervisor', '/home-services?period=day');
    const verifiedBefore = await verifiedToday(supervisor);

    // The clerk books a leak repair: the first free slot is chosen as soon as it is found; Enter books it.
    const clerk = await signedIn(browser, 'dispatcher', '/home-services/scheduling/book');
    await clerk.getByRole('combobox', { name: 'Customer' }).fill(customer.customerNo);
    await clerk.getByRole('option', { name: new RegExp(customer.customerNo) }).click();
    await clerk.getByRole('combobox', { name: 'Service' }).click();
    await clerk.getByRole('option', { name: /PLB-LEAK/ }).click();
    await expect(clerk.getByLabel('First free slot')).toBeVisible();
    await expect(clerk.getByRole('radiogroup', { name: 'Free slots' }).getByRole('radio', { checked: true })).toHaveCount(1);
    await clerk.getByLabel('Earliest date').press('Enter');
    const heading = clerk.getByRole('heading', { name: new RegExp(`^BK-\\d{6} · ${customer.name}`) });
    await expect(heading).toBeVisible();
    const number = (await heading.textContent())!.split(' · ')[0]!;
    const booked = (await rpc<{ rows: { id: string; localDate: string; jobId: string }[] }>(request, clerkToken, 'homeServices.scheduling.list', { search: number, limit: 5 })).rows[0]!;

    // The dispatcher finds it in the board's tray and assigns the suggested technician.
    const dispatcher = await signedIn(browser, 'dispatcher', `/home-services/dispatch?date=${booked.localDate}`);
    await dispatcher.getByRole('option', { name: new RegExp(`^${number} `) }).click();
    const suggestions = dispatcher.getByLabel(`Suggestions for ${number}`);
    await expect(suggestions.getByText('Suggested')).toBeVisible();
    const assign = suggestions.getByRole('button', { name: /^Assign to / }).first();
    const technicianName = ((await assign.getAttribute('aria-label')) ?? '').replace('Assign to ', '');
    await assign.click();
    await expect(dispatcher.getByText(`${number} assigned to ${technicianName}`)).toBeVisible();
    await expect(dispatcher.getByRole('button', { name: new RegExp(`^${number} on ${technicianName} at`) })).toBeVisible();
    const job = await rpc<{ technicianId: string; state: string }>(request, clerkToken, 'homeServices.dispatch.get', { id: booked.jobId });
    expect(job.state).toBe('assigned');

    // The visit, recorded for the technician from the device on site: GPS at the door, then the customer signs.
    const onSite = await signedIn(browser, 'supervisor', `/home-services/visits/my-day?date=${booked.localDate}&technician=${job.technicianId}`, {
      geolocation: { latitude: customer.lat!, longitude: customer.lng!, accuracy: 8 },
      permissions: ['geolocation'],
    });
    const stop = onSite.locator('[aria-label^="Stop "]', { hasText: number });
    await stop.getByRole('button', { name: 'Check in' }).click();
    const checkIn = onSite.getByRole('dialog');
    await checkIn.getByRole('button', { name: 'Use my location' }).click();
    await expect(checkIn.getByLabel('Latitude')).not.toHaveValue('');
    await checkIn.getByRole('button', { name: 'Check in' }).click();
    await expect(checkIn).toBeHidden();

    await stop.getByRole('button', { name: 'Check out' }).click();
    const checkOut = onSite.getByRole('dialog');
    await checkOut.getByRole('button', { name: 'Use my location' }).click();
    await checkOut.getByLabel('What was done').fill('Replaced the tap washer; no more drips');
    const pad = checkOut.getByRole('img', { name: 'Customer signature' });
    const box = (await pad.boundingBox())!;
    await onSite.mouse.move(box.x + 20, box.y + box.height / 2);
    await onSite.mouse.down();
    for (let i = 1; i <= 12; i += 1) await onSite.mouse.move(box.x + 20 + i * 25, box.y + box.height / 2 + (i % 2 ? -25 : 25));
    await onSite.mouse.up();
    await checkOut.getByRole('button', { name: 'Check out' }).click();
    await expect(checkOut).toBeHidden();

    // The visit is verified, with its signature; the dashboard counts it.
    const visits = await rpc<{ rows: { id: string; status: string; verification: string; hasSignature: boolean; evv: { missing: string[] } }[] }>(
      request,
      clerkToken,
      'homeServices.visits.list',
      { search: number, limit: 5 },
    );
    expect(visits.rows[0]).toMatchObject({ status: 'completed', verification: 'verified', hasSignature: true, evv: { missing: [] } });
    await onSite.goto(`/#/home-services/visits/${visits.rows[0]!.id}`);
    await expect(onSite.getByLabel('Verification').getByText('Verified')).toBeVisible();
    await expect(onSite.getByRole('img', { name: /^Signature of / })).toBeVisible();
    await expect.poll(() => verifiedToday(supervisor), { timeout: 30_000 }).toBe(verifiedBefore + 1);
  } finally {
    const current = (await rpc<{ key: string; version: number }[]>(request, admin, 'admin.settings.list', {})).find((s) => s.key === setting.key)!;
    await rpc(request, admin, 'admin.settings.update', { key: setting.key, version: current.version, value: setting.value });
  }
});

test('the dispatch board assigns from the keyboard (↓ to the job, 1 for the first suggestion) and by dragging a job onto a technician', async ({ browser, request }) => {
  const clerkToken = await tokenOf(request, 'dispatcher');
  const customers = await rpc<{ rows: Customer[] }>(request, clerkToken, 'homeServices.customers.list', { limit: 200 });
  const northern = customers.rows.filter((c) => c.lat !== null && c.zoneCode === 'NTH');
  const services = await rpc<{ id: string; sku: string }[]>(request, clerkToken, 'homeServices.services.list', {});
  const leak = services.find((s) => s.sku === 'PLB-LEAK')!;
  // Two unassigned bookings at the first free slots, left in the tray for the dispatcher.
  const booked: { number: string; jobId: string; localDate: string }[] = [];
  for (const [i, customer] of northern.slice(0, 2).entries()) {
    const free = await rpc<{ slots: { startsAt: string }[] }>(request, clerkToken, 'homeServices.scheduling.availability', { serviceId: leak.id, customerId: customer.id, limit: 1 });
    const answer = await rpc<{ appointment: { number: string; jobId: string; localDate: string } }>(
      request,
      clerkToken,
      'homeServices.scheduling.book',
      { customerId: customer.id, serviceId: leak.id, startsAt: free.slots[0]!.startsAt, notes: `board test ${i}` },
      `e2e-board-${Date.now()}-${i}`,
    );
    booked.push(answer.appointment);
  }
  const [byKeys, byDrag] = booked as [(typeof booked)[0], (typeof booked)[0]];

  const dispatcher = await signedIn(browser, 'dispatcher', `/home-services/dispatch?date=${byKeys.localDate}`);
  const tray = dispatcher.getByRole('listbox', { name: 'Jobs to assign' });
  const keysJob = tray.getByRole('option', { name: new RegExp(`^${byKeys.number} `) });
  await expect(keysJob).toBeVisible();
  // The day opens where the shifts start, not at the midnight of the round-the-clock technicians.
  await expect(dispatcher.getByText('08:00', { exact: true }).first()).toBeInViewport();
  const midnight = dispatcher.getByText('00:00', { exact: true });
  if ((await midnight.count()) > 0) await expect(midnight.first()).not.toBeInViewport();
  // ↓ walks the tray; the selected job is the one the number keys assign.
  for (let step = 0; step < 50 && (await keysJob.getAttribute('aria-selected')) !== 'true'; step += 1) await dispatcher.keyboard.press('ArrowDown');
  await expect(keysJob).toHaveAttribute('aria-selected', 'true');
  const first = dispatcher.getByLabel(`Suggestions for ${byKeys.number}`).getByRole('button', { name: /^Assign to / }).first();
  const suggested = ((await first.getAttribute('aria-label')) ?? '').replace('Assign to ', '');
  await dispatcher.keyboard.press('1');
  await expect(dispatcher.getByText(`${byKeys.number} assigned to ${suggested}`)).toBeVisible();
  await expect(dispatcher.getByRole('button', { name: new RegExp(`^${byKeys.number} on ${suggested} at`) })).toBeVisible();
  await expect(keysJob).toBeHidden();

  // Drag the other job from the tray onto the timeline of a technician free for it (its first suggestion).
  if (byDrag.localDate !== byKeys.localDate) await dispatcher.goto(`/#/home-services/dispatch?date=${byDrag.localDate}`);
  const dragJob = tray.getByRole('option', { name: new RegExp(`^${byDrag.number} `) });
  await dragJob.click();
  const target = (
    (await dispatcher.getByLabel(`Suggestions for ${byDrag.number}`).getByRole('button', { name: /^Assign to / }).first().getAttribute('aria-label')) ?? ''
  ).replace('Assign to ', '');
  // Onto the technician's name, which stays in view however far the day's hours are scrolled.
  await dragJob.dragTo(dispatcher.getByLabel(`${target}'s timeline`).getByText(target, { exact: true }));
  await expect(dispatcher.getByRole('button', { name: new RegExp(`^${byDrag.number} on ${target} at`) })).toBeVisible();
  const job = await rpc<{ state: string; technicianName: string | null }>(request, clerkToken, 'homeServices.dispatch.get', { id: byDrag.jobId });
  expect(job.state).toBe('assigned');
});

/**
 * An administrator corrects a zone's name on the set-up screen's Zones tab by opening the zone, as
 * technicians and services are opened there: the code cannot be changed, the table shows the new
 * name at once. (Other specs know the demo zones by code only; none relies on WST's name.)
 */
test('an administrator renames a zone, keeping its code', async ({ browser }) => {
  const admin = await signedIn(browser, 'admin', '/home-services/scheduling/setup?tab=zones');
  const zones = admin.getByRole('table', { name: 'Zones' });
  await zones.getByRole('row').filter({ hasText: 'WST' }).click();
  const dialog = admin.getByRole('dialog', { name: 'Rename zone WST' });
  await expect(dialog.getByLabel('Code')).toBeDisabled();
  await expect(dialog.getByLabel('Code')).toHaveValue('WST');
  await dialog.getByLabel('Name').fill('Westbury, Roodepoort & Florida');
  await dialog.getByRole('button', { name: 'Rename zone' }).click();
  await expect(admin.getByText('Zone WST is now Westbury, Roodepoort & Florida.')).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(zones.getByRole('row').filter({ hasText: 'WST' })).toContainText('Westbury, Roodepoort & Florida');
});
