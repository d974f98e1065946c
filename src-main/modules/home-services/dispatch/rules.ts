import type { Priority } from '../../../../src-shared/contracts/home-services/common';
import type { JobState, SlaStatus } from '../../../../src-shared/contracts/home-services/dispatch';
import { missingSkills, coversZone, type RequiredSkill } from '../scheduling/rules';
import { HOUR, MINUTE, lengthOf, overlaps, type Interval } from '../time';

/**
 * Pure dispatch rules: straight-line travel, eligibility and the suggestion score that explains
 * itself, the SLA deadline by priority, and the job state machine. Day capacity is counted in
 * hours (working time after breaks and time off), not in number of jobs.
 */

export interface Point {
  lat: number;
  lng: number;
}

const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in km (haversine): good to a few metres at city scale. */
export function distanceKm(a: Point, b: Point): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Minutes to drive `km` at an average speed, rounded up: a straight line under-estimates roads. */
export const travelMinutes = (km: number, averageSpeedKmh: number): number => Math.ceil((km / averageSpeedKmh) * 60);

/* ---------------- SLA ---------------- */

export type SlaHours = Record<Priority, number>;

/**
 * The SLA deadline for the technician to be on site: the request time plus the priority's hours
 * (OCA field-service: 72 / 48 / 24 / 8), or — when the customer chose a later slot — the booked
 * start plus the arrival tolerance: the promise is then to turn up when agreed.
 */
export function slaDueAt(requestedAt: number, priority: Priority, hours: SlaHours, windowStart: number, toleranceMinutes: number): number {
  return Math.max(requestedAt + hours[priority] * HOUR, windowStart + toleranceMinutes * MINUTE);
}

/** Met when the technician was on site by the deadline; breached when later, or not there and the deadline passed. */
export function slaStatus(dueAt: number, onSiteAt: number | null, now: number, atRiskMinutes: number, closed = false): SlaStatus {
  if (onSiteAt !== null) return onSiteAt <= dueAt ? 'met' : 'breached';
  // A cancelled job owes nothing; it counts as met so it never shows as an exception.
  if (closed) return 'met';
  if (now > dueAt) return 'breached';
  return now > dueAt - atRiskMinutes * MINUTE ? 'at_risk' : 'open';
}

/* ---------------- job states ---------------- */

export type JobAction = 'assign' | 'reassign' | 'unassign' | 'startTravel' | 'checkIn' | 'checkOut' | 'cancel';

const NEXT: Record<JobState, Partial<Record<JobAction, JobState>>> = {
  unassigned: { assign: 'assigned', cancel: 'cancelled' },
  assigned: { reassign: 'assigned', unassign: 'unassigned', startTravel: 'en_route', checkIn: 'on_site', cancel: 'cancelled' },
  en_route: { reassign: 'assigned', unassign: 'unassigned', checkIn: 'on_site', cancel: 'cancelled' },
  on_site: { checkOut: 'completed' },
  completed: {},
  cancelled: {},
};

export const nextJobState = (current: JobState, action: JobAction): JobState | null => NEXT[current][action] ?? null;

/* ---------------- suggestions ---------------- */

export interface DispatchJob extends Interval {
  id: string;
  durationMinutes: number;
  bufferMinutes: number;
  requiredSkills: readonly RequiredSkill[];
  zoneId: string | null;
  zoneCode: string | null;
  location: Point | null;
}

export interface DayJob extends Interval {
  id: string;
  label: string;
  bufferMinutes: number;
  location: Point | null;
}

export interface TechnicianDay {
  id: string;
  name: string;
  skills: ReadonlyMap<string, number>;
  zoneIds: ReadonlySet<string>;
  home: Point | null;
  /** Working time on the job's day after breaks and time off. */
  open: readonly Interval[];
  /** Their other open jobs that day. */
  jobs: readonly DayJob[];
}

export interface DispatchPolicy {
  averageSpeedKmh: number;
  /** Used when a leg has no coordinates to measure. */
  fallbackTravelMinutes: number;
  formatTime(instant: number): string;
}

export interface Suggestion {
  technicianId: string;
  technicianName: string;
  eligible: boolean;
  rank: number | null;
  score: number | null;
  latenessMinutes: number | null;
  travelMinutes: number | null;
  distanceKm: number | null;
  bookedMinutes: number;
  capacityMinutes: number;
  reasons: string[];
  blockers: string[];
}

const hours = (minutes: number) => `${(minutes / 60).toFixed(1)} h`;

/**
 * Score: lateness dominates, then the work already on the technician's day (spreading the load),
 * then travel. Lower is better; the parts are weighted so no amount of a later part outweighs one
 * minute of an earlier one within a working day.
 */
export const scoreOf = (latenessMinutes: number, bookedMinutes: number, travel: number): number =>
  latenessMinutes * 1_000_000 + bookedMinutes * 1_000 + Math.min(travel, 999);

