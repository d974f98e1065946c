import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE, holding, iso, localDateOf, ms, overlaps, subtract, type Interval } from '../time';
import {
  AvailabilityIndex,
  allowedActions,
  availableTime,
  blockedBy,
  isEligible,
  bookingWindow,
  freeTime,
  isLateCancellation,
  nextStatus,
  openTimeOn,
  recurrenceDates,
  recurrenceStarts,
  reminderPlan,
  windowProblem,
  type HeldBooking,
  type ServiceNeeds,
  type TechnicianCalendar,
} from './rules';

const UTC = 'UTC';
const at = (text: string) => ms(text);
const span = (start: string, end: string): Interval => ({ start: at(start), end: at(end) });
const show = (intervals: readonly Interval[]) => intervals.map((i) => `${iso(i.start).slice(11, 16)}–${iso(i.end).slice(11, 16)}`);
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
const weekly = (days: number[], start: string, end: string) => new Map(days.map((d) => [d, [{ start: minutes(start), end: minutes(end) }]]));

function technician(id: string, overrides: Partial<TechnicianCalendar> = {}): TechnicianCalendar {
  return {
    id,
    skills: new Map([['plumbing', 3]]),
    zoneIds: new Set(['north']),
    work: weekly([1, 2, 3, 4, 5], '08:00', '17:00'),
    breaks: new Map(),
    timeOff: [],
    ...overrides,
  };
}

const repair: ServiceNeeds = { id: 'svc-repair', durationMinutes: 60, bufferMinutes: 0, requiredSkills: [{ skill: 'plumbing', minLevel: 2 }], slotCapacity: null };
const policy = { timeZone: UTC, travelMinutes: 0, slotStepMinutes: 30 };

function booking(id: string, technicianId: string | null, start: string, end: string, extra: Partial<HeldBooking> = {}): HeldBooking {
  return { id, technicianId, serviceId: repair.id, bufferMinutes: 0, ...span(start, end), ...extra };
}

// Monday 2 March 2026.
const MONDAY = '2026-03-02';

describe('half-open intervals (DOMAIN.md)', () => {
  it('10:00–11:00 against an existing 10:15–10:45 conflicts', () => {
    expect(overlaps(span(`${MONDAY}T10:00:00Z`, `${MONDAY}T11:00:00Z`), span(`${MONDAY}T10:15:00Z`, `${MONDAY}T10:45:00Z`))).toBe(true);
  });

  it('10:00–11:00 and 11:00–12:00 do not conflict, in either order', () => {
    const a = span(`${MONDAY}T10:00:00Z`, `${MONDAY}T11:00:00Z`);
    const b = span(`${MONDAY}T11:00:00Z`, `${MONDAY}T12:00:00Z`);
    expect(overlaps(a, b)).toBe(false);
    expect(overlaps(b, a)).toBe(false);
  });

  it('subtracting leaves the touching edges free', () => {
    expect(show(subtract([span(`${MONDAY}T08:00:00Z`, `${MONDAY}T12:00:00Z`)], [span(`${MONDAY}T10:00:00Z`, `${MONDAY}T11:00:00Z`)]))).toEqual([
      '08:00–10:00',
      '11:00–12:00',
    ]);
  });
});

describe('free time = working hours − breaks − time off − bookings widened by travel and buffer', () => {
  const tech = technician('t1', {
    breaks: weekly([1], '12:00', '13:00'),
    timeOff: [span(`${MONDAY}T15:00:00Z`, `${MONDAY}T17:00:00Z`)],
  });

  it('takes the lunch break and the afternoon off out of the shift', () => {
    const open = subtract(openTimeOn(tech, MONDAY, UTC), tech.timeOff);
    expect(show(open)).toEqual(['08:00–12:00', '13:00–15:00']);
  });

  it('keeps travel before and after a booking, its buffer after it, and the new job’s buffer before it', () => {
    const open = subtract(openTimeOn(tech, MONDAY, UTC), tech.timeOff);
    // Booking 10:00–11:00 with 15 min clean-up; 20 min travel; the new job has 10 min clean-up of its own.
    const free = freeTime(open, [{ ...span(`${MONDAY}T10:00:00Z`, `${MONDAY}T11:00:00Z`), bufferMinutes: 15 }], 10, 20);
    expect(show(free)).toEqual(['08:00–09:30', '11:35–12:00', '13:00–15:00']);
  });

  it('is empty on a day without shifts', () => {
    expect(openTimeOn(tech, '2026-03-01', UTC)).toEqual([]);
  });
});

