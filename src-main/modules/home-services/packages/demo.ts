import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import { AppError } from '../../../../src-shared/errors';
import type { CallMeta } from '../../../../src-shared/rpc';
import { sqlGet } from '../../../core/db/store';
import type { Principal } from '../../../core/rpc/context';
import type { Kernel } from '../../../core/rpc/kernel';
import { dispatch } from '../../../core/rpc/pipeline';
import { newId } from '../../../core/util/ids';
import { onDemoDay } from '../../../core/util/demo-clock';

dayjs.extend(utc);
dayjs.extend(timezone);

/**
 * Demo data for package and subscription billing: a cleaning and aircon technician on call, three
 * services, a dozen customers, three packages and three plans; then the last two and a half months
 * replayed day by day as they would have happened — counter days with package sales and
 * sign-ups (each in its own cashier shift, closed at the end of the day), visits that redeem
 * sessions, payments, a pause, the billing job's renewals and the dunning ladder. It ends with
 * one subscription suspended for an unpaid invoice (Lindiwe Dube, for the counter's "restore by
 * payment"), one at the reminder step and one cancelled for non-payment.
 *
 * Everything goes through the pipeline as the user who would really do it; the store's clock is
 * set to each replayed moment, so every row and journal event carries the time it describes.
 */

interface Call {
  <T = Record<string, unknown>>(username: string, procedure: string, input: unknown, meta?: CallMeta): T;
}

const CUSTOMERS = [
  ['Lindiwe Dube', '0825550101', '14 Jacaranda Street, Parkhurst'],
  ['Pieter van Wyk', '0825550102', '3 Oak Avenue, Greenside'],
  ['Ayesha Patel', '0825550103', '22 Fourth Avenue, Melville'],
  ['Thabo Mokoena', '0825550104', '9 Loch Road, Emmarentia'],
  ['Grace Naidoo', '0825550105', '51 Tyrone Avenue, Parkview'],
  ['Johan Botha', '0825550106', '7 Kings Road, Craighall'],
  ['Nomvula Khumalo', '0825550107', '30 Seventh Street, Linden'],
  ['David Cohen', '0825550108', '18 Jan Smuts Avenue, Westcliff'],
  ['Sipho Ndlovu', '0825550109', '2 Rustenburg Road, Emmarentia'],
  ['Karen Smith', '0825550110', '45 Fifth Street, Parkhurst'],
  ['Zanele Mthembu', '0825550111', '12 Gleneagles Road, Greenside'],
  ['Ruan Pretorius', '0825550112', '66 Third Avenue, Melville'],
] as const;

