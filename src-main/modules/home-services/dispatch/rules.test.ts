import { describe, expect, it } from 'vitest';
import { HOUR, iso, ms, type Interval } from '../time';
import { distanceKm, nextJobState, scoreOf, slaDueAt, slaStatus, suggestTechnicians, travelMinutes, type DispatchJob, type TechnicianDay } from './rules';

const span = (start: string, end: string): Interval => ({ start: ms(`2026-03-02T${start}:00Z`), end: ms(`2026-03-02T${end}:00Z`) });
const policy = { averageSpeedKmh: 30, fallbackTravelMinutes: 20, formatTime: (t: number) => iso(t).slice(11, 16) };

// Johannesburg-ish coordinates: about 1.1 km per 0.01° of latitude.
const CUSTOMER = { lat: -26.1, lng: 28.0 };

const job: DispatchJob = {
  id: 'job',
  ...span('10:00', '11:00'),
  durationMinutes: 60,
  bufferMinutes: 0,
  requiredSkills: [{ skill: 'plumbing', minLevel: 2 }],
  zoneId: 'north',
  zoneCode: 'N',
  location: CUSTOMER,
};

function tech(id: string, overrides: Partial<TechnicianDay> = {}): TechnicianDay {
  return {
    id,
    name: id,
    skills: new Map([['plumbing', 3]]),
    zoneIds: new Set(['north']),
    home: { lat: -26.12, lng: 28.0 },
    open: [span('08:00', '17:00')],
    jobs: [],
    ...overrides,
  };
}

describe('travel', () => {
  it('measures straight-line distance and drives it at the average speed, rounded up', () => {
    const km = distanceKm({ lat: -26.1, lng: 28.0 }, { lat: -26.2, lng: 28.0 });
    expect(km).toBeCloseTo(11.12, 1);
    expect(travelMinutes(km, 30)).toBe(23);
    expect(travelMinutes(0, 30)).toBe(0);
  });
});

describe('SLA by priority', () => {
  const hours = { low: 72, normal: 48, high: 24, urgent: 8 };
  const requested = ms('2026-03-02T08:00:00Z');

  it('is the request plus the priority’s hours, or the chosen later slot’s start plus the arrival tolerance', () => {
    expect(iso(slaDueAt(requested, 'urgent', hours, requested + 3 * HOUR, 30))).toBe('2026-03-02T16:00:00.000Z');
    expect(iso(slaDueAt(requested, 'urgent', hours, requested + 30 * HOUR, 30))).toBe('2026-03-03T14:30:00.000Z');
  });

  it('is met when on site by the deadline, breached when later or not there once it passed, at risk just before', () => {
    const due = ms('2026-03-02T16:00:00Z');
    expect(slaStatus(due, due, due + HOUR, 60)).toBe('met');
    expect(slaStatus(due, due + 1, due, 60)).toBe('breached');
    expect(slaStatus(due, null, due + 1, 60)).toBe('breached');
    expect(slaStatus(due, null, due - 30 * 60_000, 60)).toBe('at_risk');
    expect(slaStatus(due, null, due - 2 * HOUR, 60)).toBe('open');
    expect(slaStatus(due, null, due + HOUR, 60, true)).toBe('met');
  });
});

describe('job states', () => {
  it('goes unassigned → assigned → en route → on site → completed, reassignment keeps it assigned', () => {
    expect(nextJobState('unassigned', 'assign')).toBe('assigned');
    expect(nextJobState('assigned', 'startTravel')).toBe('en_route');
    expect(nextJobState('en_route', 'checkIn')).toBe('on_site');
    expect(nextJobState('on_site', 'checkOut')).toBe('completed');
    expect(nextJobState('en_route', 'reassign')).toBe('assigned');
    expect(nextJobState('assigned', 'unassign')).toBe('unassigned');
  });

  it('refuses skipping the assignment, or touching a finished job', () => {
    expect(nextJobState('unassigned', 'checkIn')).toBeNull();
    expect(nextJobState('on_site', 'reassign')).toBeNull();
    expect(nextJobState('completed', 'cancel')).toBeNull();
  });
});

