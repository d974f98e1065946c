import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src-shared/contracts/home-services/master-data';
import type { TestApp } from '../support/app';
import { bookFirstFree, fieldFixture, freshCustomer, type FieldFixture } from '../support/home-services';
import { connect, openBranch, syncOnce } from './support/branch';
import { startTestHq, type TestHq } from './support/hq';

/**
 * The home-services catalogue as master data owned by HQ: HQ changes a service's price and
 * duration, the branch books with them after sync, and the branch can no longer change its
 * catalogue. (The HQ side of master data is the same log for every type and is tested on
 * PostgreSQL by master-data.test.ts and tariffs.test.ts.)
 */
let t: TestApp;
let hq: TestHq;
let f: FieldFixture;
beforeAll(async () => {
  t = openBranch();
  // The branch's own catalogue, from before HQ took it over.
  f = fieldFixture(t, { allDay: true });
  hq = await startTestHq('sqlite', null);
  connect(t, hq.url, await hq.register(t));
});
afterAll(async () => {
  await hq?.close();
  await t?.close();
});

const services = () => t.ok<Service[]>('admin', 'homeServices.services.list', { includeInactive: true });

describe('the service catalogue from HQ', () => {
  it('takes over a service the branch had, adds a new one, and bookings use HQ’s price and duration', async () => {
    const repair = f.services.repair;
    expect([repair.priceMinor, repair.durationMinutes]).toEqual([65000, 60]);
    await hq.publish({
      changes: [
        {
          entity: 'hsService',
          entityId: repair.sku,
          data: { name: 'Leak repair (HQ)', category: 'plumbing', durationMinutes: 90, bufferMinutes: 10, priceMinor: 80000, requiredSkills: [{ skill: 'plumbing', minLevel: 2 }] },
        },
        { entity: 'hsService', entityId: 'GEYSER-HQ', data: { name: 'Geyser service', category: 'plumbing', durationMinutes: 120, priceMinor: 95000, requiredSkills: [] } },
      ],
    });
    const result = await syncOnce(t);
    expect([result.outcome, result.masterApplied]).toEqual(['succeeded', 2]);

    const after = services();
    expect(after.filter((s) => s.sku === repair.sku).map((s) => [s.id, s.name, s.priceMinor, s.durationMinutes])).toEqual([[repair.id, 'Leak repair (HQ)', 80000, 90]]);
    expect(after.find((s) => s.sku === 'GEYSER-HQ')).toMatchObject({ active: true, priceMinor: 95000 });

    const appointment = bookFirstFree(t, { customerId: freshCustomer(t, 'north').id, serviceId: repair.id });
    expect([appointment.priceMinor, appointment.durationMinutes]).toEqual([80000, 90]);
  });

  it('refuses catalogue changes at the branch once HQ owns the catalogue', () => {
    const camera = services().find((s) => s.id === f.services.camera.id)!;
    const update = t.call('admin', 'homeServices.services.update', {
      id: camera.id,
      version: camera.version,
      name: 'Cheaper camera survey',
      category: 'plumbing',
      durationMinutes: 60,
      priceMinor: 1,
      requiredSkills: [],
    });
    expect(update.ok ? null : update.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/service is owned by HQ/) });
    const create = t.call('admin', 'homeServices.services.create', { sku: 'LOCAL-1', name: 'Local extra', category: 'plumbing', durationMinutes: 30, priceMinor: 100, requiredSkills: [] });
    expect(create.ok ? null : create.error.code).toBe('FORBIDDEN');
    expect(services().find((s) => s.id === camera.id)!.priceMinor).toBe(camera.priceMinor);
    expect(services().some((s) => s.sku === 'LOCAL-1')).toBe(false);
  });

  it('deactivates a service HQ withdraws', async () => {
    await hq.publish({ changes: [{ entity: 'hsService', entityId: 'GEYSER-HQ', op: 'delete' }] });
    expect((await syncOnce(t)).outcome).toBe('succeeded');
    expect(services().find((s) => s.sku === 'GEYSER-HQ')!.active).toBe(false);
    expect(t.ok<Service[]>('admin', 'homeServices.services.list', {}).some((s) => s.sku === 'GEYSER-HQ')).toBe(false);
  });
});
