import { z } from 'zod';
import { defineSetting, type Settings } from '../../../core/settings/settings';
import type { DunningOffsets } from './rules';

export const paymentTermsDays = defineSetting({
  key: 'homeServices.subscriptions.paymentTermsDays',
  schema: z.number().int().min(0).max(90),
  defaultValue: 7,
  description: 'Days after an invoice is issued that it falls due. The dunning ladder counts from the due date.',
});

export const dunningOffsets = defineSetting({
  key: 'homeServices.subscriptions.dunningOffsets',
  schema: z
    .strictObject({
      reminder: z.number().int().min(0).max(365),
      warning: z.number().int().min(0).max(365),
      suspended: z.number().int().min(0).max(365),
      cancelled: z.number().int().min(0).max(730),
    })
    .refine((o) => o.reminder < o.warning && o.warning < o.suspended && o.suspended < o.cancelled, 'Each step must come after the one before'),
  defaultValue: { reminder: 1, warning: 7, suspended: 14, cancelled: 30 },
  description:
    'Days past an invoice’s due date at which each dunning step is due: a reminder, a warning (plan changes blocked), service suspended, and the subscription cancelled.',
});

export const dunningLadder = (settings: Settings): DunningOffsets => settings.get(dunningOffsets);
