import type { Reliability, WorkOrderStatus } from '../../../../src-shared/contracts/energy/maintenance';

/**
 * The pure rules of equipment maintenance: reliability from the downtime log (MTBF, MTTR),
 * preventive occurrences by calendar and by usage, work order transitions, costs and the stock
 * ledger. No I/O: the service loads, these decide.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Whole days from one calendar date to another (dates pinned to UTC so no zone can shift them). */
export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

export const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

const round2 = (n: number): number => Math.round(n * 100) / 100;

/* ---------------- reliability ---------------- */

export interface Stop {
  /** Local calendar date the stop began (failures are counted by day, as Odoo does). */
  startedOn: string;
  startedAt: string;
  endedAt: string | null;
  failure: boolean;
}

/**
 * MTBF = operating time between failures / number of failures, where operating time runs from
 * the day the asset went into service to its latest failure. Odoo's published example: in service
 * 1 Jan 2024, 2 failures, the latest on 1 May → 121 days / 2 = 60.5 days.
 */
export function mtbfDays(inServiceOn: string, failureDates: readonly string[]): number | null {
  if (failureDates.length === 0) return null;
  const latest = failureDates.reduce((a, b) => (b > a ? b : a));
  return round2(Math.max(0, daysBetween(inServiceOn, latest)) / failureDates.length);
}

/** MTTR = total repair time / repairs, over failures that have been repaired (ended). */
export function mttrHours(repairs: readonly { startedAt: string; endedAt: string }[]): number | null {
  if (repairs.length === 0) return null;
  const total = repairs.reduce((sum, r) => sum + (Date.parse(r.endedAt) - Date.parse(r.startedAt)), 0);
  return round2(total / HOUR_MS / repairs.length);
}

/** Hours an asset was down, an open stop counting until `now`. */
export function downtimeHours(stops: readonly Pick<Stop, 'startedAt' | 'endedAt'>[], now: Date): number {
  const ms = stops.reduce((sum, s) => sum + Math.max(0, (s.endedAt ? Date.parse(s.endedAt) : now.getTime()) - Date.parse(s.startedAt)), 0);
  return round2(ms / HOUR_MS);
}

export interface ReliabilityParts {
  /** Days of operation up to the latest failure (0 without failures). */
  operatingDays: number;
  failures: number;
  repairMs: number;
  repairs: number;
  downtimeHours: number;
}

/** One asset's figures, kept as sums so a class can pool its assets. */
export function assetReliabilityParts(inServiceOn: string, stops: readonly Stop[], now: Date): ReliabilityParts {
  const failures = stops.filter((s) => s.failure);
  const repaired = failures.filter((s): s is Stop & { endedAt: string } => s.endedAt !== null);
  const latest = failures.reduce<string | null>((a, s) => (a === null || s.startedOn > a ? s.startedOn : a), null);
  return {
    operatingDays: latest ? Math.max(0, daysBetween(inServiceOn, latest)) : 0,
    failures: failures.length,
    repairMs: repaired.reduce((sum, r) => sum + (Date.parse(r.endedAt) - Date.parse(r.startedAt)), 0),
    repairs: repaired.length,
    downtimeHours: downtimeHours(stops, now),
  };
}

/**
 * Reliability of one asset, or of a class pooled over its assets: total operating days over total
 * failures, total repair time over total repairs (a mean of means would let one rarely-failing
 * asset count as much as one that fails weekly).
 */
export function pooledReliability(parts: readonly ReliabilityParts[]): Reliability {
  const sum = (pick: (p: ReliabilityParts) => number) => parts.reduce((s, p) => s + pick(p), 0);
  const failures = sum((p) => p.failures);
  const repairs = sum((p) => p.repairs);
  return {
    failures,
    mtbfDays: failures > 0 ? round2(sum((p) => p.operatingDays) / failures) : null,
    repairs,
    mttrHours: repairs > 0 ? round2(sum((p) => p.repairMs) / HOUR_MS / repairs) : null,
    downtimeHours: round2(sum((p) => p.downtimeHours)),
  };
}

/* ---------------- preventive occurrences ---------------- */

export interface Occurrence {
  /** Identifies the occurrence within its schedule: generating it twice hits the unique key. */
  dueKey: string;
  dueOn: string;
}

/**
 * Calendar occurrences falling due up to `horizonEnd`, from the next one not yet generated. Several
 * missed occurrences (the generator did not run for a while) collapse into one work order due on
 * the latest of them: a pump needs one overdue service, not three.
 */
export function calendarOccurrences(
  nextDueOn: string,
  intervalDays: number,
  today: string,
  horizonEnd: string,
): { occurrences: Occurrence[]; nextDueOn: string } {
  let due = nextDueOn;
  let latestMissed: string | null = null;
  while (due < today) {
    latestMissed = due;
    due = addDays(due, intervalDays);
  }
  const dates = latestMissed ? [latestMissed] : [];
  while (due <= horizonEnd) {
    dates.push(due);
    due = addDays(due, intervalDays);
  }
  return { occurrences: dates.map((d) => ({ dueKey: d, dueOn: d })), nextDueOn: due };
}

