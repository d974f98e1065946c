import type { Visit } from '../../../src-shared/contracts/home-services/visits';
import type { TestApp } from '../app';
import { at, bookFirstFree, fieldFixture, freshCustomer, jobOf, northOf, okAs } from '../home-services';
import type { Sample } from '../samples';

/** One valid call per visit mutation. */

const fixture = (t: TestApp) => fieldFixture(t, { allDay: true });
const DAY = 86_400_000;

/** Booked yesterday for yesterday, so a check-in now is never too early, whatever the queue of bookings. */
const bookedYesterday = (t: TestApp, input: Parameters<typeof bookFirstFree>[1]) => at(t, new Date(Date.now() - DAY), () => bookFirstFree(t, input));

/** A job booked onto a technician and checked in at the customer's door, as a supervisor would for them. */
function visitOnSite(t: TestApp): Visit {
  const f = fixture(t);
  const customer = freshCustomer(t, 'north');
  const job = jobOf(t, bookedYesterday(t, { customerId: customer.id, serviceId: f.services.repair.id, technicianId: f.technicians.allRounder.id }));
  const door = northOf({ lat: customer.lat!, lng: customer.lng! }, 20);
  // A minute ago: a check-out in the same millisecond would be refused as a clock set back.
  return at(t, new Date(Date.now() - 60_000), () =>
    okAs<Visit>(t, 'supervisor', 'homeServices.visits.checkIn', { jobId: job.id, version: job.version, location: { ...door, accuracyM: 8 } }),
  );
}

export const visitSamples: Record<string, Sample> = {
  'homeServices.visits.checkIn': (t) => {
    const f = fixture(t);
    const customer = freshCustomer(t, 'north');
    const job = jobOf(t, bookedYesterday(t, { customerId: customer.id, serviceId: f.services.repair.id, technicianId: f.technicians.plumber.id }));
    return { as: 'supervisor', input: { jobId: job.id, version: job.version, location: { lat: customer.lat!, lng: customer.lng!, accuracyM: 12 } } };
  },
  'homeServices.visits.checkOut': (t) => {
    const visit = visitOnSite(t);
    return {
      as: 'supervisor',
      input: {
        visitId: visit.id,
        version: visit.version,
        location: { lat: visit.checkIn!.lat!, lng: visit.checkIn!.lng!, accuracyM: 10 },
        note: 'Cleared the drain',
        signature: { dataUrl: 'data:image/png;base64,iVBORw0KGgo=', signedBy: 'North Home' },
        photoRefs: ['IMG_0001.jpg'],
      },
    };
  },
  'homeServices.visits.correct': (t) => {
    const onSite = visitOnSite(t);
    const done = okAs<Visit>(t, 'supervisor', 'homeServices.visits.checkOut', { visitId: onSite.id, version: onSite.version, location: null });
    return { as: 'supervisor', input: { visitId: done.id, version: done.version, reasonCode: 'gps_failure', reason: 'Phone lost its fix inside the house', acceptLocation: true } };
  },
  'homeServices.visits.markMissed': (t) => {
    const f = fixture(t);
    // Booked two days ago for two days ago, and nobody came.
    const a = at(t, new Date(Date.now() - 2 * DAY), () =>
      bookFirstFree(t, { customerId: freshCustomer(t, 'south').id, serviceId: f.services.inspect.id, technicianId: f.technicians.electrician.id }),
    );
    return { as: 'supervisor', input: { appointmentId: a.id } };
  },
  'homeServices.visits.detectMissed': () => ({ as: 'supervisor', input: {} }),
  'homeServices.visits.export': () => ({ as: 'supervisor', input: { from: '2026-01-01', to: '2026-01-31', format: 'csv' } }),
};
