import type { Candidate } from '../../../src-shared/contracts/home-services/dispatch';
import type { TestApp } from '../app';
import { bookFirstFree, fieldFixture, freshCustomer, jobOf, okAs } from '../home-services';
import type { Sample } from '../samples';

/** One valid call per dispatch mutation. */

const fixture = (t: TestApp) => fieldFixture(t, { allDay: true });

export const dispatchSamples: Record<string, Sample> = {
  'homeServices.dispatch.assign': (t) => {
    const f = fixture(t);
    const job = jobOf(t, bookFirstFree(t, { customerId: freshCustomer(t, 'north').id, serviceId: f.services.repair.id }));
    const { candidates } = okAs<{ candidates: Candidate[] }>(t, 'dispatcher', 'homeServices.dispatch.suggest', { jobId: job.id });
    return { as: 'dispatcher', input: { jobId: job.id, version: job.version, technicianId: candidates.find((c) => c.eligible)!.technicianId } };
  },
  'homeServices.dispatch.reassign': (t) => {
    const f = fixture(t);
    const job = jobOf(t, bookFirstFree(t, { customerId: freshCustomer(t, 'north').id, serviceId: f.services.repair.id, technicianId: f.technicians.plumber.id }));
    return { as: 'dispatcher', input: { jobId: job.id, version: job.version, technicianId: null, reasonCode: 'technician_sick', note: 'Called in sick' } };
  },
  'homeServices.dispatch.startTravel': (t) => {
    const f = fixture(t);
    const job = jobOf(t, bookFirstFree(t, { customerId: freshCustomer(t, 'south').id, serviceId: f.services.inspect.id, technicianId: f.technicians.allRounder.id }));
    return { as: 'supervisor', input: { jobId: job.id, version: job.version } };
  },
  'homeServices.dispatch.export': () => ({ as: 'supervisor', input: { from: '2026-01-01', to: '2026-01-31', groupBy: 'technician', format: 'csv' } }),
};
