import type { Holding, PackageType, SaleReceipt } from '../../../src-shared/contracts/home-services/packages';
import type { Appointment } from '../../../src-shared/contracts/home-services/scheduling';
import type { Visit } from '../../../src-shared/contracts/home-services/visits';
import type { Customer } from '../../../src-shared/contracts/home-services/master-data';
import type { TestApp } from '../app';
import { at, bookFirstFree, fieldFixture, freshCustomer, idempotencyKey, jobOf, northOf, okAs, type FieldFixture } from '../home-services';
import type { Sample } from '../samples';

/**
 * Package billing fixtures (package types, sales at the counter, visits that complete) and one
 * valid call per package mutation for the catalogue tests.
 */

export const DAY = 86_400_000;

export const fixture = (t: TestApp): FieldFixture => fieldFixture(t, { allDay: true });

type ShiftState = { shift: { id: string; version: number } | null };

/** The user's open cashier shift, opening one when there is none. */
export function ensureShift(t: TestApp, username = 'cashier'): void {
  const current = okAs<ShiftState>(t, username, 'energy.counter.shifts.current', {});
  if (!current.shift) okAs(t, username, 'energy.counter.shifts.open', { openingFloat: 0 });
}

let codes = 0;
/** A package type on sale: by default 5 sessions of the fixture's repair service, 1,000.00, valid 90 days. */
export function packageType(t: TestApp, over: Record<string, unknown> = {}): PackageType {
  const f = fixture(t);
  codes += 1;
  return okAs<PackageType>(t, 'supervisor', 'homeServices.packages.types.create', {
    code: `PKG-${codes}-${Date.now().toString(36).slice(-4).toUpperCase()}`,
    name: `Repairs x5 (${codes})`,
    priceMinor: 100_000,
    poolKind: 'per_service',
    services: [{ serviceId: f.services.repair.id, sessions: 5 }],
    validityKind: 'days_from_purchase',
    validityDays: 90,
    ...over,
  });
}

export function sellPackage(t: TestApp, customerId: string, packageTypeId: string, tender: Record<string, unknown> = { tender: 'cash' }): SaleReceipt {
  ensureShift(t);
  return okAs<SaleReceipt>(t, 'cashier', 'homeServices.packages.sell', { customerId, packageTypeId, ...tender }, { idempotencyKey: idempotencyKey() });
}

export const holdingOf = (t: TestApp, id: string) => okAs<{ holding: Holding; refundQuote: number }>(t, 'supervisor', 'homeServices.packages.holdings.get', { id });

/** Booked yesterday for yesterday (so checking in now is never early), onto the all-rounder. */
export function bookedYesterday(t: TestApp, customer: Customer, serviceId?: string): Appointment {
  const f = fixture(t);
  return at(t, new Date(Date.now() - DAY), () =>
    bookFirstFree(t, { customerId: customer.id, serviceId: serviceId ?? f.services.repair.id, technicianId: f.technicians.allRounder.id }),
  );
}

/** A visit that took place and was checked out now: publishes the completion package and subscription billing listen to. */
export function completeVisit(t: TestApp, appointment: Appointment, customer: Customer): Visit {
  const job = jobOf(t, appointment);
  const door = northOf({ lat: customer.lat!, lng: customer.lng! }, 10);
  // Checked in a minute ago: a check-out in the same millisecond would be refused as a clock set back.
  const visit = at(t, new Date(Date.now() - 60_000), () =>
    okAs<Visit>(t, 'supervisor', 'homeServices.visits.checkIn', { jobId: job.id, version: job.version, location: { ...door, accuracyM: 8 } }),
  );
  return okAs<Visit>(t, 'supervisor', 'homeServices.visits.checkOut', { visitId: visit.id, version: visit.version, location: { ...door, accuracyM: 8 } });
}

export { freshCustomer };

export const packageSamples: Record<string, Sample> = {
  'homeServices.packages.types.create': (t) => {
    const f = fixture(t);
    return {
      as: 'supervisor',
      input: {
        code: `POOL-${Date.now().toString(36).toUpperCase()}`,
        name: 'Home care pool',
        priceMinor: 250_000,
        poolKind: 'shared_pool',
        poolSessions: 10,
        services: [{ serviceId: f.services.repair.id }, { serviceId: f.services.inspect.id }],
        validityKind: 'days_from_first_use',
        validityDays: 365,
        purchaseLimit: 2,
        lateCancelConsumes: true,
      },
    };
  },
  'homeServices.packages.types.update': (t) => {
    const type = packageType(t);
    return {
      as: 'supervisor',
      input: {
        id: type.id,
        version: type.version,
        name: `${type.name} (spring offer)`,
        priceMinor: 90_000,
        poolKind: 'per_service',
        services: [{ serviceId: type.services[0]!.serviceId, sessions: 6 }],
        validityKind: 'days_from_purchase',
        validityDays: 120,
      },
    };
  },
  'homeServices.packages.types.setStatus': (t) => {
    const type = packageType(t);
    return { as: 'supervisor', input: { id: type.id, version: type.version, status: 'withdrawn' } };
  },
  'homeServices.packages.sell': (t) => {
    ensureShift(t);
    const type = packageType(t);
    return { as: 'cashier', input: { customerId: freshCustomer(t, 'north').id, packageTypeId: type.id, tender: 'cash', tendered: 120_000 }, meta: { idempotencyKey: idempotencyKey() } };
  },
  'homeServices.packages.expireDue': () => ({ as: 'supervisor', input: {} }),
};

export const packageExemptions: Record<string, string> = {
  'homeServices.packages.holdings.freeze': 'always approval-gated; covered by tests/integration/packages-subscriptions.test.ts',
  'homeServices.packages.holdings.extend': 'always approval-gated; covered by tests/integration/packages-subscriptions.test.ts',
  'homeServices.packages.holdings.refund': 'always approval-gated; covered by tests/integration/packages-subscriptions.test.ts',
  'homeServices.packages.holdings.transfer': 'always approval-gated; covered by tests/integration/packages-subscriptions.test.ts',
};
