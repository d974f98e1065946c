import type { MantineColor } from '@mantine/core';
import dayjs from 'dayjs';
import {
  EXCEPTION_CODES,
  READ_TYPES,
  READING_STATUSES,
  REPORT_GROUPS,
  REPORT_PERIODS,
  SKIP_CODES,
  type ExceptionCode,
  type ReadType,
  type ReadingStatus,
  type SkipCode,
} from '../../../../src-shared/contracts/energy/meter-readings';

/**
 * Words and colours the meter reading screens share, so a status or an exception reads the same
 * in the list, the review queue, the entry walk and the report. The long explanations come from
 * the contract (EXCEPTION_CODES) so the server's rule names and the screen never drift apart.
 */

export const FUNCTION_PATH = '/energy/meter-readings';

export const STATUS_LABELS: Record<ReadingStatus, string> = {
  posted: 'Posted',
  exception: 'Exception',
  reread: 'Re-read ordered',
};

export const READ_TYPE_LABELS: Record<ReadType, string> = {
  actual: 'Actual',
  customer: 'Customer read',
  estimated: 'Estimated',
};

/** Short names for badges; the table column is narrow and readers scan, they do not read. */
export const EXCEPTION_SHORT_LABELS: Record<ExceptionCode, string> = {
  ROLLOVER: 'Rollover',
  NEGATIVE_CONSUMPTION: 'Negative',
  HIGH_CONSUMPTION: 'High',
  LOW_CONSUMPTION: 'Low',
  ZERO_CONSUMPTION: 'Zero use',
  READ_DATE_OUT_OF_ORDER: 'Date order',
  CONSECUTIVE_ESTIMATES: 'Estimates in a row',
};

/** Red for a value that is probably wrong, orange for one that is odd but plausible. */
export const EXCEPTION_COLORS: Record<ExceptionCode, MantineColor> = {
  ROLLOVER: 'grape',
  NEGATIVE_CONSUMPTION: 'red',
  HIGH_CONSUMPTION: 'red',
  LOW_CONSUMPTION: 'orange',
  ZERO_CONSUMPTION: 'orange',
  READ_DATE_OUT_OF_ORDER: 'red',
  CONSECUTIVE_ESTIMATES: 'yellow',
};

export const exceptionExplanation = (code: ExceptionCode): string => EXCEPTION_CODES[code];

export const REPORT_PERIOD_LABELS: Record<(typeof REPORT_PERIODS)[number], string> = {
  day: 'Day',
  week: 'Week',
  month: 'Month',
};

export const REPORT_GROUP_LABELS: Record<(typeof REPORT_GROUPS)[number], string> = {
  period: 'Period',
  route: 'Route',
  reader: 'Reader',
  category: 'Customer category',
  readType: 'Read type',
};

/** Select options, in the order the contract declares them. */
export const statusOptions = READING_STATUSES.map((value) => ({ value, label: STATUS_LABELS[value] }));
export const readTypeOptions = READ_TYPES.map((value) => ({ value, label: READ_TYPE_LABELS[value] }));
/** Short names in the field; the dropdown explains each (see ReadingFilterBar's renderOption). */
export const exceptionOptions = (Object.keys(EXCEPTION_CODES) as ExceptionCode[]).map((value) => ({
  value,
  label: EXCEPTION_SHORT_LABELS[value],
}));
export const skipCodeOptions = (Object.keys(SKIP_CODES) as SkipCode[]).map((value) => ({
  value,
  label: SKIP_CODES[value],
}));

const unitsFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const registerFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0, useGrouping: false });

/** Consumption in units (kWh, m³): grouped thousands, at most two decimals (multipliers). */
export const formatUnits = (units: number): string => unitsFormat.format(units);

/** A register value exactly as the dials show it: no grouping, so it can be compared digit by digit. */
export const formatRegister = (value: number | null | undefined): string =>
  value === null || value === undefined ? '—' : registerFormat.format(value);

/**
 * Today as a YYYY-MM-DD calendar date in the branch's time zone (a reader at 00:30 UTC may still
 * be in yesterday), the format every date field of the contracts takes.
 */
export function today(timeZone?: string): string {
  try {
    // en-CA formats dates as YYYY-MM-DD.
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  } catch {
    return dayjs().format('YYYY-MM-DD');
  }
}

export const formatLocalDate = (date: string | null | undefined): string =>
  date ? dayjs(date).format('D MMM YYYY') : '—';
