import type {
  ChecklistItem,
  OrderType,
  Priority,
  Sla,
  Stage,
  SurveyResult,
} from '../../../../src-shared/contracts/energy/installations';

/**
 * The pure rules of service installation tracking: which action moves an order from which stage,
 * what each stage needs, the service-level clock with its pauses, time spent per stage, and what
 * commissioning does for each kind of order. No I/O: the service loads, these decide.
 */

const HOUR_MS = 3_600_000;

/* ---------------- stages ---------------- */

export type StageAction = 'survey' | 'approve' | 'schedule' | 'install' | 'commission' | 'close';

/**
 * Each action, the stages it may be taken from, and the stage it reaches. Survey and schedule may
 * be repeated (a second visit, a new date) without moving the order backwards.
 */
export const STAGE_ACTIONS: Record<StageAction, { from: readonly Stage[]; to: Stage }> = {
  survey: { from: ['requested', 'surveyed'], to: 'surveyed' },
  approve: { from: ['surveyed'], to: 'approved' },
  schedule: { from: ['approved', 'scheduled'], to: 'scheduled' },
  install: { from: ['scheduled'], to: 'installed' },
  commission: { from: ['installed'], to: 'commissioned' },
  close: { from: ['commissioned'], to: 'closed' },
};

/** The action that takes an order out of its current stage, if any. */
export function nextAction(stage: Stage): StageAction | null {
  const order: StageAction[] = ['survey', 'approve', 'schedule', 'install', 'commission', 'close'];
  // From 'surveyed' the way on is approval, not another survey.
  return order.find((a) => STAGE_ACTIONS[a].from.includes(stage) && STAGE_ACTIONS[a].to !== stage) ?? null;
}

/** Why the action cannot be taken now, or null when it can. */
export function transitionError(stage: Stage, onHold: boolean, action: StageAction): string | null {
  if (onHold) return 'The order is on hold waiting on the customer; resume it first';
  const rule = STAGE_ACTIONS[action];
  if (!rule.from.includes(stage)) {
    const allowed = rule.from.join(' or ');
    return `An order that is ${stage} cannot be ${rule.to === 'closed' ? 'closed' : `moved to ${rule.to}`}; it must be ${allowed}`;
  }
  return null;
}

export const isOpenStage = (stage: Stage): boolean =>
  stage === 'requested' || stage === 'surveyed' || stage === 'approved' || stage === 'scheduled' || stage === 'installed';

/** A survey that found the job cannot be done leaves only cancellation. */
export const approvable = (result: SurveyResult | null): boolean => result === 'feasible' || result === 'feasible_with_works';

/* ---------------- checklists ---------------- */

/** Required items of a stage's checklist that were not ticked, in checklist order. */
export function missingChecklistItems(items: readonly ChecklistItem[], ticked: readonly string[]): ChecklistItem[] {
  const done = new Set(ticked);
  return items.filter((item) => item.required && !done.has(item.key));
}

/** Ticks that name no item of the checklist: a stale form, or a typo in an integration. */
export function unknownChecklistKeys(items: readonly ChecklistItem[], ticked: readonly string[]): string[] {
  const known = new Set(items.map((i) => i.key));
  return ticked.filter((key) => !known.has(key));
}

/* ---------------- service-level clock ---------------- */

export type SlaHours = Record<Priority, number>;

export const slaHoursFor = (priority: Priority, table: SlaHours): number => table[priority];

/** Deadline of an allowance started at `receivedAt`, pushed back by the time spent on hold. */
export function slaDueAt(receivedAt: string, slaHours: number, pausedMs: number): string {
  return new Date(Date.parse(receivedAt) + slaHours * HOUR_MS + pausedMs).toISOString();
}

export interface SlaInput {
  stage: Stage;
  slaHours: number;
  /** Deadline with every finished pause already added. */
  dueAt: string;
  pausedMs: number;
  onHold: boolean;
  holdStartedAt: string | null;
  /** Set once commissioned: whether it was in time. */
  met: boolean | null;
  now: Date;
  /** "At risk" below this share of the allowance left. */
  atRiskFraction: number;
}

const roundHours = (ms: number): number => Math.round((ms / HOUR_MS) * 100) / 100;

/**
 * Where an order stands against its deadline. The allowance runs in calendar hours from receipt
 * to commissioning and stands still while the order waits on the customer. A breach is final: an
 * order that went past its deadline before a hold stays breached during it.
 */
