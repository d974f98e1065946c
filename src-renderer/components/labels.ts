import { FUNCTIONS } from '../../src-shared/permissions';

export const MODULE_LABELS: Record<string, string> = {
  kernel: 'Administration',
  energy: 'Energy & Utilities',
  homeServices: 'Home & Personal Services',
};

/** `energy.meterReadings` → `Meter reading logging`; unknown keys are shown as they are. */
export function functionLabel(key: string): string {
  return FUNCTIONS.find((f) => f.key === key)?.label ?? key;
}

export function pluralize(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

/** The count under a paged list: "Showing 100 of 2,310 bills". */
export function showingOf(shown: number, total: number, one: string, many = `${one}s`): string {
  return `Showing ${shown.toLocaleString()} of ${pluralize(total, one, many)}`;
}
