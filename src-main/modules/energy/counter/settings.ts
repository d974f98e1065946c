import { z } from 'zod';
import { defineSetting } from '../../../core/settings/settings';

export const varianceThreshold = defineSetting({
  key: 'counter.varianceThreshold',
  schema: z.number().int().min(0),
  defaultValue: 500,
  description:
    'Closing a shift whose counted money differs from expected by more than this (minor units, summed over tenders without netting) needs a supervisor’s approval.',
});