export function slaStatus(input: SlaInput): Sla {
  const pausedSoFar = input.pausedMs + (input.onHold && input.holdStartedAt ? Math.max(0, input.now.getTime() - Date.parse(input.holdStartedAt)) : 0);
  const base = { hours: input.slaHours, pausedHours: roundHours(pausedSoFar) };
  if (input.met !== null) return { ...base, state: input.met ? 'met' : 'breached', dueAt: input.dueAt, remainingHours: null };
  if (!isOpenStage(input.stage)) return { ...base, state: 'none', dueAt: null, remainingHours: null };

  const due = Date.parse(input.dueAt);
  if (input.onHold && input.holdStartedAt) {
    const remaining = due - Date.parse(input.holdStartedAt);
    return { ...base, state: remaining < 0 ? 'breached' : 'paused', dueAt: null, remainingHours: roundHours(remaining) };
  }
  const remaining = due - input.now.getTime();
  const state = remaining < 0 ? 'breached' : remaining < input.atRiskFraction * input.slaHours * HOUR_MS ? 'at_risk' : 'on_track';
  return { ...base, state, dueAt: input.dueAt, remainingHours: roundHours(remaining) };
}

/* ---------------- time per stage ---------------- */

export interface Interval {
  from: string;
  /** null: still running. */
  to: string | null;
}

/** Milliseconds of [from, to) not covered by any pause. */
export function workingMs(from: number, to: number, pauses: readonly Interval[], now: number): number {
  if (to <= from) return 0;
  let paused = 0;
  for (const p of pauses) {
    const start = Math.max(from, Date.parse(p.from));
    const end = Math.min(to, p.to === null ? now : Date.parse(p.to));
    if (end > start) paused += end - start;
  }
  return to - from - paused;
}

export interface StageEntry {
  stage: Stage;
  at: string;
}

/**
 * Working hours spent in each stage the order passed through, in order of first entry. A stage
 * entered twice (a second survey) adds up. The current stage runs until `now`; finished orders
 * (closed, cancelled) stop at their last entry.
 */
export function stageDurations(
  entries: readonly StageEntry[],
  pauses: readonly Interval[],
  now: Date,
): { stage: Stage; hours: number; current: boolean }[] {
  const totals = new Map<Stage, number>();
  const sorted = [...entries].sort((a, b) => a.at.localeCompare(b.at));
  sorted.forEach((entry, i) => {
    const next = sorted[i + 1];
    const terminal = entry.stage === 'closed' || entry.stage === 'cancelled';
    if (terminal) return;
    const end = next ? Date.parse(next.at) : now.getTime();
    totals.set(entry.stage, (totals.get(entry.stage) ?? 0) + workingMs(Date.parse(entry.at), end, pauses, now.getTime()));
  });
  const last = sorted.at(-1);
  return [...totals.entries()].map(([stage, ms]) => ({ stage, hours: roundHours(ms), current: last?.stage === stage }));
}

/* ---------------- commissioning ---------------- */

export interface CommissioningPlan {
  /** A new account is opened (new connections). */
  openAccount: boolean;
  /** The meter on the wall comes off with a removal (final) read. */
  removeMeter: boolean;
  /** A meter goes up with the initial read billing starts from. */
  installMeter: boolean;
  /** The account's status afterwards; null leaves it as it is. */
  accountStatus: 'active' | 'inactive' | null;
  /** The service address becomes the account's address (relocations). */
  moveAddress: boolean;
}

/**
 * What commissioning does to the customer's account and meter, per kind of order. The meter-side
 * effects mirror a meter exchange: the removal read closes the old meter, the install read opens
 * the new one, and consumption is never measured across the two registers.
 */
export function commissioningPlan(type: OrderType, accountHasMeter: boolean): CommissioningPlan {
  switch (type) {
    case 'new_connection':
      return { openAccount: true, removeMeter: false, installMeter: true, accountStatus: 'active', moveAddress: false };
    case 'upgrade':
      return { openAccount: false, removeMeter: accountHasMeter, installMeter: true, accountStatus: 'active', moveAddress: false };
    case 'relocation':
      return { openAccount: false, removeMeter: accountHasMeter, installMeter: true, accountStatus: 'active', moveAddress: true };
    case 'disconnection':
      return { openAccount: false, removeMeter: true, installMeter: false, accountStatus: 'inactive', moveAddress: false };
    case 'reconnection':
      return { openAccount: false, removeMeter: false, installMeter: true, accountStatus: 'active', moveAddress: false };
  }
}

/** What the commissioning form must carry for this plan, by field. */
export function commissioningMissing(
  plan: CommissioningPlan,
  given: { initialRead?: number; removalRead?: number; routeId?: string | null },
): { path: string; message: string }[] {
  const missing: { path: string; message: string }[] = [];
  if (plan.installMeter && given.initialRead === undefined) {
    missing.push({ path: 'initialRead', message: 'Enter the new meter’s register value at switch-on: billing starts from it' });
  }
  if (plan.removeMeter && given.removalRead === undefined) {
    missing.push({ path: 'removalRead', message: 'Enter the final read of the meter that came off' });
  }
  if (plan.openAccount && !given.routeId) {
    missing.push({ path: 'routeId', message: 'Pick the route the new meter will be read on' });
  }
  return missing;
}

/** `SO-000042` from 42: order numbers sort as text and read well on the phone. */
export const orderNumber = (n: number): string => `SO-${String(n).padStart(6, '0')}`;
