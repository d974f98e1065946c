import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { z } from 'zod';
import { readingFilters } from '../../../../src-shared/contracts/energy/meter-readings';
import { FUNCTION_PATH } from './labels';

/**
 * The list's filters live in the URL search params, so every drilldown (a report row, a dashboard
 * card, a saved filter) is just a link, and Back undoes a filter change. Each param is checked
 * with the contract's own schema for that field; a param that does not pass is dropped instead
 * of sinking the whole list with a VALIDATION error.
 */
export type ReadingFilters = { [K in keyof typeof readingFilters]?: z.output<(typeof readingFilters)[K]> };
export type ReadingFilterKey = keyof ReadingFilters;

const FILTER_KEYS = Object.keys(readingFilters) as ReadingFilterKey[];

export function filtersFromParams(params: URLSearchParams): ReadingFilters {
  const filters: Record<string, unknown> = {};
  for (const key of FILTER_KEYS) {
    const raw = params.get(key);
    if (raw === null || raw === '') continue;
    const parsed = readingFilters[key].safeParse(raw);
    if (parsed.success && parsed.data !== undefined && parsed.data !== '') filters[key] = parsed.data;
  }
  return filters as ReadingFilters;
}

export function paramsFromFilters(filters: ReadingFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  return params;
}

/** A link to the readings list showing exactly these filters. */
export function readingsListPath(filters: ReadingFilters, base: string = FUNCTION_PATH): string {
  const query = paramsFromFilters(filters).toString();
  return query ? `${base}?${query}` : base;
}

export const countActiveFilters = (filters: ReadingFilters, ignore: ReadingFilterKey[] = []): number =>
  FILTER_KEYS.filter((key) => !ignore.includes(key) && filters[key] !== undefined).length;

/**
 * Read and change the filters of the current URL. `preset` pins filters a screen is built
 * around (the review queue is status=exception) whatever the URL says.
 */
export function useReadingFilters(preset: ReadingFilters = {}) {
  const [params, setParams] = useSearchParams();
  const query = params.toString();
  const presetKey = JSON.stringify(preset);

  const filters = useMemo<ReadingFilters>(
    () => ({ ...filtersFromParams(new URLSearchParams(query)), ...(JSON.parse(presetKey) as ReadingFilters) }),
    [query, presetKey],
  );

  const setFilters = useCallback(
    (patch: ReadingFilters | ((current: ReadingFilters) => ReadingFilters), options?: { replace?: boolean }) => {
      setParams(
        (current) => {
          const before = filtersFromParams(current);
          const next = typeof patch === 'function' ? patch(before) : { ...before, ...patch };
          return paramsFromFilters(next);
        },
        // Typing in the search box should not leave one history entry per keystroke.
        { replace: options?.replace ?? false },
      );
    },
    [setParams],
  );

  const clearFilters = useCallback(() => setParams(new URLSearchParams()), [setParams]);

  return { filters, query, setFilters, clearFilters };
}
