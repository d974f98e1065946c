import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import { addDays, daysBetween } from '../time';

dayjs.extend(utc);

/**
 * Subscription billing rules, pure: billing periods anchored on a bill-cycle day, proration by
 * days over the whole period, plan-change credits, pause moving the term, the dunning ladder, MRR
 * and the included-visit allowance. Dates are branch-local calendar dates (YYYY-MM-DD); a period
 * is half-open [start, end): it covers `start` up to the day before `end`.
 *
 * Rounding happens once per amount: `price × days ÷ periodDays` is worked out exactly in integers
 * and rounded half away from zero at the very end. A daily rate is never rounded on its own, so
 * 9 of 31 days of 24.95 is 7.24 (Kill Bill's published case), not 9 × 0.80 = 7.20.
 */

export const BILLING_PERIODS = ['monthly', 'quarterly', 'yearly'] as const;
export type BillingPeriod = (typeof BILLING_PERIODS)[number];
export const PERIOD_MONTHS: Record<BillingPeriod, number> = { monthly: 1, quarterly: 3, yearly: 12 };

export interface Period {
  start: string;
  end: string;
}

/** Integer `numerator ÷ denominator`, rounded half away from zero (denominator > 0). */
export function divideRounded(numerator: number, denominator: number): number {
  if (denominator <= 0) throw new Error('denominator must be positive');
  const sign = numerator < 0 ? -1 : 1;
  const n = Math.abs(numerator);
  return sign * Math.floor((2 * n + denominator) / (2 * denominator));
}

/** `price × days ÷ periodDays`, rounded once. */
export const prorate = (priceMinor: number, days: number, periodDays: number): number => divideRounded(priceMinor * days, periodDays);

const daysInMonth = (year: number, month0: number): number => dayjs.utc(Date.UTC(year, month0, 1)).daysInMonth();

/**
 * The date `months` calendar months after (or before) `date`'s month, on the bill-cycle day, or on
 * the month's last day when the month is shorter (bill-cycle day 31 → 30 April, 28 February).
 */
export function onCycleDay(date: string, months: number, billCycleDay: number): string {
  const d = dayjs.utc(date);
  const target = d.startOf('month').add(months, 'month');
  const day = Math.min(billCycleDay, daysInMonth(target.year(), target.month()));
  return target.date(day).format('YYYY-MM-DD');
}

/** The first bill-cycle date strictly after `date`. */
export function nextCycleDate(date: string, billCycleDay: number): string {
  const sameMonth = onCycleDay(date, 0, billCycleDay);
  return sameMonth > date ? sameMonth : onCycleDay(date, 1, billCycleDay);
}

/** A full period starting on `start`: it ends `months` later on the bill-cycle day. */
export const periodFrom = (start: string, period: BillingPeriod, billCycleDay: number): Period => ({
  start,
  end: onCycleDay(start, PERIOD_MONTHS[period], billCycleDay),
});

export interface FirstPeriod extends Period {
  /** The whole period the first one is part of: the proration denominator. */
  full: Period;
  partial: boolean;
  days: number;
  fullDays: number;
}

/**
 * The first period of a subscription starting on `start` and billed on `billCycleDay`. Starting
 * on the cycle day gives a full period; otherwise the first period runs to the next cycle date and
 * is a part of the full period that ends there. Kill Bill: bill-cycle day 25, start 16 September →
 * 16–25 September, 9 of the 31 days of 25 August–25 September.
 */
export function firstPeriod(start: string, period: BillingPeriod, billCycleDay: number): FirstPeriod {
  const cycleDayThisMonth = onCycleDay(start, 0, billCycleDay);
  if (cycleDayThisMonth === start) {
    const full = periodFrom(start, period, billCycleDay);
    const days = daysBetween(full.start, full.end);
    return { ...full, full, partial: false, days, fullDays: days };
  }
  const end = nextCycleDate(start, billCycleDay);
  const full = { start: onCycleDay(end, -PERIOD_MONTHS[period], billCycleDay), end };
  return { start, end, full, partial: true, days: daysBetween(start, end), fullDays: daysBetween(full.start, full.end) };
}

/** What the first period costs: prorated when it is partial. */
export function firstPeriodCharge(priceMinor: number, first: FirstPeriod): number {
  return first.partial ? prorate(priceMinor, first.days, first.fullDays) : priceMinor;
}

/** The period (of a subscription in `current`, renewing with `period`) that holds `date`. */
export function periodContaining(current: Period, period: BillingPeriod, billCycleDay: number, date: string): Period | null {
  if (date < current.start) return null;
  let p = current;
  // Bookings reach at most a couple of years ahead (the booking horizon); the cap guards bad data.
  for (let i = 0; i < 400 && date >= p.end; i += 1) p = periodFrom(p.end, period, billCycleDay);
  return date < p.end ? p : null;
}

export interface PlanChangeLine {
  description: string;
  days: number;
  periodDays: number;
  amountMinor: number;
}

export interface PlanChangeQuote {
  direction: 'upgrade' | 'downgrade' | 'same';
  /** Upgrades (and same-value changes) apply now; downgrades at the end of the period. */
  effective: 'now' | 'period_end';
  daysLeft: number;
  periodDays: number;
  /** Credit for the unused part of the current plan (negative) and the charge for the new one. */
  lines: PlanChangeLine[];
  netMinor: number;
}