describe('availability search', () => {
  const request = (overrides: Partial<ConstructorParameters<typeof AvailabilityIndex>[0]> = {}) => ({
    service: repair,
    zoneId: 'north',
    from: at(`${MONDAY}T08:00:00Z`),
    to: at(`${MONDAY}T23:00:00Z`),
    limit: 5,
    ...overrides,
  });

  it('offers the first free slots on the step grid, a job may end exactly when the next one starts', () => {
    const index = new AvailabilityIndex(request(), [technician('t1')], [booking('b1', 't1', `${MONDAY}T09:00:00Z`, `${MONDAY}T10:00:00Z`)], policy);
    expect(index.search().map((s) => iso(s.start).slice(11, 16))).toEqual(['08:00', '10:00', '10:30', '11:00', '11:30']);
  });

  it('finds nothing before the minimum notice nor after the horizon', () => {
    const now = at(`${MONDAY}T07:00:00Z`);
    const window = bookingWindow(now, 120, 1);
    expect(iso(window.start)).toBe(`${MONDAY}T09:00:00.000Z`);
    const index = new AvailabilityIndex(request({ from: window.start, to: window.end, limit: 100 }), [technician('t1')], [], policy);
    const starts = index.search().map((s) => iso(s.start));
    expect(starts[0]).toBe(`${MONDAY}T09:00:00.000Z`);
    expect(starts.at(-1)).toBe(`${MONDAY}T16:00:00.000Z`);
    expect(windowProblem(at(`${MONDAY}T08:30:00Z`), window, 120, 1)).toMatch(/120 minutes/);
    expect(windowProblem(at('2026-03-04T09:00:00Z'), window, 120, 1)).toMatch(/1 days ahead/);
  });

  it('offers only technicians whose skills (at the level) and zones cover the job', () => {
    const trainee = technician('trainee', { skills: new Map([['plumbing', 1]]) });
    const elsewhere = technician('south-only', { zoneIds: new Set(['south']) });
    const qualified = technician('qualified');
    const index = new AvailabilityIndex(request({ limit: 1 }), [trainee, elsewhere, qualified], [], policy);
    expect(index.eligible.map((t) => t.id)).toEqual(['qualified']);
    expect(index.search()[0]!.technicianIds).toEqual(['qualified']);
  });

  it('explains an empty search when nobody has the skills', () => {
    const index = new AvailabilityIndex(request(), [technician('t1', { skills: new Map() })], [], policy);
    expect(index.search()).toEqual([]);
    expect(index.evaluate(at(`${MONDAY}T09:00:00Z`)).problem).toMatch(/skills/);
  });

  it('counts unassigned bookings against the pool: capacity per slot', () => {
    const techs = [technician('t1'), technician('t2')];
    const oneWaiting = [booking('p1', null, `${MONDAY}T10:00:00Z`, `${MONDAY}T11:00:00Z`)];
    const onePool = new AvailabilityIndex(request(), techs, oneWaiting, policy).evaluate(at(`${MONDAY}T10:00:00Z`));
    expect(onePool).toMatchObject({ ok: true, capacityLeft: 1 });
    const twoWaiting = [...oneWaiting, booking('p2', null, `${MONDAY}T10:30:00Z`, `${MONDAY}T11:30:00Z`)];
    const full = new AvailabilityIndex(request(), techs, twoWaiting, policy).evaluate(at(`${MONDAY}T10:00:00Z`));
    expect(full).toMatchObject({ ok: false, capacityLeft: 0 });
    // Back to back with the pool bookings is fine again.
    expect(new AvailabilityIndex(request(), techs, twoWaiting, policy).evaluate(at(`${MONDAY}T11:30:00Z`)).ok).toBe(true);
  });

  it('a pool booking nobody free could take does not use up capacity', () => {
    const techs = [technician('t1')];
    const waiting = [booking('p1', null, `${MONDAY}T10:00:00Z`, `${MONDAY}T11:00:00Z`, { eligibleTechnicianIds: new Set(['gas-fitter']) })];
    expect(new AvailabilityIndex(request(), techs, waiting, policy).evaluate(at(`${MONDAY}T10:00:00Z`))).toMatchObject({ ok: true, capacityLeft: 1 });
  });

  it('books onto a named technician only where that technician is free', () => {
    const techs = [technician('t1'), technician('t2')];
    const busy = [booking('b1', 't1', `${MONDAY}T10:00:00Z`, `${MONDAY}T11:00:00Z`)];
    const onT1 = new AvailabilityIndex(request({ technicianId: 't1' }), techs, busy, policy);
    expect(onT1.evaluate(at(`${MONDAY}T10:00:00Z`))).toMatchObject({ ok: false, problem: 'The technician is not free at this time' });
    expect(onT1.evaluate(at(`${MONDAY}T11:00:00Z`))).toMatchObject({ ok: true, technicianIds: ['t1', 't2'] });
  });

  it('respects the service’s slot capacity (shared equipment)', () => {
    const camera: ServiceNeeds = { ...repair, slotCapacity: 1 };
    const techs = [technician('t1'), technician('t2')];
    const running = [booking('b1', 't1', `${MONDAY}T10:00:00Z`, `${MONDAY}T11:00:00Z`)];
    const verdict = new AvailabilityIndex(request({ service: camera }), techs, running, policy).evaluate(at(`${MONDAY}T10:30:00Z`));
    expect(verdict).toMatchObject({ ok: false, problem: 'Only 1 of this service can run at the same time' });
  });

  it('leaves out the booking being rescheduled', () => {
    const techs = [technician('t1')];
    const mine = [booking('b1', 't1', `${MONDAY}T10:00:00Z`, `${MONDAY}T11:00:00Z`)];
    const index = new AvailabilityIndex(request({ technicianId: 't1', ignoreBookingIds: new Set(['b1']) }), techs, mine, policy);
    expect(index.evaluate(at(`${MONDAY}T10:30:00Z`)).ok).toBe(true);
  });

  it('suggests the technician with the lightest day first', () => {
    const techs = [technician('busy'), technician('idle')];
    const load = [booking('b1', 'busy', `${MONDAY}T08:00:00Z`, `${MONDAY}T09:00:00Z`)];
    expect(new AvailabilityIndex(request(), techs, load, policy).evaluate(at(`${MONDAY}T14:00:00Z`)).technicianIds).toEqual(['idle', 'busy']);
  });
});

