import type { GeofenceLevel } from '../../../../src-shared/contracts/home-services/visits';
import { distanceKm, type Point } from '../dispatch/rules';
import { MINUTE } from '../time';

/**
 * Pure visit rules: geofence verification levels, the six EVV elements, missed-visit detection.
 */

export interface Fix extends Point {
  accuracyM: number;
}

export interface GeofenceResult {
  level: GeofenceLevel;
  distanceM: number | null;
  explanation: string;
}

export interface GeofencePolicy {
  radiusM: number;
  /** The most GPS inaccuracy credited: a fix claiming ±2 km does not stretch the fence by 2 km. */
  toleranceM: number;
}

/**
 * Within the radius of the customer's coordinates: verified. Within radius + the fix's accuracy
 * (capped at the tolerance): warning — the device may have been at the door. Beyond, or without a
 * fix: exception. A customer without stored coordinates cannot be verified: warning.
 */
export function geofence(customer: Point | null, fix: Fix | null, policy: GeofencePolicy): GeofenceResult {
  if (!fix) return { level: 'exception', distanceM: null, explanation: 'No location was recorded' };
  if (!customer) return { level: 'warning', distanceM: null, explanation: 'The customer has no stored coordinates to check against' };
  const distanceM = Math.round(distanceKm(customer, fix) * 1000);
  const slack = Math.min(fix.accuracyM, policy.toleranceM);
  if (distanceM <= policy.radiusM) {
    return { level: 'verified', distanceM, explanation: `${distanceM} m from the address, inside the ${policy.radiusM} m radius` };
  }
  if (distanceM <= policy.radiusM + slack) {
    return {
      level: 'warning',
      distanceM,
      explanation: `${distanceM} m from the address: outside the ${policy.radiusM} m radius but within the GPS accuracy of ±${Math.round(fix.accuracyM)} m`,
    };
  }
  return {
    level: 'exception',
    distanceM,
    explanation: `${distanceM} m from the address: beyond the ${policy.radiusM} m radius${slack > 0 ? ` and ±${Math.round(slack)} m accuracy` : ''}`,
  };
}

const SEVERITY: Record<GeofenceLevel, number> = { verified: 0, warning: 1, exception: 2 };

/** A visit is as verified as its weakest checkpoint. */
export const worstLevel = (...levels: (GeofenceLevel | null | undefined)[]): GeofenceLevel =>
  levels.reduce<GeofenceLevel>((worst, l) => (l && SEVERITY[l] > SEVERITY[worst] ? l : worst), 'verified');

export interface EvvFacts {
  serviceType: string | null;
  recipient: string | null;
  provider: string | null;
  date: string | null;
  location: string | null;
  startTime: string | null;
  endTime: string | null;
}

export const EVV_ELEMENT_LABELS: Record<keyof EvvFacts, string> = {
  serviceType: 'Service type',
  recipient: 'Recipient',
  provider: 'Provider',
  date: 'Date',
  location: 'Location',
  startTime: 'Start time',
  endTime: 'End time',
};

/** The EVV elements still missing (service type, recipient, provider, date, location, start/end time). */
export const missingEvv = (facts: EvvFacts): string[] =>
  (Object.keys(EVV_ELEMENT_LABELS) as (keyof EvvFacts)[]).filter((k) => !facts[k]).map((k) => EVV_ELEMENT_LABELS[k]);

/**
 * Missed: a visit still expected (booking active, nobody checked in) whose window ended more than
 * the grace period ago.
 */
export function isMissed(visit: { windowEnd: number; active: boolean; checkedIn: boolean }, now: number, graceMinutes: number): boolean {
  return visit.active && !visit.checkedIn && now > visit.windowEnd + graceMinutes * MINUTE;
}

/** Whole minutes between check-in and check-out. */
export const minutesBetween = (from: number, to: number): number => Math.round((to - from) / MINUTE);