/**
 * A plan change on `on` inside `current`. Upgrades take effect now: the unused days of the old
 * plan are credited and the new plan is charged for the same days, each line rounded once (Kill
 * Bill: a 9.95 plan from 2 May with 30 of 31 days left → 9.63). Downgrades wait for the period
 * end, so nothing is credited or charged now.
 */
export function quotePlanChange(input: {
  current: Period;
  on: string;
  oldPriceMinor: number;
  oldMonthlyMinor: number;
  newPriceMinor: number;
  newMonthlyMinor: number;
  oldName: string;
  newName: string;
}): PlanChangeQuote {
  const { current, on } = input;
  const periodDays = daysBetween(current.start, current.end);
  const daysLeft = Math.max(0, daysBetween(on < current.start ? current.start : on, current.end));
  const direction = input.newMonthlyMinor > input.oldMonthlyMinor ? 'upgrade' : input.newMonthlyMinor < input.oldMonthlyMinor ? 'downgrade' : 'same';
  if (direction === 'downgrade') return { direction, effective: 'period_end', daysLeft, periodDays, lines: [], netMinor: 0 };
  const credit = -prorate(input.oldPriceMinor, daysLeft, periodDays);
  const charge = prorate(input.newPriceMinor, daysLeft, periodDays);
  const lines: PlanChangeLine[] = [
    { description: `Unused ${input.oldName}: ${daysLeft} of ${periodDays} days`, days: daysLeft, periodDays, amountMinor: credit },
    { description: `${input.newName}: ${daysLeft} of ${periodDays} days`, days: daysLeft, periodDays, amountMinor: charge },
  ];
  return { direction, effective: 'now', daysLeft, periodDays, lines, netMinor: credit + charge };
}

/** Cancelling now credits the days from `on` to the end of the paid-for period. */
export function cancellationCredit(current: Period, on: string, priceMinor: number): { days: number; periodDays: number; creditMinor: number } {
  const periodDays = daysBetween(current.start, current.end);
  const days = Math.max(0, daysBetween(on < current.start ? current.start : on, current.end));
  return { days, periodDays, creditMinor: prorate(priceMinor, days, periodDays) };
}

/**
 * Resuming a subscription paused on `pausedOn` moves the end of its term by the days it was
 * paused: what was paid for and not used is still owed to the customer, and nothing is billed
 * for the pause. The bill-cycle day follows the new end.
 */
export function resumeTerm(current: Period, pausedOn: string, resumedOn: string): { period: Period; pausedDays: number; billCycleDay: number } {
  const pausedDays = Math.max(0, daysBetween(pausedOn, resumedOn));
  const end = addDays(current.end, pausedDays);
  return { period: { start: current.start, end }, pausedDays, billCycleDay: dayjs.utc(end).date() };
}

/** Monthly recurring revenue of one subscription: the period price spread over its months, rounded once. */
export const monthlyValue = (priceMinor: number, period: BillingPeriod): number => divideRounded(priceMinor, PERIOD_MONTHS[period]);

/* ---------------- dunning ---------------- */

export const DUNNING_STAGES = ['none', 'reminder', 'warning', 'suspended', 'cancelled'] as const;
export type DunningStage = (typeof DUNNING_STAGES)[number];
export type DunningStep = Exclude<DunningStage, 'none'>;
export const DUNNING_STEPS: readonly DunningStep[] = ['reminder', 'warning', 'suspended', 'cancelled'];

/** Days after an invoice's due date at which each step is due. */
export type DunningOffsets = Record<DunningStep, number>;

const rank = (stage: DunningStage): number => DUNNING_STAGES.indexOf(stage);

/** The furthest step due for an invoice `daysOverdue` days past its due date (none before the first offset). */
export function dunningStageFor(daysOverdue: number, offsets: DunningOffsets): DunningStage {
  let stage: DunningStage = 'none';
  for (const step of DUNNING_STEPS) if (daysOverdue >= offsets[step]) stage = step;
  return stage;
}

/** The steps to take now, in order, to bring a subscription at `current` to where it is due. */
export function dunningStepsDue(current: DunningStage, daysOverdue: number, offsets: DunningOffsets): DunningStep[] {
  const target = dunningStageFor(daysOverdue, offsets);
  return DUNNING_STEPS.filter((s) => rank(s) > rank(current) && rank(s) <= rank(target));
}

/** The next step after `current` and the date it falls due for an invoice due on `dueDate`. */
export function nextDunningStep(current: DunningStage, dueDate: string, offsets: DunningOffsets): { step: DunningStep; dueOn: string } | null {
  const step = DUNNING_STEPS.find((s) => rank(s) > rank(current));
  return step ? { step, dueOn: addDays(dueDate, offsets[step]) } : null;
}

/** From the warning on, the customer must pay before changing plans. */
export const blocksPlanChanges = (stage: DunningStage): boolean => rank(stage) >= rank('warning');

/* ---------------- included visits ---------------- */

export type OverAllowance = 'charge' | 'refuse';

export interface AllowanceVerdict {
  included: number;
  /** Visits beyond the allowance: charged, or (refuse) the reason the booking is refused. */
  beyond: number;
  refused: boolean;
  left: number;
}

/** How `requested` more visits fit a period that includes `included` and already has `taken`. */
export function allowanceVerdict(included: number, taken: number, requested: number, policy: OverAllowance): AllowanceVerdict {
  const left = Math.max(0, included - taken);
  const fits = Math.min(left, requested);
  const beyond = requested - fits;
  return { included: fits, beyond, refused: beyond > 0 && policy === 'refuse', left };
}
