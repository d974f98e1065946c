import type { Reading } from '../../../src-shared/contracts/energy/meter-readings';
import type { Sample } from '../samples';
import type { TestApp } from '../app';

/**
 * One valid call per meter reading mutation. Each sample builds its own route, account and meter,
 * so the samples run in any order in one shared store. Master data is created as admin.
 */
let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter += 1)}`.toUpperCase();

function meter(t: TestApp): { meterId: string; serial: string; version: number } {
  const route = t.ok<{ id: string }>('admin', 'energy.routes.create', { code: `R${unique()}`.slice(0, 20), name: 'Sample route' });
  const account = t.ok<{ id: string }>('admin', 'energy.accounts.create', { accountNo: `S${unique()}`.slice(0, 30), name: 'Sample customer', address: '1 Sample Street', routeId: route.id, sequence: 1 });
  const serial = `SM${unique()}`.slice(0, 30);
  const m = t.ok<{ id: string; version: number }>('admin', 'energy.meters.create', { serial, dials: 6, accountId: account.id, installedOn: '2025-01-01', initialRead: 1000 });
  return { meterId: m.id, serial, version: m.version };
}

export const meterReadingSamples: Record<string, Sample> = {
  'energy.routes.create': () => ({ as: 'admin', input: { code: `R${unique()}`.slice(0, 20), name: 'Sample route' } }),
  'energy.accounts.create': (t) => {
    const route = t.ok<{ id: string }>('admin', 'energy.routes.create', { code: `R${unique()}`.slice(0, 20), name: 'Sample route' });
    return { as: 'admin', input: { accountNo: `S${unique()}`.slice(0, 30), name: 'Sample customer', address: '2 Sample Street', routeId: route.id, sequence: 1 } };
  },
  'energy.routes.update': (t) => {
    const route = t.ok<{ id: string; version: number }>('admin', 'energy.routes.create', { code: `R${unique()}`.slice(0, 20), name: 'Sample route' });
    return { as: 'admin', input: { id: route.id, version: route.version, name: 'Sample route, renamed' } };
  },
  'energy.accounts.update': (t) => {
    const route = t.ok<{ id: string }>('admin', 'energy.routes.create', { code: `R${unique()}`.slice(0, 20), name: 'Sample route' });
    const account = t.ok<{ id: string; version: number }>('admin', 'energy.accounts.create', { accountNo: `S${unique()}`.slice(0, 30), name: 'Sample customer', address: '4 Sample Street', routeId: route.id, sequence: 1 });
    return {
      as: 'admin',
      input: { id: account.id, version: account.version, name: 'Sample customer', phone: '0821234567', address: '4 Sample Street', routeId: route.id, sequence: 2, category: 'commercial', status: 'active' },
    };
  },
  'energy.meters.create': (t) => {
    const route = t.ok<{ id: string }>('admin', 'energy.routes.create', { code: `R${unique()}`.slice(0, 20), name: 'Sample route' });
    const account = t.ok<{ id: string }>('admin', 'energy.accounts.create', { accountNo: `S${unique()}`.slice(0, 30), name: 'Sample customer', address: '3 Sample Street', routeId: route.id, sequence: 1 });
    return { as: 'admin', input: { serial: `SM${unique()}`.slice(0, 30), dials: 6, accountId: account.id, installedOn: '2025-01-01', initialRead: 10 } };
  },
  'energy.meters.exchange': (t) => {
    const m = meter(t);
    return {
      as: 'billing',
      input: { meterId: m.meterId, version: m.version, exchangeDate: '2025-03-01', removalRead: 1100, newSerial: `SX${unique()}`.slice(0, 30), newDials: 6, installRead: 0, reason: 'Meter stopped' },
    };
  },
  'energy.meterReadings.create': (t) => ({ as: 'reader', input: { meterId: meter(t).meterId, readDate: '2025-02-01', value: 1030 } }),
  'energy.meterReadings.review': (t) => {
    // Lower than the install read and too far to be a rollover: it waits for review.
    const reading = t.ok<Reading>('reader', 'energy.meterReadings.create', { meterId: meter(t).meterId, readDate: '2025-02-01', value: 500 });
    return { as: 'billing', input: { id: reading.id, version: reading.version, action: 'reread', reason: 'Reader to check the dials' } };
  },
  'energy.meterReadings.import': (t) => {
    const { serial } = meter(t);
    const csv = `meter_serial,read_date,value\n${serial},2025-02-01,1040\n`;
    return { as: 'reader', input: { fileName: 'sample.csv', contentBase64: Buffer.from(csv).toString('base64') } };
  },
  'energy.meterReadings.export': () => ({ as: 'supervisor', input: { from: '2025-01-01', to: '2025-12-31' } }),
};
