import { z } from 'zod';
import { defineSetting, type SettingDef } from '../settings/settings';

/** How often a routine runs: every N minutes, or once a day at a wall-clock time in the branch's zone. */
export type Cadence = { kind: 'every'; minutes: number } | { kind: 'daily'; at: `${number}:${number}` };

export interface RoutineInputContext {
  now: Date;
  timeZone: string;
  /** The branch's local date now (YYYY-MM-DD). */
  today: string;
}

export interface RoutineDefinition {
  /** Stable key: the routine_state row and the "Run now" argument. */
  name: string;
  label: string;
  description: string;
  /** The procedure each run dispatches through the pipeline. */
  procedure: string;
  cadence: Cadence;
  input(at: RoutineInputContext): unknown;
  /** A setting administrators switch (audited), or a fixed flag (tests). */
  enabled: SettingDef<boolean> | boolean;
  /** One line for the status column, from the procedure's answer. */
  summarize?(result: unknown): string;
}

const enabledSetting = (name: string, description: string): SettingDef<boolean> =>
  defineSetting({ key: `routines.${name}.enabled`, schema: z.boolean(), defaultValue: true, description });

/**
 * The routines the app runs by itself while it is open. Each procedure is idempotent by design
 * (generating or billing again creates nothing twice), so a catch-up run after downtime is safe.
 */
export const ROUTINES: readonly RoutineDefinition[] = [
  {
    name: 'pmGeneration',
    label: 'Preventive work orders',
    description: 'Creates the preventive work orders falling due within the horizon.',
    procedure: 'energy.maintenance.generatePm',
    cadence: { kind: 'daily', at: '01:00' },
    input: () => ({}),
    enabled: enabledSetting('pmGeneration', 'Generate due preventive work orders by themselves every day at 01:00 (branch time)'),
    summarize: (result) => {
      const { created, horizonEnd } = result as { created: unknown[]; horizonEnd: string };
      return created.length === 0
        ? `Nothing new falls due up to ${horizonEnd}`
        : `Created ${created.length} work order${created.length === 1 ? '' : 's'} due up to ${horizonEnd}`;
    },
  },
  {
    name: 'missedVisits',
    label: 'Missed-visit detection',
    description: 'Marks scheduled visits past their window plus grace without a check-in as missed.',
    procedure: 'homeServices.visits.detectMissed',
    cadence: { kind: 'every', minutes: 15 },
    input: () => ({}),
    enabled: enabledSetting('missedVisits', 'Detect missed home visits by themselves every 15 minutes'),
    summarize: () => 'Missed-visit check started',
  },
  {
    name: 'subscriptionBilling',
    label: 'Subscription billing',
    description: 'Renews and invoices the subscriptions whose period has ended, takes due dunning steps, closes expired packages.',
    procedure: 'homeServices.subscriptions.billing.run',
    cadence: { kind: 'daily', at: '00:15' },
    input: ({ today }) => ({ asOf: today }),
    // The job's own outcome shows beside it on the routines list.
    enabled: enabledSetting('subscriptionBilling', 'Run subscription billing by itself every day at 00:15 (branch time)'),
    summarize: () => 'Billing run started',
  },
];

export function describeCadence(cadence: Cadence): string {
  if (cadence.kind === 'daily') return `Daily at ${cadence.at} (branch time)`;
  return cadence.minutes === 1 ? 'Every minute' : `Every ${cadence.minutes} minutes`;
}
