import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import type { Account, Reading, SkipCode } from '../../../../src-shared/contracts/energy/meter-readings';

dayjs.extend(utc);

/**
 * Demo data for meter reading: routes, accounts with meters and a year of monthly reads with a
 * seasonal pattern (a southern-hemisphere winter peak), a few customer reads, skipped meters
 * (estimated), and in the latest round the exceptions a supervisor should find in the review
 * queue: a register rollover, a high read and a zero read on an active account.
 *
 * Everything goes through `run` (the pipeline), so the demo journal is a real one. `run` returns
 * the procedure's result and throws on any error answer.
 */
export interface MeterReadingsDemoOptions {
  routes: number;
  accounts: number;
  months: number;
  /** YYYY-MM-DD: the latest read round happens on this date. */
  today: string;
  random: () => number;
}

const FIRST_NAMES = ['Thandi', 'Pieter', 'Naledi', 'Johan', 'Lerato', 'Sipho', 'Anika', 'Kagiso', 'Marike', 'Themba', 'Zanele', 'David', 'Ayesha', 'Lwazi', 'Carmen', 'Musa', 'Elsa', 'Bongani', 'Fatima', 'Riaan'];
const SURNAMES = ['Mokoena', 'van der Merwe', 'Dlamini', 'Botha', 'Naidoo', 'Nkosi', 'Pillay', 'Khumalo', 'Smit', 'Mahlangu', 'Jacobs', 'Ndlovu', 'Pretorius', 'Moloi', 'Adams', 'Zulu'];
const STREETS = ['Acacia Road', 'River Street', 'Protea Avenue', 'Jacaranda Lane', 'Station Road', 'Church Street', 'Baobab Crescent', 'Main Road', 'Hill Street', 'Marula Close'];
const ROUTE_NAMES = ['Riverside North', 'Riverside South', 'Hillcrest', 'Old Town'];
const SKIPS: SkipCode[] = ['no_access', 'locked', 'dog', 'customer_refused'];

const DATE = 'YYYY-MM-DD';