/**
 * The index works on numbered technicians, cursors and a matching formula for speed; this reads
 * the rules the plain way for every slot of random days and expects the same answers: free time
 * straight from `availableTime`/`freeTime`, and the capacity by trying every way to place the
 * waiting (pool) bookings.
 */
describe('the fast index agrees with the rules read slot by slot', () => {
  let seed = 20260302;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

  /** Most jobs the slot can still take while every pool booking that could be placed keeps a technician. */
  function bruteCapacity(pool: readonly string[][], takers: readonly string[]): number {
    let best = -1;
    let bestPlaced = -1;
    const place = (i: number, used: Set<string>, placed: number) => {
      if (i === pool.length) {
        const left = takers.filter((t) => !used.has(t)).length;
        if (placed > bestPlaced || (placed === bestPlaced && left > best)) [bestPlaced, best] = [placed, left];
        return;
      }
      place(i + 1, used, placed);
      for (const t of pool[i]!) if (!used.has(t)) place(i + 1, new Set([...used, t]), placed + 1);
    };
    place(0, new Set(), 0);
    return best;
  }

  it('on 200 random days with breaks, time off, buffers, travel, pool bookings and a named technician', () => {
    for (let trial = 0; trial < 200; trial += 1) {
      const techs = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, k) => {
        const start = 7 * 60 + Math.floor(random() * 4) * 30;
        return technician(`t${k}`, {
          skills: new Map([['plumbing', pick([1, 2, 3])]]),
          work: new Map([[1, [{ start, end: start + 360 + Math.floor(random() * 6) * 30 }]]]),
          breaks: random() < 0.5 ? new Map([[1, [{ start: 720, end: 750 }]]]) : new Map(),
          timeOff: random() < 0.3 ? [span(`${MONDAY}T13:00:00Z`, `${MONDAY}T14:30:00Z`)] : [],
        });
      });
      const service: ServiceNeeds = { ...repair, durationMinutes: pick([30, 60, 90]), bufferMinutes: pick([0, 10]), slotCapacity: random() < 0.2 ? 1 : null };
      const bookings = Array.from({ length: Math.floor(random() * 8) }, (_, i) => {
        const start = at(`${MONDAY}T07:00:00Z`) + Math.floor(random() * 20) * 30 * MINUTE;
        const pooled = random() < 0.5;
        return {
          id: `b${i}`,
          technicianId: pooled ? null : pick(techs).id,
          serviceId: pick([repair.id, 'other']),
          bufferMinutes: pick([0, 15]),
          start,
          end: start + pick([30, 60]) * MINUTE,
          eligibleTechnicianIds: pooled ? new Set(techs.filter(() => random() < 0.8).map((t) => t.id)) : undefined,
        } satisfies HeldBooking;
      });
      const technicianId = random() < 0.3 ? pick(techs).id : undefined;
      const travelMinutes = pick([0, 20]);
      const req = { service, zoneId: 'north', technicianId, from: at(`${MONDAY}T00:00:00Z`), to: at(`${MONDAY}T23:30:00Z`), limit: 100 };
      const index = new AvailabilityIndex(req, techs, bookings, { timeZone: UTC, travelMinutes, slotStepMinutes: 30 });

      const free = new Map(
        techs.map((t) => [t.id, subtract(availableTime(t, MONDAY, MONDAY, UTC), bookings.filter((b) => b.technicianId === t.id).map((b) => blockedBy(b, service.bufferMinutes, travelMinutes)))]),
      );
      const eligible = techs.filter((t) => isEligible(t, service, 'north')).map((t) => t.id);
      const expected: string[] = [];
      for (let start = req.from; start <= req.to; start += 30 * MINUTE) {
        const slot = { start, end: start + service.durationMinutes * MINUTE };
        const freeIds = eligible.filter((id) => holding(free.get(id)!, slot));
        if (technicianId !== undefined && !(eligible.includes(technicianId) && freeIds.includes(technicianId))) continue;
        const pool = bookings
          .filter((b) => b.technicianId === null && overlaps(blockedBy(b, service.bufferMinutes, travelMinutes), slot))
          .map((b) => techs.map((t) => t.id).filter((id) => b.eligibleTechnicianIds!.has(id) && holding(free.get(id)!, b)));
        const capacity = bruteCapacity(pool, technicianId !== undefined ? [technicianId] : freeIds);
        const running = bookings.filter((b) => b.serviceId === service.id && overlaps(b, slot)).length;
        if (capacity >= 1 && (service.slotCapacity === null || running < service.slotCapacity)) expected.push(`${iso(start).slice(11, 16)} ×${capacity}`);
      }
      const found = index.search().map((s) => `${iso(s.start).slice(11, 16)} ×${s.capacityLeft}`);
      expect(found, `trial ${trial}`).toEqual(expected);
      for (const s of expected) {
        const verdict = index.evaluate(at(`${MONDAY}T${s.slice(0, 5)}:00Z`));
        expect(verdict.ok && `${s.slice(0, 5)} ×${verdict.capacityLeft}`, `trial ${trial}`).toBe(s);
      }
    }
  });
});

