import type { SqliteDb } from '../../../core/db/store';
import type { Settings } from '../../../core/settings/settings';
import { serviceNeeds, technicianFacts } from '../master-data/queries';
import { HOUR, iso, ms } from '../time';
import { heldBookings } from './queries';
import { AvailabilityIndex, isEligible, type HeldBooking, type ServiceNeeds } from './rules';
import { schedulingSettings } from './settings';

/**
 * Loads what the availability rules need from the store and builds the search index: active
 * technicians with their time off, and every booking holding a slot around the searched range.
 * Pool bookings (no technician yet) carry the set of technicians who could take them.
 */
export interface IndexRequest {
  service: ServiceNeeds;
  zoneId: string | null;
  technicianId?: string;
  from: number;
  to: number;
  limit: number;
  ignoreBookingIds?: ReadonlySet<string>;
}

export function loadIndex(db: SqliteDb, settings: Settings, timeZone: string, request: IndexRequest): AvailabilityIndex {
  const policy = schedulingSettings(settings);
  // A day either side: bookings and time off reaching into the range, and local days crossing UTC midnight.
  const rangeFrom = iso(request.from - 24 * HOUR);
  const rangeTo = iso(request.to + request.service.durationMinutes * 60_000 + 24 * HOUR);
  const technicians = technicianFacts(db, rangeFrom, rangeTo);
  const needs = serviceNeeds(db);
  const bookings = heldBookings(db, rangeFrom, rangeTo).map((b): HeldBooking => {
    const held: HeldBooking = {
      id: b.id,
      technicianId: b.technician_id,
      serviceId: b.service_id,
      bufferMinutes: b.buffer_minutes,
      start: ms(b.starts_at),
      end: ms(b.ends_at),
    };
    if (b.technician_id === null) {
      const service = needs.get(b.service_id);
      held.eligibleTechnicianIds = new Set(technicians.filter((t) => service && isEligible(t, service, b.zone_id)).map((t) => t.id));
    }
    return held;
  });
  return new AvailabilityIndex(request, technicians, bookings, { timeZone, travelMinutes: policy.travelMinutes, slotStepMinutes: policy.slotStepMinutes });
}
