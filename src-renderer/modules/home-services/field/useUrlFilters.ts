import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { z } from 'zod';

type Shape = Record<string, z.ZodType>;
export type FiltersOf<S extends Shape> = { [K in keyof S]?: Exclude<z.output<S[K]>, undefined> };

/** A URL param as the contract's field would take it: booleans and numbers arrive as text. */
function coerce(raw: string): unknown {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  return raw;
}

/**
 * A list's filters as URL search params, checked with the contract's own schema for each field, so
 * a drilldown or a saved view is just a link and Back undoes a filter. A param the contract
 * refuses is dropped rather than sinking the list with a VALIDATION error.
 */
export function useUrlFilters<S extends Shape>(shape: S) {
  const [params, setParams] = useSearchParams();
  const query = params.toString();
  const keys = useMemo(() => Object.keys(shape) as (keyof S & string)[], [shape]);

  const read = useCallback(
    (source: URLSearchParams): FiltersOf<S> => {
      const filters: Record<string, unknown> = {};
      for (const key of keys) {
        const raw = source.get(key);
        if (raw === null || raw === '') continue;
        const parsed = shape[key]!.safeParse(coerce(raw));
        if (parsed.success && parsed.data !== undefined && parsed.data !== '') filters[key] = parsed.data;
      }
      return filters as FiltersOf<S>;
    },
    [keys, shape],
  );

  const filters = useMemo(() => read(new URLSearchParams(query)), [query, read]);

  const setFilters = useCallback(
    (patch: Partial<Record<keyof S, unknown>>, options?: { replace?: boolean }) =>
      setParams(
        (current) => {
          const next = { ...read(current), ...patch } as Record<string, unknown>;
          const out = new URLSearchParams();
          for (const key of keys) {
            const value = next[key];
            if (value !== undefined && value !== null && value !== '') out.set(key, String(value));
          }
          return out;
        },
        { replace: options?.replace ?? false },
      ),
    [keys, read, setParams],
  );

  const clearFilters = useCallback(() => setParams(new URLSearchParams()), [setParams]);
  const active = keys.filter((key) => filters[key] !== undefined).length;
  return { filters, setFilters, clearFilters, active };
}
