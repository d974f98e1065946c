import { newId } from '../../../src-main/core/util/ids';
import type { TestApp } from '../app';
import type { Sample } from '../samples';
import { createAccounts } from './billing';

type ShiftState = { shift: { id: string; version: number } | null; report: { expected: Record<string, number> } | null };

/** The user's open shift, opening one when there is none (sample set-up). */
export function ensureOpenShift(t: TestApp, username: string): { id: string; version: number } {
  const current = t.ok<ShiftState>(username, 'energy.counter.shifts.current', {});
  return current.shift ?? t.ok(username, 'energy.counter.shifts.open', { openingFloat: 0 });
}

export const counterSamples: Record<string, Sample> = {
  'energy.counter.shifts.open': (t) => {
    const current = t.ok<ShiftState>('supervisor', 'energy.counter.shifts.current', {});
    if (current.shift && current.report) {
      t.ok('supervisor', 'energy.counter.shifts.close', { id: current.shift.id, version: current.shift.version, counted: { cash: 0, card: 0, cheque: 0, transfer: 0, ...current.report.expected } });
    }
    return { as: 'supervisor', input: { openingFloat: 10_000 } };
  },
  'energy.counter.shifts.close': (t) => {
    ensureOpenShift(t, 'cashier');
    const { shift, report } = t.ok<ShiftState>('cashier', 'energy.counter.shifts.current', {});
    return { as: 'cashier', input: { id: shift!.id, version: shift!.version, counted: report!.expected } };
  },
  'energy.counter.payments.create': (t) => {
    ensureOpenShift(t, 'cashier');
    const [account] = createAccounts(t, 1, { installedOn: '2024-01-01' });
    return { as: 'cashier', input: { accountId: account!.accountId, tender: 'cash', amount: 1500, tendered: 2000 }, meta: { idempotencyKey: newId() } };
  },
  'energy.counter.export': () => {
    const today = new Date().toISOString().slice(0, 10);
    return { as: 'supervisor', input: { from: today, to: today, format: 'csv' } };
  },
};

export const counterExemptions: Record<string, string> = {
  'energy.counter.payments.reverse': 'always approval-gated; covered by tests/integration/counter-prepaid.test.ts',
};