describe('working hours and recurrence keep local wall-clock time across daylight saving', () => {
  const LONDON = 'Europe/London';

  it('a 08:00–17:00 shift is 08:00Z before the spring change and 07:00Z after it', () => {
    const tech = technician('t1', { work: weekly([0, 1, 5, 6], '08:00', '17:00') });
    expect(show(openTimeOn(tech, '2026-03-28', LONDON))).toEqual(['08:00–17:00']);
    // Sunday 29 March 2026: clocks go forward at 01:00 UTC.
    expect(show(openTimeOn(tech, '2026-03-29', LONDON))).toEqual(['07:00–16:00']);
    expect(show(openTimeOn(tech, '2026-03-30', LONDON))).toEqual(['07:00–16:00']);
  });

  it('a weekly 09:00 series moves its UTC instant, not its local time', () => {
    const starts = recurrenceStarts('2026-03-17', 9 * 60, { frequency: 'weekly', interval: 1, count: 3 }, LONDON);
    expect(starts.map((s) => iso(s.start))).toEqual(['2026-03-17T09:00:00.000Z', '2026-03-24T09:00:00.000Z', '2026-03-31T08:00:00.000Z']);
  });

  it('every 2 weeks across the autumn change in New York', () => {
    const starts = recurrenceStarts('2026-10-27', 14 * 60 + 30, { frequency: 'weekly', interval: 2, count: 2 }, 'America/New_York');
    // EDT (UTC−4) on 27 Oct, EST (UTC−5) on 10 Nov: 14:30 local both times.
    expect(starts.map((s) => iso(s.start))).toEqual(['2026-10-27T18:30:00.000Z', '2026-11-10T19:30:00.000Z']);
  });

  it('monthly on the 31st falls on the last day of shorter months', () => {
    expect(recurrenceDates('2026-01-31', { frequency: 'monthly', interval: 1, count: 4 })).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']);
    expect(recurrenceDates('2026-11-15', { frequency: 'monthly', interval: 2, count: 3 })).toEqual(['2026-11-15', '2027-01-15', '2027-03-15']);
  });

  it('offers each instant once on a spring-forward day, though two wall-clock times map to it', () => {
    // 29 March 2026, London: 01:00–02:00 local does not exist; 01:00 and 02:00 both resolve to 01:00Z.
    const tech = technician('t1', { work: weekly([0], '00:00', '04:00') });
    const index = new AvailabilityIndex(
      { service: { ...repair, durationMinutes: 30 }, zoneId: null, from: at('2026-03-29T00:00:00Z'), to: at('2026-03-29T23:00:00Z'), limit: 20 },
      [tech],
      [],
      { timeZone: LONDON, travelMinutes: 0, slotStepMinutes: 30 },
    );
    const starts = index.search().map((s) => iso(s.start).slice(11, 16));
    expect(starts).toEqual(['00:00', '00:30', '01:00', '01:30', '02:00', '02:30']);
    expect(localDateOf(at('2026-03-29T02:30:00Z'), LONDON)).toBe('2026-03-29');
  });

  it('the slot grid follows local time on the change day', () => {
    const tech = technician('t1', { work: weekly([0], '08:00', '10:00') });
    const index = new AvailabilityIndex(
      { service: repair, zoneId: null, from: at('2026-03-29T00:00:00Z'), to: at('2026-03-29T23:00:00Z'), limit: 5 },
      [tech],
      [],
      { timeZone: LONDON, travelMinutes: 0, slotStepMinutes: 60 },
    );
    expect(index.search().map((s) => iso(s.start))).toEqual(['2026-03-29T07:00:00.000Z', '2026-03-29T08:00:00.000Z']);
  });
});

