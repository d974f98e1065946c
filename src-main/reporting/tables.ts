/** Kysely types of the tables migration 0007 creates (snake_case, as stored). */

export interface ReportTargetsTable {
  id: string;
  branch_id: string;
  kpi_key: string;
  period: 'day' | 'week' | 'month';
  /** First date of the period, or '' for the standing target of every such period. */
  period_start: string;
  value: number;
  note: string | null;
  set_by: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ReportViewsTable {
  id: string;
  branch_id: string;
  owner_id: string;
  report_key: string;
  name: string;
  params_json: string;
  shared: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ReportingTables {
  report_targets: ReportTargetsTable;
  report_views: ReportViewsTable;
}