describe('suggestions explain themselves', () => {
  it('ranks by lateness first, then work already assigned, then travel', () => {
    expect(scoreOf(1, 0, 0)).toBeGreaterThan(scoreOf(0, 480, 999));
    expect(scoreOf(0, 1, 0)).toBeGreaterThan(scoreOf(0, 0, 999));
    const near = tech('near', { home: { lat: -26.101, lng: 28.0 } });
    const far = tech('far', { home: { lat: -26.3, lng: 28.0 } });
    const loaded = tech('loaded', { home: CUSTOMER, jobs: [{ id: 'x', label: 'BK-000001', ...span('14:00', '16:00'), bufferMinutes: 0, location: CUSTOMER }] });
    // Busy until 09:50 across town: arrives late.
    const late = tech('late', { jobs: [{ id: 'y', label: 'BK-000002', ...span('08:50', '09:50'), bufferMinutes: 0, location: { lat: -26.2, lng: 28.0 } }] });
    const ranked = suggestTechnicians(job, [far, late, loaded, near], policy);
    expect(ranked.map((s) => [s.technicianId, s.rank])).toEqual([
      ['near', 1],
      ['far', 2],
      ['loaded', 3],
      ['late', 4],
    ]);
    const best = ranked[0]!;
    expect(best.reasons[0]).toBe('On time');
    expect(best.reasons).toContain('Covers zone N');
    expect(best.reasons.some((r) => r.startsWith('0.1 km from home base'))).toBe(true);
    expect(best.reasons).toContain('0.0 h booked of 9.0 h; 9.0 h left');
    const lateOne = ranked.find((s) => s.technicianId === 'late')!;
    expect(lateOne.latenessMinutes).toBe(13);
    expect(lateOne.reasons[0]).toBe('Arrives about 13 min late');
  });

  it('lists why the others cannot take it: skills, zone, day off, capacity in hours, clashes, shift end', () => {
    const ranked = suggestTechnicians(
      job,
      [
        tech('trainee', { skills: new Map([['plumbing', 1]]) }),
        tech('electrician', { skills: new Map([['electrical', 4]]) }),
        tech('south', { zoneIds: new Set(['south']) }),
        tech('off', { open: [] }),
        // An early job that started before the shift (overtime) still counts against the day's hours.
        tech('full', {
          open: [span('08:00', '12:00')],
          jobs: [
            { id: 'a', label: 'BK-1', ...span('07:00', '09:30'), bufferMinutes: 0, location: null },
            { id: 'b', label: 'BK-2', ...span('11:00', '12:00'), bufferMinutes: 0, location: null },
          ],
        }),
        tech('clash', { jobs: [{ id: 'c', label: 'BK-3', ...span('10:30', '11:30'), bufferMinutes: 0, location: null }] }),
        tech('early-finish', { open: [span('08:00', '10:30')] }),
      ],
      policy,
    );
    const blockers = Object.fromEntries(ranked.map((s) => [s.technicianId, s.blockers]));
    expect(ranked.every((s) => !s.eligible && s.rank === null)).toBe(true);
    expect(blockers.trainee).toEqual(['Skill plumbing at level 1; the service needs 2']);
    expect(blockers.electrician).toEqual(['Lacks the skill plumbing']);
    expect(blockers.south).toEqual(['Does not cover zone N']);
    expect(blockers.off).toEqual(['Not working that day']);
    expect(blockers.full).toEqual(['Only 0.5 h left that day; the job needs 1.0 h']);
    expect(blockers.clash).toEqual(['Already has BK-3 at 10:30–11:30']);
    expect(blockers['early-finish']).toEqual(['Outside working time at 10:00–11:00 (shift end, break or time off)']);
  });

  it('counts capacity in hours, not in jobs', () => {
    const day = tech('short-day', { open: [span('08:00', '10:30'), span('10:45', '11:30')] });
    const [only] = suggestTechnicians({ ...job, ...span('08:30', '10:30'), durationMinutes: 120 }, [
      { ...day, jobs: [{ id: 'a', label: 'BK-1', ...span('10:45', '11:30'), bufferMinutes: 0, location: null }] },
    ], policy);
    // 3.25 h of working time, 0.75 h booked: 2.5 h left is enough for a 2 h job.
    expect(only!.eligible).toBe(true);
    expect(only!.reasons).toContain('0.8 h booked of 3.3 h; 2.5 h left');
  });
});
