import { expect } from 'vitest';
import type { Reading } from '../../src-shared/contracts/energy/meter-readings';
import type { TestApp } from './app';

let serial = 0;

export interface SeededMeter {
  meterId: string;
  accountId: string;
  serial: string;
}

/** A route with `meters` accounts in `category`, each meter installed on `installedOn` at 1,000. */
export function seedRoute(t: TestApp, options: { code: string; meters: number; category: string; installedOn: string }): { routeId: string; meters: SeededMeter[] } {
  const route = t.ok<{ id: string }>('admin', 'energy.routes.create', { code: options.code, name: `Route ${options.code}` });
  const meters: SeededMeter[] = [];
  for (let i = 0; i < options.meters; i += 1) {
    serial += 1;
    const account = t.ok<{ id: string }>('admin', 'energy.accounts.create', {
      accountNo: `RPT-${serial}`,
      name: `Customer ${serial}`,
      address: `${serial} Report Street`,
      routeId: route.id,
      sequence: i * 10,
      category: options.category,
    });
    const meter = t.ok<{ id: string; serial: string }>('admin', 'energy.meters.create', {
      serial: `RPT-M${serial}`,
      dials: 6,
      accountId: account.id,
      installedOn: options.installedOn,
      initialRead: 1_000,
    });
    meters.push({ meterId: meter.id, accountId: account.id, serial: meter.serial });
  }
  return { routeId: route.id, meters };
}

export function readMeter(t: TestApp, as: string, meterId: string, readDate: string, value: number): Reading {
  const result = t.call(as, 'energy.meterReadings.create', { meterId, readDate, value });
  if (!result.ok) throw new Error(`reading ${readDate} ${value}: ${result.error.code} ${result.error.message}`);
  return result.result as Reading;
}

/** Every reading of the store through the function's own list (all pages). */
export function allReadings(t: TestApp, filters: Record<string, unknown> = {}): Reading[] {
  const rows: Reading[] = [];
  let cursor: string | undefined;
  do {
    const page = t.ok<{ rows: Reading[]; nextCursor: string | null }>('admin', 'energy.meterReadings.list', { ...filters, limit: 500, ...(cursor ? { cursor } : {}) });
    rows.push(...page.rows);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return rows;
}

export const expectClose = (actual: number | null | undefined, expected: number, digits = 3) => expect(actual ?? NaN).toBeCloseTo(expected, digits);
