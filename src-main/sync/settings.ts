import { z } from 'zod';
import { defineSetting } from '../core/settings/settings';

export const syncIntervalMinutes = defineSetting({
  key: 'sync.intervalMinutes',
  schema: z.number().int().min(1).max(24 * 60),
  defaultValue: 5,
  description: 'How often the branch uploads its journal to HQ and downloads master data, when nothing fails.',
});

export const clockDriftWarningSeconds = defineSetting({
  key: 'sync.clockDriftWarningSeconds',
  schema: z.number().int().min(5).max(24 * 3600),
  defaultValue: 120,
  description: 'Warn on the Sync screen when this computer’s clock and HQ’s differ by more than this (sync goes on regardless).',
});
