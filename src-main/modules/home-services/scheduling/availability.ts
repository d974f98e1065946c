import type { SqliteDb } from '../../../core/db/store';
import type { Settings } from '../../../core/settings/settings';
import { serviceNeeds, technicianFacts, type TechnicianFacts } from '../master-data/queries';
import { HOUR, iso } from '../time';
import { heldBookings } from './queries';
import { AvailabilityIndex, isEligible, type ServiceNeeds, type SlotOffer } from './rules';
import { schedulingSettings, type SchedulingSettings } from './settings';

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

/** What stays the same over a whole search: technicians (with time off over the whole range), services, policy. */
interface SearchBase {
  technicians: TechnicianFacts[];
  needs: Map<string, ServiceNeeds>;
  policy: SchedulingSettings;
  timeZone: string;
}

/** A day either side: bookings and time off reaching into the range, and local days crossing UTC midnight. */
const margin = (request: Pick<IndexRequest, 'from' | 'to' | 'service'>) => ({
  from: iso(request.from - 24 * HOUR),
  to: iso(request.to + request.service.durationMinutes * 60_000 + 24 * HOUR),
});

function loadBase(db: SqliteDb, settings: Settings, timeZone: string, request: IndexRequest): SearchBase {
  const range = margin(request);
  return { technicians: technicianFacts(db, range.from, range.to), needs: serviceNeeds(db), policy: schedulingSettings(settings), timeZone };
}

function indexOver(db: SqliteDb, base: SearchBase, request: IndexRequest): AvailabilityIndex {
  const range = margin(request);
  const bookings = heldBookings(db, range.from, range.to);
  for (const b of bookings) {
    if (b.technicianId !== null) continue;
    const service = base.needs.get(b.serviceId);
    b.eligibleTechnicianIds = new Set(base.technicians.filter((t) => service && isEligible(t, service, b.zoneId)).map((t) => t.id));
  }
  return new AvailabilityIndex(request, base.technicians, bookings, {
    timeZone: base.timeZone,
    travelMinutes: base.policy.travelMinutes,
    slotStepMinutes: base.policy.slotStepMinutes,
  });
}

export function loadIndex(db: SqliteDb, settings: Settings, timeZone: string, request: IndexRequest): AvailabilityIndex {
  return indexOver(db, loadBase(db, settings, timeZone, request), request);
}

/** The first free slot is usually in the first week, so most searches read one week of bookings. */
const CHUNK_DAYS = 7;

/**
 * The first `limit` free slots in [from, to]: the first week first, reading only the bookings
 * around it; the rest of the range only when the first week did not have enough.
 */
export function searchAvailability(db: SqliteDb, settings: Settings, timeZone: string, request: IndexRequest): { slots: SlotOffer[]; index: AvailabilityIndex } {
  const base = loadBase(db, settings, timeZone, request);
  const slots: SlotOffer[] = [];
  let first: AvailabilityIndex | null = null;
  // The first week alone, then (only when it was not enough) everything after it in one go.
  const firstWeekEnd = Math.min(request.to, request.from + CHUNK_DAYS * 24 * HOUR - 1);
  for (const [from, to] of [
    [request.from, firstWeekEnd],
    [firstWeekEnd + 1, request.to],
  ] as const) {
    if (from > to || slots.length >= request.limit) break;
    const index = indexOver(db, base, { ...request, from, to, limit: request.limit - slots.length });
    first ??= index;
    slots.push(...index.search());
  }
  return { slots, index: first ?? indexOver(db, base, request) };
}
