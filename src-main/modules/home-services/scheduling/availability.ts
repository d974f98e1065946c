import type { SqliteDb } from '../../../core/db/store';
import type { Settings } from '../../../core/settings/settings';
import { serviceNeeds, technicianFacts, type TechnicianFacts } from '../master-data/queries';
import { HOUR, iso } from '../time';
import { heldBookings, heldBookingsStarting, type HeldRow } from './queries';
import { AvailabilityIndex, isEligible, type ServiceNeeds, type SlotOffer } from './rules';
import { schedulingSettings, type SchedulingSettings } from './settings';

/**
 * Loads what the availability rules need from the store and builds the search index: active
 * technicians with their time off, and every booking holding a slot around the searched range.
 * Pool bookings (no technician yet) carry the set of technicians who could take them.
 *
 * Everything is read set-based, a handful of statements per search whatever its length: the
 * technicians with their skills, zones, weekly hours and time off, the services, and the held
 * bookings of the range. The rules then work on intervals in memory; no slot ever queries.
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
  /** Pool bookings' takers by service and zone: many waiting jobs share both. */
  takers: Map<string, ReadonlySet<string>>;
}

/** A day either side: bookings and time off reaching into the range, and local days crossing UTC midnight. */
const margin = (request: Pick<IndexRequest, 'from' | 'to' | 'service'>) => ({
  from: iso(request.from - 24 * HOUR),
  to: iso(request.to + request.service.durationMinutes * 60_000 + 24 * HOUR),
});

function loadBase(db: SqliteDb, settings: Settings, timeZone: string, request: IndexRequest): SearchBase {
  const range = margin(request);
  return {
    technicians: technicianFacts(db, range.from, range.to),
    needs: serviceNeeds(db),
    policy: schedulingSettings(settings),
    timeZone,
    takers: new Map(),
  };
}

/** Marks each pool booking with the technicians whose skills and zones could take it. */
function markPool(base: SearchBase, bookings: readonly HeldRow[]): void {
  for (const b of bookings) {
    if (b.technicianId !== null || b.eligibleTechnicianIds) continue;
    const key = `${b.serviceId}|${b.zoneId ?? ''}`;
    let takers = base.takers.get(key);
    if (!takers) {
      const service = base.needs.get(b.serviceId);
      takers = new Set(base.technicians.filter((t) => service && isEligible(t, service, b.zoneId)).map((t) => t.id));
      base.takers.set(key, takers);
    }
    b.eligibleTechnicianIds = takers;
  }
}

function indexOver(base: SearchBase, request: IndexRequest, bookings: readonly HeldRow[]): AvailabilityIndex {
  markPool(base, bookings);
  return new AvailabilityIndex(request, base.technicians, bookings, {
    timeZone: base.timeZone,
    travelMinutes: base.policy.travelMinutes,
    slotStepMinutes: base.policy.slotStepMinutes,
  });
}

export function loadIndex(db: SqliteDb, settings: Settings, timeZone: string, request: IndexRequest): AvailabilityIndex {
  const range = margin(request);
  return indexOver(loadBase(db, settings, timeZone, request), request, heldBookings(db, range.from, range.to));
}

/** The first free slot is usually in the first week, so most searches read one week of bookings. */
const CHUNK_DAYS = 7;

/**
 * The first `limit` free slots in [from, to]: the first week first, reading only the bookings
 * around it; the rest of the range only when the first week did not have enough. The second read
 * continues where the first stopped (bookings starting after it), so no booking is read twice.
 */
export function searchAvailability(db: SqliteDb, settings: Settings, timeZone: string, request: IndexRequest): { slots: SlotOffer[]; index: AvailabilityIndex } {
  const base = loadBase(db, settings, timeZone, request);
  const slots: SlotOffer[] = [];
  let first: AvailabilityIndex | null = null;
  let bookings: HeldRow[] = [];
  let readTo: string | null = null;
  // The first week alone, then (only when it was not enough) everything after it in one go.
  const firstWeekEnd = Math.min(request.to, request.from + CHUNK_DAYS * 24 * HOUR - 1);
  for (const [from, to] of [
    [request.from, firstWeekEnd],
    [firstWeekEnd + 1, request.to],
  ] as const) {
    if (from > to || slots.length >= request.limit) break;
    const chunk = { ...request, from, to, limit: request.limit - slots.length };
    const range = margin(chunk);
    if (readTo === null) bookings = heldBookings(db, range.from, range.to);
    else {
      // The earlier read's bookings still reaching into this range, and those starting after it.
      const rangeFrom = Date.parse(range.from);
      bookings = bookings.filter((b) => b.end > rangeFrom).concat(heldBookingsStarting(db, readTo, range.to));
    }
    readTo = range.to;
    const index = indexOver(base, chunk, bookings);
    first ??= index;
    slots.push(...index.search());
  }
  if (first) return { slots, index: first };
  const range = margin(request);
  return { slots, index: indexOver(base, request, heldBookings(db, range.from, range.to)) };
}