export function seedMeterReadingsDemo(run: (procedure: string, input: unknown) => unknown, options: MeterReadingsDemoOptions): void {
  const { random } = options;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const between = (low: number, high: number) => low + random() * (high - low);

  const routeIds: string[] = [];
  for (let r = 0; r < options.routes; r += 1) {
    const route = run('energy.routes.create', { code: `R${String(r + 1).padStart(2, '0')}`, name: ROUTE_NAMES[r % ROUTE_NAMES.length] }) as { id: string };
    routeIds.push(route.id);
  }

  const today = dayjs.utc(options.today);
  // Each route is walked a few days apart, so the daily report shows separate reading days.
  const readDate = (routeIndex: number, round: number) =>
    today.subtract(options.months - round, 'month').subtract(routeIndex * 3, 'day').format(DATE);
  const installedOn = today.subtract(options.months, 'month').subtract(10, 'day').format(DATE);

  interface DemoMeter {
    meterId: string;
    routeIndex: number;
    dials: number;
    multiplier: number;
    dailyUse: number;
    register: number;
    active: boolean;
  }

  // Plan every account first, so the planted exceptions can be set up before their meters go up.
  const plans = Array.from({ length: options.accounts }, (_, i) => {
    const commercial = random() < 0.12;
    const active = random() > 0.03;
    const dials = commercial ? 6 : 5;
    return {
      i,
      routeIndex: i % options.routes,
      commercial,
      active,
      name: commercial ? `${pick(SURNAMES)} ${pick(['Traders', 'Bakery', 'Motors', 'Pharmacy', 'Butchery'])}` : `${pick(FIRST_NAMES)} ${pick(SURNAMES)}`,
      phone: random() < 0.8 ? `0${Math.floor(between(60, 84))}${String(Math.floor(random() * 1e7)).padStart(7, '0')}` : undefined,
      address: `${Math.floor(between(1, 240))} ${pick(STREETS)}`,
      dials,
      multiplier: commercial && random() < 0.3 ? 10 : 1,
      register: Math.floor(between(0, 0.4) * 10 ** dials),
      dailyUse: active ? (commercial ? between(40, 120) : between(8, 22)) : 0,
    };
  });
  // The latest round's planted exceptions, on active households with a real read every month.
  const households = plans.filter((p) => p.active && !p.commercial);
  const [rolloverPlan, highPlan, zeroPlan] = [households[3], households[7], households[11]];
  // Planted meters use exactly their daily rate, so their registers can be set up in advance.
  const steadyUse = (dailyUse: number, multiplier: number, from: string, to: string) =>
    Math.round((dailyUse * dayjs.utc(to).diff(dayjs.utc(from), 'day')) / multiplier);
  if (rolloverPlan) {
    // Starts so that the register passes its last dial about twelve days before the final read.
    let used = 0;
    let from = installedOn;
    for (let round = 1; round < options.months; round += 1) {
      const to = readDate(rolloverPlan.routeIndex, round);
      used += steadyUse(rolloverPlan.dailyUse, rolloverPlan.multiplier, from, to);
      from = to;
    }
    rolloverPlan.register = 10 ** rolloverPlan.dials - used - Math.round(rolloverPlan.dailyUse * 18);
  }

  const meters: DemoMeter[] = plans.map((plan) => {
    const account = run('energy.accounts.create', {
      accountNo: `ACC-${String(10001 + plan.i)}`,
      name: plan.name,
      phone: plan.phone,
      address: plan.address,
      routeId: routeIds[plan.routeIndex],
      sequence: (Math.floor(plan.i / options.routes) + 1) * 10,
      category: plan.commercial ? 'commercial' : 'residential',
      status: plan.active ? 'active' : 'inactive',
    }) as Account;
    const meter = run('energy.meters.create', {
      serial: `MTR-${String(200001 + plan.i)}`,
      dials: plan.dials,
      multiplier: plan.multiplier,
      accountId: account.id,
      installedOn,
      initialRead: plan.register,
    }) as { id: string };
    return {
      meterId: meter.id,
      routeIndex: plan.routeIndex,
      dials: plan.dials,
      multiplier: plan.multiplier,
      dailyUse: plan.dailyUse,
      register: plan.register,
      active: plan.active,
    };
  });
  const rollover = rolloverPlan && meters[rolloverPlan.i];
  const high = highPlan && meters[highPlan.i];
  const zero = zeroPlan && meters[zeroPlan.i];
  const planted = new Set([rollover, high, zero]);

  const seasonal = (date: string) => 1 + 0.15 * Math.cos((2 * Math.PI * (dayjs.utc(date).month() - 6)) / 12);
  let previousDates = meters.map(() => installedOn);

  for (let round = 1; round <= options.months; round += 1) {
    const last = round === options.months;
    previousDates = meters.map((m, i) => {
      const date = readDate(m.routeIndex, round);
      const used = planted.has(m)
        ? steadyUse(m.dailyUse, m.multiplier, previousDates[i]!, date)
        : Math.round((m.dailyUse * dayjs.utc(date).diff(dayjs.utc(previousDates[i]), 'day') * seasonal(date) * between(0.94, 1.06)) / m.multiplier);
      const capacity = 10 ** m.dials;
      const trueRegister = (m.register + used) % capacity;
      m.register = trueRegister;

      const entry: Record<string, unknown> = { meterId: m.meterId, readDate: date };
      if (m === zero && last) {
        entry.value = (trueRegister - used + capacity) % capacity; // the reader copied last month's figure
      } else if (m === high && last) {
        entry.value = (trueRegister + used * 3) % capacity;
      } else if (!planted.has(m) && round > 2 && random() < 0.012) {
        entry.skipCode = pick(SKIPS);
      } else {
        entry.value = trueRegister;
        if (random() < 0.02) entry.readType = 'customer';
      }
      run('energy.meterReadings.create', entry) as Reading;
      return date;
    });
  }
}
