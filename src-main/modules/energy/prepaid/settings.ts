import { z } from 'zod';
import { defineSetting } from '../../../core/settings/settings';

/* Prepaid limits: the counter refuses what exceeds them. */

export const dailyVendLimit = defineSetting({
  key: 'prepaid.dailyVendLimit',
  schema: z.number().int().min(1),
  defaultValue: 300_000,
  description: 'Most an account may buy in one branch day (minor units), unless the account has its own limit.',
});
export const minimumVend = defineSetting({
  key: 'prepaid.minimumVend',
  schema: z.number().int().min(1),
  defaultValue: 1000,
  description: 'Smallest vend the counter sells (minor units).',
});
export const emergencyLimit = defineSetting({
  key: 'prepaid.emergencyLimit',
  schema: z.number().int().min(0),
  defaultValue: 2500,
  description: 'Most emergency credit an account may have outstanding (minor units); recovered in full from its next vend.',
});
export const lowCreditDays = defineSetting({
  key: 'prepaid.lowCreditDays',
  schema: z.number().min(0).max(60),
  defaultValue: 5,
  description: 'An account estimated to run out of credit within this many days is on the low-credit list.',
});

