import {
  EXCEPTION_CODES,
  type ExceptionCode,
  type ExpectedRange,
  type ReadType,
  type VeeException,
} from '../../../../src-shared/contracts/energy/meter-readings';

/**
 * VEE — validate, estimate, edit — as pure functions of what the store already knows about a
 * meter. No I/O here: the service loads the facts, these rules decide, and the tests can state
 * every published number of DOMAIN.md directly.
 */

export interface VeeSettings {
  lowFactor: number;
  highFactor: number;
  maxConsecutiveEstimates: number;
}

export interface MeterRegister {
  /** Number of dials: the register shows 0 .. 10^dials − 1 and then rolls over to 0. */
  dials: number;
  /** Units per register step (CT/VT ratio); consumption = register difference × multiplier. */
  multiplier: number;
}

export interface PreviousRead {
  value: number;
  readDate: string;
}

/** Units an account used between two reads (after the multiplier). Estimates are never history. */
export interface UsageInterval {
  from: string;
  to: string;
  units: number;
}

/* ---------------- calendar dates (YYYY-MM-DD, already in the branch's time zone) ---------------- */

const DAY_MS = 86_400_000;

// Sliced rather than split: VEE runs these for every row of a 50,000-row import.
const epochDay = (date: string): number => Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / DAY_MS;

export const daysBetween = (from: string, to: string): number => epochDay(to) - epochDay(from);

export const addDays = (date: string, days: number): string => new Date((epochDay(date) + days) * DAY_MS).toISOString().slice(0, 10);

/** The same calendar day `years` away; 29 February falls back to the 28th in common years. */
export function shiftYears(date: string, years: number): string {
  const year = String(+date.slice(0, 4) + years).padStart(4, '0');
  if (date.slice(5) !== '02-29') return `${year}${date.slice(4)}`;
  const leap = new Date(Date.UTC(+year, 1, 29)).getUTCMonth() === 1;
  return `${year}-02-${leap ? '29' : '28'}`;
}

/* ---------------- register arithmetic ---------------- */

export const registerCapacity = (dials: number): number => 10 ** dials;

export const wrapRegister = (value: number, dials: number): number => {
  const capacity = registerCapacity(dials);
  return ((value % capacity) + capacity) % capacity;
};

/** Multipliers like 1.1 make binary-float noise; consumption is kept to a thousandth of a unit. */
const roundUnits = (units: number): number => Math.round(units * 1000) / 1000;
/** Factor products such as 80 × 0.6 = 48.000000000000014 must compare as the 48 they mean. */
const snap = (x: number): number => Math.round(x * 1e6) / 1e6;

export type ConsumptionKind = 'forward' | 'rollover' | 'negative';

/**
 * Consumption between two register values. A backwards read is taken as a rollover only when the
 * implied wrap-around consumption is under half the register's capacity; anything larger is far
 * likelier a misread or a swapped meter than a register that went all the way round.
 */
export function consumptionBetween(
  previous: number,
  current: number,
  register: MeterRegister,
): { units: number; kind: ConsumptionKind } {
  if (current >= previous) return { units: roundUnits((current - previous) * register.multiplier), kind: 'forward' };
  const capacity = registerCapacity(register.dials);
  const wrapped = capacity - previous + current;
  if (wrapped < capacity / 2) return { units: roundUnits(wrapped * register.multiplier), kind: 'rollover' };
  return { units: roundUnits((current - previous) * register.multiplier), kind: 'negative' };
}

/* ---------------- expectation from history ---------------- */

/** Average daily use over the twelve months before `readDate`, or null without history. */
export function averageDailyUse(history: readonly UsageInterval[], readDate: string): number | null {
  const windowStart = shiftYears(readDate, -1);
  let units = 0;
  let days = 0;
  for (const interval of history) {
    if (interval.to <= windowStart || interval.to > readDate) continue;
    const length = daysBetween(interval.from, interval.to);
    if (length <= 0) continue;
    units += interval.units;
    days += length;
  }
  return days === 0 ? null : units / days;
}

/**
 * Expected consumption for the days since the previous read, and the register values that would
 * be acceptable: [previous + E × lowFactor, previous + E × highFactor] (E in register steps).
 */
export function expectedRange(
  previous: PreviousRead,
  readDate: string,
  dailyUse: number | null,
  register: MeterRegister,
  settings: Pick<VeeSettings, 'lowFactor' | 'highFactor'>,
): ExpectedRange | null {
  const days = daysBetween(previous.readDate, readDate);
  if (dailyUse === null || days <= 0) return null;
  const units = roundUnits(dailyUse * days);
  const steps = units / register.multiplier;
  return {
    units,
    days,
    lowRead: wrapRegister(previous.value + Math.ceil(snap(steps * settings.lowFactor)), register.dials),
    highRead: wrapRegister(previous.value + Math.floor(snap(steps * settings.highFactor)), register.dials),
  };
}

/* ---------------- estimation ---------------- */

export type EstimateBasis = 'lastYear' | 'averageDailyUse' | 'none';

/**
 * Units to estimate for a meter that could not be read: the same period last year scaled to this
 * period's days when history covers all of it, otherwise average daily use × days.
 */
