/**
 * Reporting and analytics: KPI targets set by supervisors, saved report views, and the indexes the
 * report engine needs on tables of earlier migrations. Week start and time zone stay in `branch`.
 * Frozen once released: change the schema with a new numbered migration.
 */
export default {
  version: 7,
  name: 'reporting',
  sql: `
CREATE TABLE report_targets (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  kpi_key TEXT NOT NULL,
  period TEXT NOT NULL CHECK (period IN ('day','week','month')),
  -- The first date of one period, or '' for the standing target of every such period. An empty
  -- string rather than NULL, so the unique key below also holds for standing targets.
  period_start TEXT NOT NULL DEFAULT '',
  value REAL NOT NULL,
  note TEXT,
  set_by TEXT NOT NULL REFERENCES users(id),
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (branch_id, kpi_key, period, period_start)
) STRICT;

CREATE TABLE report_views (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  owner_id TEXT NOT NULL REFERENCES users(id),
  report_key TEXT NOT NULL,
  name TEXT NOT NULL,
  params_json TEXT NOT NULL,
  shared INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1)),
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (owner_id, report_key, name)
) STRICT;
CREATE INDEX report_views_report ON report_views (report_key, shared);

-- Exception heatmap: readings that raised VEE exceptions, by when they were entered.
CREATE INDEX meter_readings_exceptions_entered ON meter_readings (created_at) WHERE exceptions_json <> '[]';
`,
};
