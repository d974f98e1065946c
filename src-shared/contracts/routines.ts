import { z } from 'zod';
import { allow, mutation, query } from '../rpc';

/**
 * Background routines: periodic domain work (preventive work orders, missed visits, subscription
 * billing) the app runs by itself while it is open, each through the pipeline as a real user.
 * Administrators see when each last ran and how it went, and can run one now.
 */
export const ROUTINE_OUTCOMES = ['ok', 'failed', 'skipped'] as const;
export type RoutineOutcome = (typeof ROUTINE_OUTCOMES)[number];

export const routineSchema = z.object({
  name: z.string(),
  label: z.string(),
  description: z.string(),
  /** The procedure each run dispatches. */
  procedure: z.string(),
  /** The permission a user needs for the routine to run as them, e.g. `energy.maintenance:create`. */
  permission: z.string().nullable(),
  /** "Every 15 minutes", "Daily at 01:00 (branch time)". */
  cadence: z.string(),
  enabled: z.boolean(),
  /** The setting that switches it on or off (on the settings screen). */
  enabledSetting: z.string().nullable(),
  /** Who a scheduled run would run as now; null when no active user holds the permission. */
  runsAs: z.object({ userId: z.string(), displayName: z.string() }).nullable(),
  lastAttemptAt: z.string().nullable(),
  lastRunAt: z.string().nullable(),
  outcome: z.enum(ROUTINE_OUTCOMES).nullable(),
  message: z.string().nullable(),
  lastRunAsName: z.string().nullable(),
  /** The job the last run started, with its state, for routines whose procedure starts one. */
  job: z.object({ id: z.string(), state: z.string(), error: z.string().nullable() }).nullable(),
  /** When the scheduler next runs it (null while it is switched off). */
  nextDueAt: z.string().nullable(),
  /** A pending "Run now". */
  requestedAt: z.string().nullable(),
  requestedByName: z.string().nullable(),
});
export type Routine = z.infer<typeof routineSchema>;

export const routinesList = query({
  name: 'system.routines.list',
  description: 'The background routines: cadence, whether on, who they run as, when each last ran and how it went, when each runs next.',
  access: allow('jobs', 'view'),
  input: z.strictObject({}),
  output: z.array(routineSchema),
});

export const routinesRunNow = mutation({
  name: 'system.routines.runNow',
  description:
    'Ask for a routine to run now, as you (you need its procedure’s permission too). The running app picks it up within moments; a closed one at its next start.',
  access: allow('jobs', 'admin'),
  input: z.strictObject({ name: z.string().trim().min(1).max(80) }),
  output: routineSchema,
});

export const routineContracts = [routinesList, routinesRunNow] as const;