/**
 * Usage per day from an asset's readings (oldest first): the slope from the first to the last
 * reading of the window. Null with fewer than two readings a day or more apart, or no increase.
 */
export function usagePerDay(readings: readonly { readOn: string; value: number }[]): number | null {
  if (readings.length < 2) return null;
  const first = readings[0]!;
  const last = readings[readings.length - 1]!;
  const days = daysBetween(first.readOn, last.readOn);
  if (days <= 0 || last.value <= first.value) return null;
  return (last.value - first.value) / days;
}

/**
 * Usage occurrences falling due up to `horizonEnd`: those already reached are due today; the next
 * ones are projected at the recent rate. Without a rate only the reached ones are due. Several
 * reached occurrences collapse into one, as calendar ones do.
 */
export function usageOccurrences(input: {
  current: number | null;
  nextDueUsage: number;
  intervalUsage: number;
  perDay: number | null;
  today: string;
  horizonEnd: string;
}): { occurrences: Occurrence[]; nextDueUsage: number } {
  const current = input.current ?? 0;
  let due = input.nextDueUsage;
  let reached: number | null = null;
  while (due <= current) {
    reached = due;
    due += input.intervalUsage;
  }
  const occurrences: Occurrence[] = reached !== null ? [{ dueKey: `usage:${reached}`, dueOn: input.today }] : [];
  if (input.perDay && input.perDay > 0) {
    for (;;) {
      const dueOn = addDays(input.today, Math.ceil((due - current) / input.perDay));
      if (dueOn > input.horizonEnd) break;
      occurrences.push({ dueKey: `usage:${due}`, dueOn });
      due += input.intervalUsage;
    }
  }
  return { occurrences, nextDueUsage: due };
}

/* ---------------- work orders ---------------- */

export type WorkOrderAction = 'start' | 'hold' | 'complete' | 'close' | 'cancel' | 'book';

const ALLOWED: Record<WorkOrderAction, readonly WorkOrderStatus[]> = {
  start: ['open', 'on_hold'],
  hold: ['in_progress'],
  complete: ['in_progress'],
  close: ['completed'],
  cancel: ['open', 'on_hold'],
  // Labour and parts are booked while the work is under way (or paused), not after completion.
  book: ['open', 'in_progress', 'on_hold'],
};

export const TARGET: Record<Exclude<WorkOrderAction, 'book'>, WorkOrderStatus> = {
  start: 'in_progress',
  hold: 'on_hold',
  complete: 'completed',
  close: 'closed',
  cancel: 'cancelled',
};

const ACTION_WORDS: Record<WorkOrderAction, string> = {
  start: 'be started',
  hold: 'be put on hold',
  complete: 'be completed',
  close: 'be closed',
  cancel: 'be cancelled',
  book: 'take labour or parts',
};

/** Why the action cannot be taken on an order in this status, or null when it can. */
export function workOrderActionError(status: WorkOrderStatus, action: WorkOrderAction): string | null {
  if (ALLOWED[action].includes(status)) return null;
  return `A work order that is ${status.replace('_', ' ')} cannot ${ACTION_WORDS[action]}`;
}

export const isUnfinished = (status: WorkOrderStatus): boolean => status === 'open' || status === 'in_progress' || status === 'on_hold';

/** Preventive or corrective, work not finished by its due date is overdue from the next day. */
export const isOverdue = (status: WorkOrderStatus, dueOn: string | null, today: string): boolean =>
  isUnfinished(status) && dueOn !== null && dueOn < today;

/** Hours × rate, rounded once to minor units. */
export const labourCost = (hours: number, ratePerHour: number): number => Math.round(hours * ratePerHour);

/** Closing above the threshold is a high-risk action a second person approves. */
export const closeNeedsApproval = (totalCost: number, threshold: number): boolean => totalCost > threshold;

/* ---------------- stock ---------------- */

/** The balance after taking `quantity` out, or null when stock would go below zero. */
export function balanceAfterIssue(onHand: number, quantity: number): number | null {
  const after = onHand - quantity;
  return after < 0 ? null : after;
}

/**
 * Moving average cost after a receipt, rounded once to minor units: 10 at 100 plus 30 at 140 is
 * 40 at 130.
 */
export function movingAverageCost(onHand: number, unitCost: number, received: number, receivedCost: number): number {
  if (onHand + received <= 0) return receivedCost;
  return Math.round((onHand * unitCost + received * receivedCost) / (onHand + received));
}

/** At or below its minimum a part needs reordering. */
export const isLowStock = (onHand: number, minQuantity: number): boolean => minQuantity > 0 && onHand <= minQuantity;

/** `WO-000042` from 42. */
export const workOrderNumber = (n: number): string => `WO-${String(n).padStart(6, '0')}`;
