import { PERIOD_GROUP, REPORT_PERIODS, dimensionKey, type ReportFilters, type ReportPeriod } from '../../src-shared/contracts/reports';
import { localDate } from '../../src-shared/rpc';

/**
 * A report's settings live in the URL — `/reports/<key>?from&to&period&groupBy&measure&f.user=…`
 * — so every drilldown, KPI card and saved view is a link, and Back undoes a drill. Params that
 * do not parse are dropped rather than sinking the report with a VALIDATION error.
 */
export interface ReportParams {
  from: string;
  to: string;
  period: ReportPeriod;
  groupBy: string;
  measure?: string;
  filters: ReportFilters;
}

const FILTER_PREFIX = 'f.';

export function paramsFromSearch(search: URLSearchParams, defaults: { from: string; to: string }): ReportParams {
  const date = (key: string, fallback: string) => {
    const parsed = localDate.safeParse(search.get(key));
    return parsed.success ? parsed.data : fallback;
  };
  const period = search.get('period');
  const groupBy = search.get('groupBy');
  const filters: ReportFilters = {};
  for (const [key, value] of search) {
    // `f.route=` (empty) is a filter too: the records without a route.
    if (!key.startsWith(FILTER_PREFIX)) continue;
    const dim = key.slice(FILTER_PREFIX.length);
    if (dimensionKey.safeParse(dim).success) filters[dim] = value.slice(0, 200);
  }
  const from = date('from', defaults.from);
  const to = date('to', defaults.to);
  return {
    from: from <= to ? from : to,
    to,
    period: (REPORT_PERIODS as readonly string[]).includes(period ?? '') ? (period as ReportPeriod) : 'day',
    groupBy: groupBy && (groupBy === PERIOD_GROUP || dimensionKey.safeParse(groupBy).success) ? groupBy : PERIOD_GROUP,
    measure: search.get('measure') ?? undefined,
    filters,
  };
}

export function searchFromParams(params: Partial<ReportParams>): URLSearchParams {
  const search = new URLSearchParams();
  if (params.from) search.set('from', params.from);
  if (params.to) search.set('to', params.to);
  if (params.period && params.period !== 'day') search.set('period', params.period);
  if (params.groupBy && params.groupBy !== PERIOD_GROUP) search.set('groupBy', params.groupBy);
  if (params.measure) search.set('measure', params.measure);
  for (const [dim, value] of Object.entries(params.filters ?? {}).sort()) search.set(`${FILTER_PREFIX}${dim}`, value);
  return search;
}

export const reportPath = (reportKey: string, params: Partial<ReportParams> = {}): string => {
  const query = searchFromParams(params).toString();
  return `/reports/${encodeURIComponent(reportKey)}${query ? `?${query}` : ''}`;
};

export const recordsPath = (reportKey: string, params: Pick<ReportParams, 'from' | 'to' | 'filters'>): string =>
  `/reports/${encodeURIComponent(reportKey)}/records?${searchFromParams(params).toString()}`;