export function estimateUnits(
  history: readonly UsageInterval[],
  previousDate: string,
  readDate: string,
  dailyUse: number | null,
): { units: number; basis: EstimateBasis } {
  const days = daysBetween(previousDate, readDate);
  if (days <= 0) return { units: 0, basis: 'none' };

  const lastYearFrom = shiftYears(previousDate, -1);
  const lastYearTo = shiftYears(readDate, -1);
  const lastYearDays = daysBetween(lastYearFrom, lastYearTo);
  let covered = 0;
  let lastYearUnits = 0;
  for (const interval of history) {
    const length = daysBetween(interval.from, interval.to);
    const overlapFrom = interval.from > lastYearFrom ? interval.from : lastYearFrom;
    const overlapTo = interval.to < lastYearTo ? interval.to : lastYearTo;
    const overlap = daysBetween(overlapFrom, overlapTo);
    if (length <= 0 || overlap <= 0) continue;
    // A read interval straddling the period's edge contributes its share by days.
    lastYearUnits += (interval.units * overlap) / length;
    covered += overlap;
  }
  if (lastYearDays > 0 && covered >= lastYearDays) {
    return { units: roundUnits((lastYearUnits / lastYearDays) * days), basis: 'lastYear' };
  }
  if (dailyUse !== null) return { units: roundUnits(dailyUse * days), basis: 'averageDailyUse' };
  return { units: 0, basis: 'none' };
}

/** How many estimated reads end the meter's history (newest first in, stops at the first real read). */
export function trailingEstimates(newestFirst: readonly { readType: ReadType }[]): number {
  let count = 0;
  for (const read of newestFirst) {
    if (read.readType !== 'estimated') break;
    count += 1;
  }
  return count;
}

/* ---------------- the VEE run ---------------- */

export interface VeeInput {
  register: MeterRegister;
  accountActive: boolean;
  readDate: string;
  readType: ReadType;
  /** The register value read; null when the meter was skipped and must be estimated. */
  value: number | null;
  previous: PreviousRead | null;
  /** The account's posted, non-estimated read intervals before `readDate` (13 months suffice). */
  history: readonly UsageInterval[];
  /** Estimated reads directly before this one on the same meter. */
  trailingEstimates: number;
  settings: VeeSettings;
}

export interface VeeOutcome {
  value: number;
  readType: ReadType;
  estimated: boolean;
  estimateBasis: EstimateBasis | null;
  consumption: number;
  exceptions: VeeException[];
  expected: ExpectedRange | null;
}

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
const fmt = (n: number): string => numberFormat.format(n);

const exception = (code: ExceptionCode, detail: string): VeeException => ({
  code,
  message: `${EXCEPTION_CODES[code]}: ${detail}`,
});

export function runVee(input: VeeInput): VeeOutcome {
  const { register, previous, readDate, settings } = input;
  const dailyUse = averageDailyUse(input.history, readDate);
  const expected = previous ? expectedRange(previous, readDate, dailyUse, register, settings) : null;
  const exceptions: VeeException[] = [];

  if (previous && readDate <= previous.readDate) {
    exceptions.push(exception('READ_DATE_OUT_OF_ORDER', `${readDate} is not after the previous read of ${previous.readDate}`));
  }

  const systemEstimate = input.value === null;
  const estimated = systemEstimate || input.readType === 'estimated';
  let value: number;
  let consumption: number;
  let estimateBasis: EstimateBasis | null = null;

  if (input.value === null) {
    // The estimate is the expectation itself, so HIGH/LOW/ZERO cannot apply to it.
    const base = previous?.value ?? 0;
    const estimate = previous ? estimateUnits(input.history, previous.readDate, readDate, dailyUse) : { units: 0, basis: 'none' as const };
    const steps = Math.round(estimate.units / register.multiplier);
    value = wrapRegister(base + steps, register.dials);
    consumption = roundUnits(steps * register.multiplier);
    estimateBasis = estimate.basis;
  } else {
    value = input.value;
    if (previous) {
      const between = consumptionBetween(previous.value, value, register);
      consumption = between.units;
      if (between.kind === 'rollover') {
        exceptions.push(exception('ROLLOVER', `${fmt(previous.value)} → ${fmt(value)} on ${register.dials} dials is ${fmt(consumption)} units`));
      } else if (between.kind === 'negative') {
        exceptions.push(exception('NEGATIVE_CONSUMPTION', `${fmt(value)} is below the previous ${fmt(previous.value)}`));
      }
      if (between.kind !== 'negative') {
        const zero = consumption === 0 && input.accountActive;
        if (zero) {
          exceptions.push(exception('ZERO_CONSUMPTION', `the register still shows ${fmt(value)}`));
        } else if (expected) {
          const low = snap(expected.units * settings.lowFactor);
          const high = snap(expected.units * settings.highFactor);
          if (consumption > high) {
            exceptions.push(exception('HIGH_CONSUMPTION', `${fmt(consumption)} units, expected ${fmt(low)}–${fmt(high)}`));
          } else if (consumption < low) {
            exceptions.push(exception('LOW_CONSUMPTION', `${fmt(consumption)} units, expected ${fmt(low)}–${fmt(high)}`));
          }
        }
      }
    } else {
      consumption = 0;
    }
  }

  if (estimated && input.trailingEstimates + 1 > settings.maxConsecutiveEstimates) {
    exceptions.push(
      exception('CONSECUTIVE_ESTIMATES', `this would be estimate ${input.trailingEstimates + 1} in a row (limit ${settings.maxConsecutiveEstimates})`),
    );
  }

  return {
    value,
    readType: systemEstimate ? 'estimated' : input.readType,
    estimated,
    estimateBasis,
    consumption,
    exceptions,
    expected,
  };
}
