import { z } from 'zod';
import { defineSetting } from '../settings/settings';

export const sessionHours = defineSetting({
  key: 'auth.sessionHours',
  schema: z.number().int().min(1).max(24),
  defaultValue: 12,
  description: 'A session ends this many hours after sign-in, however active (one working day).',
});

export const idleMinutes = defineSetting({
  key: 'auth.idleMinutes',
  schema: z.number().int().min(5).max(24 * 60),
  defaultValue: 240,
  description: 'A session ends after this many minutes without any call.',
});

export const maxFailedLogins = defineSetting({
  key: 'auth.maxFailedLogins',
  schema: z.number().int().min(3).max(20),
  defaultValue: 5,
  description: 'Failed sign-ins in a row before the account locks.',
});

export const lockoutMinutes = defineSetting({
  key: 'auth.lockoutMinutes',
  schema: z.number().int().min(1).max(24 * 60),
  defaultValue: 15,
  description: 'How long a locked account stays locked (an administrator can unlock it sooner).',
});