describe('late cancellation, reminders and states', () => {
  const start = at(`${MONDAY}T10:00:00Z`);

  it('is late inside the notice window and after the start, not before it', () => {
    expect(isLateCancellation(start, start - 25 * HOUR, 24)).toBe(false);
    expect(isLateCancellation(start, start - 24 * HOUR, 24)).toBe(true);
    expect(isLateCancellation(start, start + MINUTE, 24)).toBe(true);
  });

  it('plans a reminder per offset, skipping those before the booking was made', () => {
    const bookedLongAgo = start - 72 * HOUR;
    const plan = reminderPlan(start, bookedLongAgo, start - 3 * HOUR, [2, 24]);
    expect(plan).toEqual([
      { hoursBefore: 24, sendAt: start - 24 * HOUR, state: 'due' },
      { hoursBefore: 2, sendAt: start - 2 * HOUR, state: 'scheduled' },
    ]);
    expect(reminderPlan(start, start - 5 * HOUR, start - 5 * HOUR, [24, 2]).map((r) => r.hoursBefore)).toEqual([2]);
    expect(reminderPlan(start, bookedLongAgo, start, [24, 2])).toEqual([]);
  });

  it('moves requested → confirmed → rescheduled → completed, and nothing leaves a closed state', () => {
    expect(nextStatus('requested', 'confirm')).toBe('confirmed');
    expect(nextStatus('requested', 'reschedule')).toBe('requested');
    expect(nextStatus('confirmed', 'reschedule')).toBe('rescheduled');
    expect(nextStatus('rescheduled', 'complete')).toBe('completed');
    expect(nextStatus('confirmed', 'confirm')).toBeNull();
    for (const closed of ['completed', 'cancelled', 'no_show'] as const) expect(allowedActions(closed)).toEqual([]);
  });
});
