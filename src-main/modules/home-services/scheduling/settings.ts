import { z } from 'zod';
import { defineSetting, type Settings } from '../../../core/settings/settings';

export const minNoticeMinutes = defineSetting({
  key: 'homeServices.scheduling.minNoticeMinutes',
  schema: z.number().int().min(0).max(14 * 24 * 60),
  defaultValue: 120,
  description: 'Appointments must start at least this many minutes after they are booked.',
});

export const horizonDays = defineSetting({
  key: 'homeServices.scheduling.horizonDays',
  schema: z.number().int().min(1).max(730),
  defaultValue: 90,
  description: 'Appointments can be booked at most this many days ahead.',
});

export const slotStepMinutes = defineSetting({
  key: 'homeServices.scheduling.slotStepMinutes',
  schema: z.number().int().refine((m) => [5, 10, 15, 20, 30, 60].includes(m), 'Use 5, 10, 15, 20, 30 or 60'),
  defaultValue: 30,
  description: 'Offered start times are this many minutes apart (from local midnight).',
});

export const travelAllowanceMinutes = defineSetting({
  key: 'homeServices.scheduling.travelMinutes',
  schema: z.number().int().min(0).max(240),
  defaultValue: 20,
  description: 'Travel time kept free between two jobs of one technician when offering slots.',
});

export const lateCancelHours = defineSetting({
  key: 'homeServices.scheduling.lateCancelHours',
  schema: z.number().int().min(0).max(14 * 24),
  defaultValue: 24,
  description: 'A cancellation this many hours or less before the start is late (a session or a fee may be charged).',
});

export const reminderHours = defineSetting({
  key: 'homeServices.scheduling.reminderHours',
  schema: z.array(z.number().int().min(1).max(14 * 24)).max(5),
  defaultValue: [24, 2],
  description: 'Reminders go out this many hours before each appointment.',
});

export interface SchedulingSettings {
  minNoticeMinutes: number;
  horizonDays: number;
  slotStepMinutes: number;
  travelMinutes: number;
  lateCancelHours: number;
  reminderHours: number[];
}

export const schedulingSettings = (settings: Settings): SchedulingSettings => ({
  minNoticeMinutes: settings.get(minNoticeMinutes),
  horizonDays: settings.get(horizonDays),
  slotStepMinutes: settings.get(slotStepMinutes),
  travelMinutes: settings.get(travelAllowanceMinutes),
  lateCancelHours: settings.get(lateCancelHours),
  reminderHours: settings.get(reminderHours),
});
