import { z } from 'zod';
import { defineSetting, type Settings } from '../../../core/settings/settings';
import type { SlaHours } from './rules';

export const averageSpeedKmh = defineSetting({
  key: 'homeServices.dispatch.averageSpeedKmh',
  schema: z.number().min(5).max(120),
  defaultValue: 30,
  description: 'Average driving speed used to turn straight-line distance into travel minutes for suggestions.',
});

/** OCA field-service's published deadlines: 72 / 48 / 24 / 8 hours. */
export const slaHours = defineSetting({
  key: 'homeServices.dispatch.slaHours',
  schema: z.strictObject({
    low: z.number().min(1).max(24 * 30),
    normal: z.number().min(1).max(24 * 30),
    high: z.number().min(1).max(24 * 30),
    urgent: z.number().min(1).max(24 * 30),
  }),
  defaultValue: { low: 72, normal: 48, high: 24, urgent: 8 },
  description: 'Hours from the request until a technician must be on site, per priority (a later slot the customer chose moves the deadline to that slot’s start plus the arrival tolerance).',
});

export const arrivalToleranceMinutes = defineSetting({
  key: 'homeServices.dispatch.arrivalToleranceMinutes',
  schema: z.number().int().min(0).max(24 * 60),
  defaultValue: 30,
  description: 'For a slot the customer chose later than the priority requires, the technician must be on site within this many minutes of its start.',
});

export const atRiskMinutes = defineSetting({
  key: 'homeServices.dispatch.atRiskMinutes',
  schema: z.number().int().min(0).max(24 * 60),
  defaultValue: 60,
  description: 'An open job this close to its SLA deadline shows as at risk on the board.',
});

export interface DispatchSettings {
  averageSpeedKmh: number;
  slaHours: SlaHours;
  arrivalToleranceMinutes: number;
  atRiskMinutes: number;
}

export const dispatchSettings = (settings: Settings): DispatchSettings => ({
  averageSpeedKmh: settings.get(averageSpeedKmh),
  slaHours: settings.get(slaHours),
  arrivalToleranceMinutes: settings.get(arrivalToleranceMinutes),
  atRiskMinutes: settings.get(atRiskMinutes),
});
