import { z } from 'zod';
import { defineSetting } from '../../../core/settings/settings';

/* Thresholds and rates of equipment maintenance. Money in minor units (cents). */

export const closeApprovalThreshold = defineSetting({
  key: 'maintenance.closeApprovalThreshold',
  schema: z.number().int().nonnegative(),
  defaultValue: 500_000,
  description: 'Closing a work order whose total cost (labour + parts, minor units) is above this needs a second person’s approval.',
});

export const labourRate = defineSetting({
  key: 'maintenance.labourRate',
  schema: z.number().int().nonnegative(),
  defaultValue: 35_000,
  description: 'Labour cost per hour booked on work orders, in minor units. Hours keep the rate of the day they were booked.',
});

export const pmHorizonDays = defineSetting({
  key: 'maintenance.pmHorizonDays',
  schema: z.number().int().min(0).max(365),
  defaultValue: 14,
  description: 'The preventive generator creates the work orders falling due within this many days.',
});

export const usageRateWindowDays = defineSetting({
  key: 'maintenance.usageRateWindowDays',
  schema: z.number().int().min(7).max(730),
  defaultValue: 90,
  description: 'Usage readings of this many past days give the rate usage-based schedules are projected with.',
});
