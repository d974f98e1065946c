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
