import dayjs from 'dayjs';
import { useMemo } from 'react';
import { readingsReport, routesList } from '../../../../src-shared/contracts/energy/meter-readings';
import { useRpcQuery, useSession } from '../../../api/hooks';
import { today } from './labels';

/** Today in the branch's time zone. */
export function useToday(): string {
  const { system } = useSession();
  return today(system.timeZone);
}

export interface Option {
  value: string;
  label: string;
}

/** Routes as select options, labelled "A01 · Riverside" so both the code and the walk are visible. */
export function useRouteOptions(readDate?: string) {
  const routes = useRpcQuery(routesList, readDate ? { readDate } : {});
  const options = useMemo<Option[]>(
    () => (routes.data ?? []).map((route) => ({ value: route.id, label: `${route.code} · ${route.name}` })),
    [routes.data],
  );
  return { routes, options };
}

/**
 * Who has read meters, and which customer categories exist, over the last year. The readings
 * report grouped by reader / category already answers this under the function's own `view`
 * permission, so supervisors need no access to the users admin just to filter by reader.
 */
export function useReportDimensionOptions(groupBy: 'reader' | 'category') {
  const to = useToday();
  const from = dayjs(to).subtract(1, 'year').format('YYYY-MM-DD');
  const report = useRpcQuery(readingsReport, { period: 'month', groupBy, from, to });
  return useMemo<Option[]>(
    () =>
      (report.data?.rows ?? [])
        .map((row) => ({ value: row.key, label: row.label }))
        .sort((a, b) => a.label.localeCompare(b.label)),
    [report.data],
  );
}
