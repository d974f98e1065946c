import { z } from 'zod';
import { defineSetting, type Settings } from '../../../core/settings/settings';
import type { VeeSettings } from './rules';

/*
 * VEE thresholds. The defaults are Oracle CC&B's published high/low factors; a utility that uses
 * SAP-style tolerance bands sets 0.6 / 1.7 (−40% / +70%) instead.
 */

export const lowFactor = defineSetting({
  key: 'vee.lowFactor',
  schema: z.number().min(0).max(1),
  defaultValue: 0.5,
  description: 'A read is LOW when its consumption is below expected × this factor.',
});

export const highFactor = defineSetting({
  key: 'vee.highFactor',
  schema: z.number().min(1).max(100),
  defaultValue: 2.0,
  description: 'A read is HIGH when its consumption is above expected × this factor.',
});

export const maxConsecutiveEstimates = defineSetting({
  key: 'vee.maxConsecutiveEstimates',
  schema: z.number().int().min(0).max(24),
  defaultValue: 3,
  description: 'Estimated reads allowed in a row on one meter before the next estimate is an exception.',
});

export const veeSettings = (settings: Settings): VeeSettings => settings.getGroup({ lowFactor, highFactor, maxConsecutiveEstimates });
