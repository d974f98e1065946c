import { reportsCatalogue, type KpiInfo, type ReportInfo } from '../../src-shared/contracts/reports';
import { useRpcQuery } from '../api/hooks';

export interface Calendar {
  today: string;
  timeZone: string;
  weekStart: number;
}

/**
 * The reports and KPIs this user may see, and the branch's calendar. One query for the whole
 * session (it changes only with a new release or new rights), filtered on the client.
 */
export function useReportingCatalogue() {
  const query = useRpcQuery(reportsCatalogue, {});
  const data = query.data;
  return {
    query,
    reports: data?.reports ?? ([] as ReportInfo[]),
    kpis: data?.kpis ?? ([] as KpiInfo[]),
    calendar: data?.calendar ?? null,
    report: (key: string | undefined) => data?.reports.find((r) => r.key === key),
    kpi: (key: string | undefined) => data?.kpis.find((k) => k.key === key),
  };
}