export function seedPackagesSubscriptionsDemo(kernel: Kernel, as: (username: string) => Principal, today: string): void {
  const tz = kernel.branch().timeZone;
  /** Runs `body` with the store's clock at `localTime` on the day `daysAgo` before today, branch time. */
  const on = <T>(daysAgo: number, localTime: string, body: () => T): T => onDemoDay(kernel, today, daysAgo, localTime, body);
  const call: Call = <T>(username: string, procedure: string, input: unknown, meta?: CallMeta): T => {
    const result = dispatch(kernel, procedure, input, { principal: as(username), meta });
    if (!result.ok) throw new AppError(result.error.code, `Demo seeding: ${procedure} failed: ${result.error.message}`, result.error.details);
    return result.result as T;
  };
  const key = () => ({ idempotencyKey: newId() });
  const dayOf = (daysAgo: number) => dayjs.utc(today).subtract(daysAgo, 'day').format('YYYY-MM-DD');

  /* ---------------- master data the functions need ---------------- */

  const zone =
    sqlGet<{ id: string }>(kernel.db, `SELECT id FROM hs_zones WHERE code = 'CTR'`)?.id ?? call<{ id: string }>('admin', 'homeServices.zones.create', { code: 'CTR', name: 'Central suburbs' }).id;
  const service = (sku: string, name: string, category: string, durationMinutes: number, priceMinor: number, skill: string) =>
    sqlGet<{ id: string }>(kernel.db, 'SELECT id FROM hs_services WHERE sku = ?', sku)?.id ??
    call<{ id: string }>('admin', 'homeServices.services.create', { sku, name, category, durationMinutes, bufferMinutes: 15, priceMinor, requiredSkills: [{ skill, minLevel: 1 }] }).id;
  const clean = service('CLEAN-2H', 'Home clean (2 hours)', 'cleaning', 120, 45_000, 'cleaning');
  const garden = service('GARDEN-1H', 'Garden service (1 hour)', 'garden', 60, 35_000, 'cleaning');
  const aircon = service('AIRCON-SVC', 'Aircon service', 'hvac', 90, 80_000, 'hvac');
  // On call around the clock, so the demo's bookings never depend on the hour it is seeded.
  const allWeek = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
  const technician = (code: string, name: string, color: string) =>
    sqlGet<{ id: string }>(kernel.db, 'SELECT id FROM hs_technicians WHERE code = ?', code)?.id ??
    call<{ id: string }>('admin', 'homeServices.technicians.create', {
      code,
      name,
      color,
      homeLat: -26.14,
      homeLng: 28.02,
      skills: [
        { skill: 'cleaning', level: 3 },
        { skill: 'hvac', level: 2 },
      ],
      zoneIds: [zone],
      hours: allWeek,
    }).id;
  const nomsa = technician('T-NOMSA', 'Nomsa Sithole', 'teal');
  technician('T-BEN', 'Ben Jacobs', 'orange');
  const customers = CUSTOMERS.map(([name, phone, address], i) =>
    call<{ id: string; customerNo: string }>('dispatcher', 'homeServices.customers.create', {
      name,
      phone,
      address: `${address}, Johannesburg`,
      zoneId: zone,
      lat: -26.14 + i * 0.002,
      lng: 28.02 + i * 0.0015,
    }),
  );
  const ids = customers.map((c) => c.id);
  const [lindiwe, pieter, ayesha, thabo, grace, johan, nomvula, david, sipho, karen, zanele, ruan] = ids as [string, string, string, string, string, string, string, string, string, string, string, string];

  /* ---------------- catalogue: packages and plans ---------------- */

  const start = dayOf(80);
  const pkg = (input: Record<string, unknown>) => on(80, '08:00', () => call<{ id: string }>('supervisor', 'homeServices.packages.types.create', input).id);
  const cleanFive = pkg({
    code: 'CLEAN-5',
    name: 'Home clean ×5',
    description: 'Five two-hour home cleans for the price of four; a late cancellation uses a session.',
    priceMinor: 180_000,
    poolKind: 'per_service',
    services: [{ serviceId: clean, sessions: 5 }],
    validityKind: 'days_from_purchase',
    validityDays: 180,
    lateCancelConsumes: true,
  });
  const homeCare = pkg({
    code: 'HOME-10',
    name: 'Home & garden pool (10)',
    description: 'Ten sessions of cleaning or garden service, valid a year from the first one.',
    priceMinor: 320_000,
    poolKind: 'shared_pool',
    poolSessions: 10,
    services: [{ serviceId: clean }, { serviceId: garden }],
    validityKind: 'days_from_first_use',
    validityDays: 365,
  });
  const airconTwo = pkg({
    code: 'AIRCON-2',
    name: 'Aircon service ×2',
    priceMinor: 140_000,
    poolKind: 'per_service',
    services: [{ serviceId: aircon, sessions: 2 }],
    validityKind: 'days_from_purchase',
    validityDays: 30,
    purchaseLimit: 1,
    noShowConsumes: true,
  });
  const plan = (input: Record<string, unknown>) => on(80, '08:30', () => call<{ id: string }>('supervisor', 'homeServices.subscriptions.plans.create', { effectiveFrom: start, ...input }).id);
  const careMonthly = plan({
    code: 'CARE-M',
    name: 'Home care monthly',
    description: 'Two visits a month; more are charged at R300.',
    billingPeriod: 'monthly',
    priceMinor: 69_900,
    includedVisits: 2,
    overAllowance: 'charge',
    overagePriceMinor: 30_000,
    serviceIds: [clean, garden],
  });
  const careQuarterly = plan({
    code: 'CARE-Q',
    name: 'Home care quarterly',
    billingPeriod: 'quarterly',
    priceMinor: 189_900,
    includedVisits: 6,
    overAllowance: 'refuse',
    serviceIds: [clean, garden],
  });
  plan({ code: 'AIRCON-Y', name: 'Aircon care yearly', billingPeriod: 'yearly', priceMinor: 150_000, includedVisits: 2, overAllowance: 'refuse', serviceIds: [aircon] });

  /* ---------------- replayed days ---------------- */

  type Shift = { id: string; version: number };
  /** A counter day: the cashier opens a shift, serves, and closes it with exactly what was expected. */
  const counterDay = (daysAgo: number, serve: () => void) => {
    on(daysAgo, '08:00', () => {
      if (!call<{ shift: Shift | null }>('cashier', 'energy.counter.shifts.current', {}).shift) call<Shift>('cashier', 'energy.counter.shifts.open', { openingFloat: 50_000 });
    });
    on(daysAgo, '10:00', serve);
    on(daysAgo, '17:00', () => {
      const { shift, report } = call<{ shift: Shift; report: { expected: Record<string, number> } }>('cashier', 'energy.counter.shifts.current', {});
      call('cashier', 'energy.counter.shifts.close', { id: shift.id, version: shift.version, counted: report.expected, note: 'Balanced' });
    });
  };
  const sell = (customerId: string, packageTypeId: string, tender: string) =>
    call('cashier', 'homeServices.packages.sell', { customerId, packageTypeId, tender, ...(tender === 'cheque' || tender === 'transfer' ? { reference: `REF${customerId.slice(-4)}` } : {}) }, key());
  const subscribe = (customerId: string, planId: string, pay: boolean) =>
    call<{ subscription: { id: string; version: number } }>(
      'cashier',
      'homeServices.subscriptions.create',
      { customerId, planId, ...(pay ? { payment: { tender: 'card' } } : {}) },
      key(),
    ).subscription;
  const pay = (customerId: string, amount: number, tender = 'cash') => call('cashier', 'homeServices.subscriptions.payments.create', { customerId, amount, tender }, key());
  /** A visit booked the day before for this morning, done by Nomsa: it completes, and billing follows. */
  const visit = (daysAgo: number, customerId: string, serviceId: string) => {
    const day = dayOf(daysAgo);
    const startsAt = dayjs.tz(`${day} 09:00`, tz).toISOString();
    const booked = on(daysAgo + 1, '12:00', () =>
      call<{ appointment: { id: string; jobId: string } }>('dispatcher', 'homeServices.scheduling.book', { customerId, serviceId, startsAt, technicianId: nomsa, channel: 'phone', confirmed: true }, key()),
    ).appointment;
    const job = on(daysAgo, '08:55', () => call<{ id: string; version: number }>('dispatcher', 'homeServices.dispatch.get', { id: booked.jobId }));
    const customer = sqlGet<{ lat: number; lng: number }>(kernel.db, 'SELECT lat, lng FROM hs_customers WHERE id = ?', customerId)!;
    const at = { lat: customer.lat, lng: customer.lng, accuracyM: 8 };
    const checkedIn = on(daysAgo, '09:02', () => call<{ id: string; version: number }>('supervisor', 'homeServices.visits.checkIn', { jobId: job.id, version: job.version, location: at }));
    on(daysAgo, '10:50', () => call('supervisor', 'homeServices.visits.checkOut', { visitId: checkedIn.id, version: checkedIn.version, location: at, note: 'Done as agreed' }));
  };
  /** The billing job's three steps, run in-process (seeding is synchronous); today's run at the real time. */
  const billingRun = (daysAgo: number) => {
    const steps = () => {
      call('supervisor', 'homeServices.subscriptions.billing.renewDue', { asOf: dayOf(daysAgo), limit: 500 });
      call('supervisor', 'homeServices.subscriptions.dunning.advance', { asOf: dayOf(daysAgo) });
      call('supervisor', 'homeServices.packages.expireDue', { asOf: dayOf(daysAgo) });
    };
    if (daysAgo === 0) steps();
    else on(daysAgo, '06:00', steps);
  };

  counterDay(75, () => {
    subscribe(pieter, careMonthly, true);
    subscribe(ayesha, careMonthly, true);
    sell(thabo, cleanFive, 'cash');
    sell(grace, homeCare, 'card');
    sell(david, airconTwo, 'card');
  });
  visit(70, thabo, clean);
  visit(68, grace, garden);
  visit(66, pieter, clean);
  counterDay(60, () => {
    subscribe(johan, careQuarterly, true);
    sell(nomvula, cleanFive, 'cheque');
    sell(grace, cleanFive, 'cash');
  });
  visit(56, thabo, clean);
  visit(55, nomvula, clean);
  visit(52, ayesha, garden);
  billingRun(45);
  counterDay(45, () => {
    pay(pieter, 69_900, 'card');
    pay(ayesha, 69_900);
    // Signs up and never pays: the ladder will cancel it.
    subscribe(sipho, careMonthly, false);
    sell(karen, homeCare, 'transfer');
  });
  visit(40, karen, garden);
  visit(38, grace, clean);
  visit(35, pieter, garden);
  visit(34, pieter, clean);
  visit(33, pieter, clean);
  on(30, '11:00', () => {
    const paused = call<{ subscriptions: { id: string; version: number }[] }>('supervisor', 'homeServices.subscriptions.customerAccount', { customerId: johan }).subscriptions[0]!;
    call('supervisor', 'homeServices.subscriptions.pause', { id: paused.id, version: paused.version, reason: 'Away for the winter holidays' });
  });
  // Lindiwe signs up but her first invoice stays unpaid: suspended by today.
  counterDay(25, () => {
    subscribe(lindiwe, careMonthly, false);
    sell(lindiwe, cleanFive, 'card');
    sell(zanele, cleanFive, 'cash');
  });
  visit(21, zanele, clean);
  billingRun(15);
  counterDay(15, () => {
    pay(pieter, 69_900, 'card');
    pay(ayesha, 69_900, 'cash');
    sell(ruan, homeCare, 'card');
  });
  visit(12, ruan, garden);
  visit(11, nomvula, clean);
  counterDay(10, () => subscribe(zanele, careMonthly, false));
  visit(8, lindiwe, clean);
  visit(5, thabo, clean);
  billingRun(1);
  billingRun(0);
}
