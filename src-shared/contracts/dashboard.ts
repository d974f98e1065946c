import { z } from 'zod';
import { SIGNED_IN, localDate, pageInput, query } from '../rpc';
import { MEASURE_UNITS, MODULE_KEYS, REPORT_PERIODS, type ModuleKey } from './reports';

/**
 * One dashboard per module: throughput KPI cards (with the same period before and the target),
 * the pending action queue, exception alerts, and the recent transaction timeline. Everything on
 * it is limited to the functions the user may view, so one procedure serves every role.
 */

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

const range = z.object({ from: z.string(), to: z.string() });

export const kpiCardSchema = z.object({
  key: z.string(),
  label: z.string(),
  description: z.string(),
  functionKey: z.string(),
  unit: z.enum(MEASURE_UNITS),
  decimals: z.number().int(),
  goodDirection: z.enum(['up', 'down']),
  value: z.number().nullable(),
  /** The same number of days of the period before (1–15 March against 1–15 February). */
  previous: z.number().nullable(),
  change: z.object({ value: z.number(), percent: z.number().nullable() }).nullable(),
  tone: z.enum(['good', 'bad', 'neutral']),
  /** The target of the whole current period, when a supervisor set one. */
  target: z.number().nullable(),
  /** value / target × 100. */
  targetPercent: z.number().nullable(),
  /** The last 14 days, for the sparkline. */
  spark: z.array(z.object({ date: z.string(), value: z.number().nullable() })),
  reportKey: z.string(),
  measure: z.string(),
});
export type KpiCard = z.infer<typeof kpiCardSchema>;

export const queueItemSchema = z.object({
  kind: z.enum(['approval', 'exception', 'workflow']),
  functionKey: z.string().nullable(),
  id: z.string(),
  title: z.string(),
  detail: z.string().nullable(),
  /** When it started waiting (UTC). */
  since: z.string(),
  ageHours: z.number(),
  severity: z.enum(SEVERITIES),
  /** Where "continue" / "review" / "decide" leads. */
  link: z.string(),
  actionLabel: z.string(),
});
export type QueueItem = z.infer<typeof queueItemSchema>;

export const alertSchema = z.object({
  functionKey: z.string(),
  kind: z.string(),
  label: z.string(),
  severity: z.enum(SEVERITIES),
  count: z.number().int(),
  oldestAt: z.string().nullable(),
  ageHours: z.number().nullable(),
  link: z.string(),
});
export type Alert = z.infer<typeof alertSchema>;

export const dashboardInput = z.strictObject({
  period: z.enum(REPORT_PERIODS).default('month'),
  /** The day the dashboard looks from; today in the branch's time zone when left out. */
  asOf: localDate.optional(),
});

export const dashboardSchema = z.object({
  module: z.enum(MODULE_KEYS),
  asOf: z.string(),
  period: z.enum(REPORT_PERIODS),
  range,
  previousRange: range,
  kpis: z.array(kpiCardSchema),
  queue: z.object({
    approvals: z.array(queueItemSchema),
    exceptions: z.array(queueItemSchema),
    workflows: z.array(queueItemSchema),
    /** How many wait in all: each list above holds only the most urgent few. */
    totals: z.object({ approvals: z.number().int(), exceptions: z.number().int(), workflows: z.number().int() }),
  }),
  alerts: z.array(alertSchema),
  /** Functions of the module this user may view (the timeline filter offers these). */
  functions: z.array(z.object({ key: z.string(), label: z.string() })),
});
export type Dashboard = z.infer<typeof dashboardSchema>;

export const timelineEventSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  functionKey: z.string(),
  functionLabel: z.string(),
  procedure: z.string(),
  entity: z.string(),
  entityId: z.string(),
  action: z.string(),
  reason: z.string().nullable(),
  approvalId: z.string().nullable(),
  link: z.string().nullable(),
});
export type TimelineEvent = z.infer<typeof timelineEventSchema>;

export const timelineInput = z.strictObject({
  functionKey: z.string().max(60).optional(),
  actorId: z.string().max(64).optional(),
  entity: z.string().max(80).optional(),
  from: localDate.optional(),
  to: localDate.optional(),
  ...pageInput,
});

function moduleDashboard(module: ModuleKey, label: string) {
  return {
    get: query({
      name: `dashboard.${module}.get`,
      description: `${label} dashboard: KPI cards against the period before and the target, pending actions, exception alerts.`,
      access: SIGNED_IN,
      input: dashboardInput,
      output: dashboardSchema,
    }),
    timeline: query({
      name: `dashboard.${module}.timeline`,
      description: `${label}: recent transactions from the audit journal, newest first, filterable by function, user, record type and date.`,
      access: SIGNED_IN,
      input: timelineInput,
      output: z.object({ rows: z.array(timelineEventSchema), nextCursor: z.string().nullable() }),
    }),
  };
}

export const energyDashboard = moduleDashboard('energy', 'Energy & Utilities');
export const homeServicesDashboard = moduleDashboard('homeServices', 'Home & Personal Services');

export const DASHBOARDS: Record<ModuleKey, ReturnType<typeof moduleDashboard>> = {
  energy: energyDashboard,
  homeServices: homeServicesDashboard,
};

export const dashboardContracts = [energyDashboard.get, energyDashboard.timeline, homeServicesDashboard.get, homeServicesDashboard.timeline] as const;
