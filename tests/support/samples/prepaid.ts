import { newId } from '../../../src-main/core/util/ids';
import type { TestApp } from '../app';
import type { Sample } from '../samples';
import { createAccounts, ensurePrepaidTariff } from './billing';
import { ensureOpenShift } from './counter';

/** A new prepaid account on the standard prepaid tariff (sample set-up). */
export function prepaidAccount(t: TestApp): { accountId: string; version: number } {
  ensurePrepaidTariff(t);
  const [account] = createAccounts(t, 1, { installedOn: '2024-01-01' });
  return t.ok('admin', 'energy.prepaid.accounts.enrol', { accountId: account!.accountId, tariffCode: 'PRE-RES', enrolledOn: '2024-01-01' });
}

export const prepaidSamples: Record<string, Sample> = {
  'energy.prepaid.accounts.enrol': (t) => {
    ensurePrepaidTariff(t);
    const [account] = createAccounts(t, 1, { installedOn: '2024-01-01' });
    return { as: 'admin', input: { accountId: account!.accountId, tariffCode: 'PRE-RES', debt: 5000, enrolledOn: '2024-01-01' } };
  },
  'energy.prepaid.accounts.update': (t) => {
    const account = prepaidAccount(t);
    return { as: 'supervisor', input: { accountId: account.accountId, version: account.version, debtRecoveryBp: 2000, reason: 'Hardship arrangement' } };
  },
  'energy.prepaid.vends.create': (t) => {
    ensureOpenShift(t, 'cashier');
    return { as: 'cashier', input: { accountId: prepaidAccount(t).accountId, tender: 'cash', amount: 5000 }, meta: { idempotencyKey: newId() } };
  },
  'energy.prepaid.emergency.issue': (t) => {
    ensureOpenShift(t, 'cashier');
    return { as: 'cashier', input: { accountId: prepaidAccount(t).accountId }, meta: { idempotencyKey: newId() } };
  },
  'energy.prepaid.vends.reprint': (t) => {
    ensureOpenShift(t, 'cashier');
    const vend = t.ok<{ vendId: string }>('cashier', 'energy.prepaid.vends.create', { accountId: prepaidAccount(t).accountId, tender: 'cash', amount: 2000 }, { idempotencyKey: newId() });
    return { as: 'cashier', input: { id: vend.vendId, reason: 'Slip torn' } };
  },
  'energy.prepaid.export': () => {
    const today = new Date().toISOString().slice(0, 10);
    return { as: 'supervisor', input: { from: today, to: today, format: 'csv' } };
  },
};

export const prepaidExemptions: Record<string, string> = {
  'energy.prepaid.vends.reverse': 'always approval-gated; covered by tests/integration/counter-prepaid.test.ts',
};

