import type { MeasureUnit } from '../../src-shared/contracts/reports';
import { formatMoney } from '../components/MoneyText';

/**
 * Every figure of reports, dashboards and analytics is written the same way: counts grouped,
 * money from minor units, units with their decimals, hours with "h", percentages with "%".
 */
export function formatMeasure(value: number | null | undefined, unit: MeasureUnit, decimals = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  switch (unit) {
    case 'money':
      return formatMoney(Math.round(value));
    case 'percent':
      return `${value.toLocaleString(undefined, { maximumFractionDigits: Math.max(1, decimals) })}%`;
    case 'hours':
      return `${value.toLocaleString(undefined, { maximumFractionDigits: Math.max(1, decimals) })} h`;
    default:
      return value.toLocaleString(undefined, { maximumFractionDigits: decimals });
  }
}

/**
 * A chart axis tick: short enough for the axis' fixed width ("1.6M", "400K", "12.5%"), where the
 * full figure ("1,600,000.00") was cut off at the left edge. Money is shown in major units.
 */
export function formatAxis(value: number | null | undefined, unit: MeasureUnit): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  const n = unit === 'money' ? value / 100 : value;
  const short = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: Math.abs(n) < 10 ? 2 : 1 }).format(n);
  return unit === 'percent' ? `${short}%` : unit === 'hours' ? `${short} h` : short;
}

/** Recharts props for a y axis whose ticks use `formatAxis` (tooltips keep the full figure). */
export const axisProps = (unit: MeasureUnit) => ({ tickFormatter: (v: number) => formatAxis(v, unit), width: 56 });

/**
 * A change against the period before, for a badge: the percent when there was something to
 * compare with, else the change itself ("+1", "+3,750.00") — "—" only when nothing changed or
 * nothing is known. A bare "—" beside a coloured arrow read as an error on every new KPI.
 */
export function formatDelta(change: { value: number; percent: number | null } | null | undefined, unit: MeasureUnit, decimals = 0): string {
  if (!change) return '—';
  if (change.percent !== null && Number.isFinite(change.percent)) return formatChange(change.percent);
  if (change.value === 0) return '±0';
  return `${change.value > 0 ? '+' : '-'}${formatMeasure(Math.abs(change.value), unit, decimals)}`;
}

/** A change in percent with its sign, e.g. "+12.5%"; "—" when there was nothing to compare with. */
export function formatChange(percent: number | null | undefined): string {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return '—';
  const rounded = Math.round(percent * 10) / 10;
  return `${rounded > 0 ? '+' : ''}${rounded.toLocaleString()}%`;
}

/** "3 h", "2 d 4 h": how long something has been waiting. */
export function formatAge(hours: number | null | undefined): string {
  if (hours === null || hours === undefined) return '—';
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} min`;
  if (hours < 48) return `${Math.round(hours)} h`;
  const days = Math.floor(hours / 24);
  const rest = Math.round(hours - days * 24);
  return rest ? `${days} d ${rest} h` : `${days} d`;
}

export const TONE_COLOR = { good: 'teal', bad: 'red', neutral: 'gray' } as const;

export const SEVERITY_COLOR = { info: 'blue', warning: 'yellow', critical: 'red' } as const;