function assess(job: DispatchJob, tech: TechnicianDay, policy: DispatchPolicy): Suggestion {
  const blockers: string[] = [];
  const reasons: string[] = [];
  const capacityMinutes = Math.round(lengthOf(tech.open) / MINUTE);
  const others = tech.jobs.filter((j) => j.id !== job.id).sort((a, b) => a.start - b.start);
  const bookedMinutes = Math.round(lengthOf(others) / MINUTE);
  const base = { technicianId: tech.id, technicianName: tech.name, bookedMinutes, capacityMinutes };

  const missing = missingSkills(tech.skills, job.requiredSkills);
  for (const m of missing) {
    const has = tech.skills.get(m.skill);
    blockers.push(has ? `Skill ${m.skill} at level ${has}; the service needs ${m.minLevel}` : `Lacks the skill ${m.skill}`);
  }
  if (missing.length === 0 && job.requiredSkills.length > 0) {
    reasons.push(`Skills cover the service (${job.requiredSkills.map((r) => `${r.skill} ${tech.skills.get(r.skill)}≥${r.minLevel}`).join(', ')})`);
  }
  if (!coversZone(tech.zoneIds, job.zoneId)) blockers.push(`Does not cover zone ${job.zoneCode ?? ''}`.trim());
  else if (job.zoneCode) reasons.push(`Covers zone ${job.zoneCode}`);

  if (capacityMinutes === 0) blockers.push('Not working that day');
  else {
    const left = capacityMinutes - bookedMinutes;
    if (left < job.durationMinutes) blockers.push(`Only ${hours(Math.max(0, left))} left that day; the job needs ${hours(job.durationMinutes)}`);
    else reasons.push(`${hours(bookedMinutes)} booked of ${hours(capacityMinutes)}; ${hours(left)} left`);
  }

  const clash = others.find((o) => overlaps(o, job));
  if (clash) blockers.push(`Already has ${clash.label} at ${policy.formatTime(clash.start)}–${policy.formatTime(clash.end)}`);

  // Where they come from: the job before this one that day, else their home base.
  const previous = [...others].reverse().find((o) => o.end <= job.start);
  const origin = previous ? previous.location : tech.home;
  let travel: number;
  let km: number | null = null;
  if (origin && job.location) {
    km = distanceKm(origin, job.location);
    travel = travelMinutes(km, policy.averageSpeedKmh);
    reasons.push(`${km.toFixed(1)} km from ${previous ? previous.label : 'home base'} ≈ ${travel} min at ${policy.averageSpeedKmh} km/h`);
  } else {
    travel = policy.fallbackTravelMinutes;
    reasons.push(`No coordinates to measure travel; ${travel} min allowed`);
  }

  // Lateness: when they could be there, against the booked start.
  const window = tech.open.find((o) => o.start <= job.start && job.start < o.end) ?? tech.open.find((o) => o.start > job.start);
  // Travel from home to the day's first job happens before the shift, so only a previous job can make them late.
  const readyAt = previous
    ? previous.end + (previous.bufferMinutes + travel) * MINUTE
    : Math.max(job.start, window?.start ?? job.start);
  const lateness = Math.max(0, Math.ceil((readyAt - job.start) / MINUTE));
  const startAt = job.start + lateness * MINUTE;
  const endAt = startAt + job.durationMinutes * MINUTE;
  if (capacityMinutes > 0 && !tech.open.some((o) => o.start <= startAt && endAt <= o.end)) {
    blockers.push(`Outside working time at ${policy.formatTime(startAt)}–${policy.formatTime(endAt)} (shift end, break or time off)`);
  }
  const next = others.find((o) => o.start >= job.start && !overlaps(o, job));
  if (next && !clash && endAt + job.bufferMinutes * MINUTE > next.start) {
    blockers.push(`Would run into ${next.label} at ${policy.formatTime(next.start)}`);
  }

  if (blockers.length > 0) {
    return { ...base, eligible: false, rank: null, score: null, latenessMinutes: null, travelMinutes: travel, distanceKm: km, reasons, blockers };
  }
  reasons.unshift(lateness === 0 ? 'On time' : `Arrives about ${lateness} min late`);
  return {
    ...base,
    eligible: true,
    rank: null,
    score: scoreOf(lateness, bookedMinutes, travel),
    latenessMinutes: lateness,
    travelMinutes: travel,
    distanceKm: km === null ? null : Math.round(km * 10) / 10,
    reasons,
    blockers,
  };
}

/** Every technician, the eligible ones ranked by score (1 = the suggestion), then the others. */
export function suggestTechnicians(job: DispatchJob, technicians: readonly TechnicianDay[], policy: DispatchPolicy): Suggestion[] {
  const assessed = technicians.map((t) => assess(job, t, policy));
  const eligible = assessed
    .filter((s) => s.eligible)
    .sort((a, b) => a.score! - b.score! || a.technicianName.localeCompare(b.technicianName))
    .map((s, i) => ({ ...s, rank: i + 1 }));
  const others = assessed.filter((s) => !s.eligible).sort((a, b) => a.blockers.length - b.blockers.length || a.technicianName.localeCompare(b.technicianName));
  return [...eligible, ...others];
}
