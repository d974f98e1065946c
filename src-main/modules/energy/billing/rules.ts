import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import type { BillExceptionCode, ChargeLine, PricingMode, Tier } from '../../../../src-shared/contracts/energy/billing';

dayjs.extend(utc);

/**
 * Billing rules as pure functions: tier pricing in both modes, proration by days, the split of a
 * period at a tariff change, the cycle calendar, the trial's exceptions, aging and oldest-first
 * settlement. No I/O: the service loads what these need and stores what they answer.
 *
 * Rounding: every intermediate figure stays exact (minor units with fractions). The bill is
 * rounded ONCE, at the end: total = round(exact subtotal + exact tax). The tax shown is the exact
 * tax rounded, and the subtotal is total − tax, so the three printed figures always add up. Line
 * amounts are shown to the cent for reading; when they do not add up to the subtotal a "rounding"
 * line says by how much.
 */

export interface TariffTerms {
  fixedCharge: number;
  pricingMode: PricingMode;
  tiers: readonly Tier[];
  minimumCharge: number;
  taxRateBp: number;
}

export interface TariffVersion extends TariffTerms {
  id: string;
  code: string;
  effectiveFrom: string;
}

/** Half away from zero, after removing binary noise (2.675 must round to 2.68, not 2.67). */
export function roundMinor(exact: number): number {
  const cleaned = Math.round(exact * 1e6) / 1e6;
  return Math.sign(cleaned) * Math.round(Math.abs(cleaned));
}

/* ---------------- tiers ---------------- */

export interface TierCharge {
  units: number;
  rate: number;
  exact: number;
  /** Bounds of the block as applied (after proration), for the bill line. */
  from: number;
  to: number | null;
}

/**
 * Energy charge of `units` on block tariffs. `blockScale` shrinks the block bounds for a part
 * period (SAP-style proration: a 10-day part of a 30-day period gets a third of each block).
 * graduated: each block's units at its rate (Kill Bill "ALL_TIERS": 1,200 L → 1,000 × 1.50 + 200 × 2.00).
 * volume: every unit at the rate of the block the total reached (Kill Bill "TOP_TIER": 1,200 × 2.00).
 */
export function tierCharges(units: number, tiers: readonly Tier[], mode: PricingMode, blockScale = 1): TierCharge[] {
  if (units <= 0) return [];
  const bounds = tiers.map((t) => (t.upTo === null ? null : t.upTo * blockScale));
  if (mode === 'volume') {
    const index = bounds.findIndex((upTo) => upTo === null || units <= upTo);
    const tier = tiers[index === -1 ? tiers.length - 1 : index]!;
    return [{ units, rate: tier.rate, exact: units * tier.rate, from: 0, to: null }];
  }
  const charges: TierCharge[] = [];
  let lower = 0;
  for (let i = 0; i < tiers.length && lower < units; i += 1) {
    const upper = bounds[i] ?? null;
    const inBlock = (upper === null ? units : Math.min(units, upper)) - lower;
    if (inBlock > 0) charges.push({ units: inBlock, rate: tiers[i]!.rate, exact: inBlock * tiers[i]!.rate, from: lower, to: upper });
    if (upper === null) break;
    lower = upper;
  }
  return charges;
}

/* ---------------- dates ---------------- */

const DATE = 'YYYY-MM-DD';
const d = (date: string) => dayjs.utc(date);

// Day arithmetic runs several times per bill: plain UTC day numbers, no date library on the hot path,
// and the few dates of a run (its period, its tariff changes) are converted once, then remembered.
const DAY_MS = 86_400_000;
const MEMO_LIMIT = 4096;
const dayNumbers = new Map<string, number>();
const dateStrings = new Map<number, string>();
function dayNumber(date: string): number {
  let day = dayNumbers.get(date);
  if (day === undefined) {
    day = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
    if (dayNumbers.size >= MEMO_LIMIT) dayNumbers.clear();
    dayNumbers.set(date, day);
  }
  return day;
}
function fromDayNumber(day: number): string {
  let date = dateStrings.get(day);
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dateStrings.size >= MEMO_LIMIT) dateStrings.clear();
    dateStrings.set(day, date);
  }
  return date;
}

/** Days from `from` to `to`, both included. */
export const daysInclusive = (from: string, to: string): number => dayNumber(to) - dayNumber(from) + 1;
export const addDays = (date: string, days: number): string => fromDayNumber(dayNumber(date) + days);
export const maxDate = (a: string, b: string): string => (a > b ? a : b);
export const minDate = (a: string, b: string): string => (a < b ? a : b);

/** The close date of a cycle in the month of `date`. */
const closeInMonth = (date: string, closeDay: number): string => d(date).date(closeDay).format(DATE);

