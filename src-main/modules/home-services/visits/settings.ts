import { z } from 'zod';
import { defineSetting, type Settings } from '../../../core/settings/settings';

export const geofenceRadiusM = defineSetting({
  key: 'homeServices.visits.geofenceRadiusM',
  schema: z.number().int().min(10).max(5000),
  defaultValue: 150,
  description: 'A check-in or check-out within this many metres of the customer’s coordinates is verified.',
});

export const geofenceToleranceM = defineSetting({
  key: 'homeServices.visits.geofenceToleranceM',
  schema: z.number().int().min(0).max(5000),
  defaultValue: 100,
  description: 'Beyond the radius, up to this much of the device’s GPS accuracy is credited (a warning, not an exception).',
});

export const missedGraceMinutes = defineSetting({
  key: 'homeServices.visits.missedGraceMinutes',
  schema: z.number().int().min(0).max(24 * 60),
  defaultValue: 30,
  description: 'A scheduled visit with no check-in this many minutes after its window ends is missed.',
});

export const earlyCheckInHours = defineSetting({
  key: 'homeServices.visits.earlyCheckInHours',
  schema: z.number().int().min(0).max(24 * 14),
  defaultValue: 3,
  description: 'A check-in more than this many hours before the booked start is refused (it is another day’s visit).',
});

export interface VisitSettings {
  radiusM: number;
  toleranceM: number;
  graceMinutes: number;
  earlyCheckInHours: number;
}

export const visitSettings = (settings: Settings): VisitSettings => ({
  radiusM: settings.get(geofenceRadiusM),
  toleranceM: settings.get(geofenceToleranceM),
  graceMinutes: settings.get(missedGraceMinutes),
  earlyCheckInHours: settings.get(earlyCheckInHours),
});
