import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { z } from 'zod';
import { orderFilters } from '../../../../src-shared/contracts/energy/installations';
import { FUNCTION_PATH } from './labels';

/**
 * The order list's filters live in the URL, each checked with the contract's own schema for that
 * field, so a drilldown (a board column, a dashboard card, a report row) is just a link. A param
 * that does not pass is dropped rather than sinking the list with a VALIDATION error.
 */
export type OrderFilters = { [K in keyof typeof orderFilters]?: z.output<(typeof orderFilters)[K]> };
const KEYS = Object.keys(orderFilters) as (keyof OrderFilters)[];

export function filtersFromParams(params: URLSearchParams): OrderFilters {
  const filters: Record<string, unknown> = {};
  for (const key of KEYS) {
    const raw = params.get(key);
    if (raw === null || raw === '') continue;
    const parsed = orderFilters[key].safeParse(raw);
    if (parsed.success && parsed.data !== undefined && parsed.data !== '') filters[key] = parsed.data;
  }
  return filters as OrderFilters;
}

export function ordersListPath(filters: OrderFilters): string {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const value = filters[key];
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const query = params.toString();
  return query ? `${FUNCTION_PATH}/orders?${query}` : `${FUNCTION_PATH}/orders`;
}

export function useOrderFilters() {
  const [params, setParams] = useSearchParams();
  const query = params.toString();
  const filters = useMemo(() => filtersFromParams(new URLSearchParams(query)), [query]);
  const setFilters = useCallback(
    (patch: OrderFilters, options?: { replace?: boolean }) =>
      setParams(
        (current) => {
          const next = { ...filtersFromParams(current), ...patch };
          const out = new URLSearchParams();
          for (const key of KEYS) if (next[key] !== undefined && next[key] !== '') out.set(key, String(next[key]));
          return out;
        },
        { replace: options?.replace ?? false },
      ),
    [setParams],
  );
  const clearFilters = useCallback(() => setParams(new URLSearchParams()), [setParams]);
  return { filters, setFilters, clearFilters, active: KEYS.filter((k) => filters[k] !== undefined).length };
}