/** The period of a cycle that contains `date`: from the day after one close to the next close. */
export function periodContaining(closeDay: number, date: string): { periodStart: string; periodEnd: string } {
  const thisMonthClose = closeInMonth(date, closeDay);
  const periodEnd = date <= thisMonthClose ? thisMonthClose : closeInMonth(d(date).add(1, 'month').format(DATE), closeDay);
  return periodEndingOn(closeDay, periodEnd);
}

export function periodEndingOn(closeDay: number, periodEnd: string): { periodStart: string; periodEnd: string } {
  const previousClose = closeInMonth(d(periodEnd).subtract(1, 'month').format(DATE), closeDay);
  return { periodStart: addDays(previousClose, 1), periodEnd };
}

export const isCloseDate = (closeDay: number, date: string): boolean => d(date).date() === closeDay;

/** The latest period that has closed by `today`: the one before the period `today` is in. */
export function lastClosedPeriod(closeDay: number, today: string): { periodStart: string; periodEnd: string } {
  return periodEndingOn(closeDay, addDays(periodContaining(closeDay, today).periodStart, -1));
}

/* ---------------- a bill's charges ---------------- */

export interface BillPeriod {
  /** The cycle period: the denominator of every proration. */
  periodStart: string;
  periodEnd: string;
  /** The days actually billed (a first or last partial period is shorter). */
  billedFrom: string;
  billedTo: string;
}

export interface Segment {
  tariff: TariffVersion;
  from: string;
  to: string;
  days: number;
}

/**
 * Splits the billed days at every tariff change. `versions` are one tariff's versions sorted by
 * effective date; the version in effect on a day is the latest one effective on or before it.
 */
export function splitAtTariffChanges(period: BillPeriod, versions: readonly TariffVersion[]): Segment[] | null {
  // Dates are ISO (YYYY-MM-DD): plain string order is date order.
  const sorted = versions.length > 1 ? [...versions].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0)) : versions;
  const segments: Segment[] = [];
  let from = period.billedFrom;
  while (from <= period.billedTo) {
    let inEffect: TariffVersion | undefined;
    let next: TariffVersion | undefined;
    for (const v of sorted) {
      if (v.effectiveFrom <= from) inEffect = v;
      else {
        next = v;
        break;
      }
    }
    if (!inEffect) return null;
    const to = next && next.effectiveFrom <= period.billedTo ? addDays(next.effectiveFrom, -1) : period.billedTo;
    segments.push({ tariff: inEffect, from, to, days: daysInclusive(from, to) });
    from = addDays(to, 1);
  }
  return segments;
}

export interface BillCharge {
  lines: ChargeLine[];
  segments: { tariffId: string; code: string; from: string; to: string; days: number; consumption: number }[];
  subtotalExact: number;
  taxExact: number;
  exactTotal: number;
  subtotal: number;
  tax: number;
  total: number;
}

const fmtUnits = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(3).replace(/0+$/, ''));
// Built field by field, not by spreading a partial line: this runs for every line of every bill of a run.
// (The key order is the stored lines' order.)
const line = (kind: ChargeLine['kind'], label: string, from: string | null, to: string | null, quantity: number | null, rate: number | null, exact: number): ChargeLine => ({
  kind,
  label,
  from,
  to,
  quantity,
  rate,
  exact,
  amount: roundMinor(exact),
});

/**
 * A bill's charges. Proration (SAP-style, by days over the whole period): each segment of the
 * billed days gets `days / periodDays` of the fixed charge, of the minimum charge and of every
 * block's size, and the consumption is shared between segments by their days. A full period on
 * one tariff has factor 1 and gives Kill Bill's published figures exactly.
 */
export function computeBill(period: BillPeriod, consumption: number, versions: readonly TariffVersion[]): BillCharge | null {
  const segments = splitAtTariffChanges(period, versions);
  if (!segments) return null;
  const periodDays = daysInclusive(period.periodStart, period.periodEnd);
  const billedDays = daysInclusive(period.billedFrom, period.billedTo);
  const split = segments.length > 1;
  const lines: ChargeLine[] = [];
  let subtotalExact = 0;
  let taxExact = 0;
  const segmentInfo: BillCharge['segments'] = [];

  for (const seg of segments) {
    const factor = seg.days / periodDays;
    const units = consumption * (seg.days / billedDays);
    const t = seg.tariff;
    const when = split || factor !== 1 ? ` (${seg.from} to ${seg.to}, ${seg.days}/${periodDays} days)` : '';
    const segLines: ChargeLine[] = [];
    let charged = 0;
    if (t.fixedCharge > 0) {
      const fixed = t.fixedCharge * factor;
      segLines.push(line('fixed', `Fixed charge${when}`, seg.from, seg.to, factor, t.fixedCharge, fixed));
      charged += fixed;
    }
    for (const c of tierCharges(units, t.tiers, t.pricingMode, factor)) {
      const block = t.pricingMode === 'volume' ? 'all units' : c.to === null ? `above ${fmtUnits(c.from)}` : `${fmtUnits(c.from)}–${fmtUnits(c.to)}`;
      segLines.push(line('energy', `${fmtUnits(c.units)} units at ${c.rate / 100} (${block})${when}`, seg.from, seg.to, c.units, c.rate, c.exact));
      charged += c.exact;
    }
    const minimum = t.minimumCharge * factor;
    let segSubtotal = charged;
    if (minimum > charged) {
      segLines.push(line('minimum', `Minimum charge top-up${when}`, seg.from, seg.to, factor, t.minimumCharge, minimum - charged));
      segSubtotal += minimum - charged;
    }
    subtotalExact += segSubtotal;
    taxExact += (segSubtotal * t.taxRateBp) / 10_000;
    lines.push(...segLines);
    segmentInfo.push({ tariffId: t.id, code: t.code, from: seg.from, to: seg.to, days: seg.days, consumption: units });
  }

  // The one rounding step.
  const exactTotal = subtotalExact + taxExact;
  const total = roundMinor(exactTotal);
  const tax = roundMinor(taxExact);
  const subtotal = total - tax;
  if (taxExact > 0) lines.push(line('tax', 'Tax', null, null, null, null, taxExact));
  let shown = 0;
  for (const l of lines) shown += l.amount;
  if (shown !== total) {
    lines.push({ kind: 'rounding', label: 'Rounding', from: null, to: null, quantity: null, rate: null, exact: 0, amount: total - shown });
  }
  return { lines, segments: segmentInfo, subtotalExact, taxExact, exactTotal, subtotal, tax, total };
}

/* ---------------- trial exceptions ---------------- */

export interface ExceptionInput {
  hasRead: boolean;
  estimated: boolean;
  consumption: number;
  total: number;
  /** The account's previous bill total, if it had one. */
  previousTotal: number | null;
  /** e.g. 50: a bill more than 50% above or below the last one is an exception. */
  highLowPercent: number;
}

export function billExceptions(x: ExceptionInput): BillExceptionCode[] {
  if (!x.hasRead) return ['MISSING_READ'];
  const codes: BillExceptionCode[] = [];
  if (x.estimated) codes.push('ESTIMATED_READ');
  if (x.consumption === 0) codes.push('ZERO_CONSUMPTION');
  if (x.previousTotal !== null && x.previousTotal > 0) {
    const change = ((x.total - x.previousTotal) / x.previousTotal) * 100;
    if (change > x.highLowPercent) codes.push('HIGH_BILL');
    else if (change < -x.highLowPercent) codes.push('LOW_BILL');
  }
  return codes;
}

/** MISSING_READ and NO_TARIFF hold the bill out of posting; the rest are for review only. */
export const HOLDING_EXCEPTIONS: readonly BillExceptionCode[] = ['MISSING_READ', 'NO_TARIFF'];

/* ---------------- aging and settlement ---------------- */

export interface OpenItem {
  id: string;
  issueDate: string;
  open: number;
}

/** Aging by days since the bill date: current (< 30), 30–59, 60–89, 90+. */
export function aging(items: readonly OpenItem[], today: string): { current: number; days30: number; days60: number; days90: number } {
  const buckets = { current: 0, days30: 0, days60: 0, days90: 0 };
  for (const item of items) {
    const age = daysInclusive(item.issueDate, today) - 1;
    if (age >= 90) buckets.days90 += item.open;
    else if (age >= 60) buckets.days60 += item.open;
    else if (age >= 30) buckets.days30 += item.open;
    else buckets.current += item.open;
  }
  return buckets;
}

/**
 * Settles `amount` against open items oldest first (by bill date, then id). Returns what each
 * item gets and what is left over (paid ahead, kept as credit).
 */
export function settleOldestFirst(items: readonly OpenItem[], amount: number): { settled: { id: string; amount: number }[]; left: number } {
  const sorted = [...items].filter((i) => i.open > 0).sort((a, b) => a.issueDate.localeCompare(b.issueDate) || a.id.localeCompare(b.id));
  const settled: { id: string; amount: number }[] = [];
  let left = amount;
  for (const item of sorted) {
    if (left <= 0) break;
    const take = Math.min(item.open, left);
    settled.push({ id: item.id, amount: take });
    left -= take;
  }
  return { settled, left };
}

/* ---------------- report ranges ---------------- */

/** A report spans at most this many days: a daily report of a century would be millions of rows. */
export const MAX_REPORT_DAYS = 3700;

/** Why a report range is refused, or null when it is fine. */
export function reportRangeProblem(from: string, to: string): string | null {
  if (from > to) return 'The end date is before the start date';
  if (daysInclusive(from, to) > MAX_REPORT_DAYS) return 'Choose at most ten years';
  return null;
}
