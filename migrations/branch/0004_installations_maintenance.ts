/**
 * Service installation tracking (service orders, their timeline, checklist ticks and attachments)
 * and equipment maintenance tracking (sites, assets, usage readings, downtime, preventive
 * schedules, work orders with labour, parts and their stock ledger).
 * Frozen once released: change the schema with a new numbered migration.
 */
export default {
  version: 4,
  name: 'installations_maintenance',
  sql: `
CREATE TABLE service_orders (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  order_no TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL CHECK (type IN ('new_connection','upgrade','relocation','disconnection','reconnection')),
  priority TEXT NOT NULL CHECK (priority IN ('low','normal','high','urgent')),
  stage TEXT NOT NULL CHECK (stage IN ('requested','surveyed','approved','scheduled','installed','commissioned','closed','cancelled')),
  customer_name TEXT NOT NULL,
  phone TEXT,
  address TEXT NOT NULL,
  description TEXT,
  account_id TEXT REFERENCES accounts(id),
  route_id TEXT REFERENCES routes(id),
  -- The service-level clock: the allowance in hours (from the priority), when it started, the time
  -- spent on hold so far, and the deadline that results (moved on every resume).
  sla_hours INTEGER NOT NULL CHECK (sla_hours > 0),
  received_at TEXT NOT NULL,
  paused_ms INTEGER NOT NULL DEFAULT 0 CHECK (paused_ms >= 0),
  sla_due_at TEXT NOT NULL,
  stage_entered_at TEXT NOT NULL,
  on_hold INTEGER NOT NULL DEFAULT 0 CHECK (on_hold IN (0,1)),
  hold_reason TEXT,
  hold_started_at TEXT,
  survey_result TEXT CHECK (survey_result IN ('feasible','feasible_with_works','not_feasible')),
  survey_notes TEXT,
  materials_json TEXT NOT NULL DEFAULT '[]',
  surveyed_by TEXT REFERENCES users(id),
  surveyed_at TEXT,
  approved_by TEXT REFERENCES users(id),
  approved_at TEXT,
  approval_id TEXT,
  crew TEXT,
  scheduled_date TEXT,
  installed_on TEXT,
  meter_serial TEXT,
  meter_dials INTEGER,
  meter_multiplier REAL,
  installed_by TEXT REFERENCES users(id),
  commissioned_on TEXT,
  commissioned_at TEXT,
  initial_read INTEGER,
  removal_read INTEGER,
  meter_id TEXT REFERENCES meters(id),
  commissioned_by TEXT REFERENCES users(id),
  -- Decided once, when the order is commissioned (1 met, 0 breached); NULL until then.
  sla_met INTEGER CHECK (sla_met IN (0,1)),
  closed_at TEXT,
  closed_by TEXT REFERENCES users(id),
  cancelled_at TEXT,
  cancelled_by TEXT REFERENCES users(id),
  cancel_reason TEXT,
  created_by TEXT NOT NULL REFERENCES users(id),
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
-- Work queues: a stage's orders by deadline; the overall list newest first; breach checks.
CREATE INDEX service_orders_stage_due ON service_orders (stage, sla_due_at, id);
CREATE INDEX service_orders_received ON service_orders (received_at, id);
CREATE INDEX service_orders_account ON service_orders (account_id);
CREATE INDEX service_orders_commissioned ON service_orders (commissioned_at) WHERE commissioned_at IS NOT NULL;

CREATE TABLE service_order_events (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  order_id TEXT NOT NULL REFERENCES service_orders(id),
  at TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('created','updated','stage','hold','resume','note','attachment','cancelled')),
  from_stage TEXT,
  to_stage TEXT,
  text TEXT,
  actor_id TEXT NOT NULL REFERENCES users(id)
) STRICT;
CREATE INDEX service_order_events_order ON service_order_events (order_id, at, id);
CREATE INDEX service_order_events_at ON service_order_events (at, id);

CREATE TABLE service_order_checks (
  order_id TEXT NOT NULL REFERENCES service_orders(id),
  branch_id TEXT NOT NULL,
  stage TEXT NOT NULL,
  item_key TEXT NOT NULL,
  -- The label as it read when ticked: a checklist edited later does not rewrite what was confirmed.
  label TEXT NOT NULL,
  checked_by TEXT NOT NULL REFERENCES users(id),
  checked_at TEXT NOT NULL,
  PRIMARY KEY (order_id, stage, item_key)
) STRICT;

CREATE TABLE service_order_attachments (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  order_id TEXT NOT NULL REFERENCES service_orders(id),
  file_ref TEXT NOT NULL,
  label TEXT NOT NULL,
  added_by TEXT NOT NULL REFERENCES users(id),
  added_at TEXT NOT NULL
) STRICT;
CREATE INDEX service_order_attachments_order ON service_order_attachments (order_id, added_at);

CREATE TABLE maintenance_sites (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  code TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE assets (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  code TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  asset_class TEXT NOT NULL CHECK (asset_class IN ('transformer','pump','vehicle','tool','meter_stock')),
  site_id TEXT NOT NULL REFERENCES maintenance_sites(id),
  parent_id TEXT REFERENCES assets(id),
  status TEXT NOT NULL CHECK (status IN ('operational','down','standby','retired')),
  serial TEXT,
  in_service_on TEXT NOT NULL,
  usage_unit TEXT,
  usage_reading REAL,
  usage_read_on TEXT,
  retired_on TEXT,
  retire_reason TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX assets_site ON assets (site_id, code);
CREATE INDEX assets_parent ON assets (parent_id);
CREATE INDEX assets_status ON assets (status, code);

CREATE TABLE asset_usage_readings (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  asset_id TEXT NOT NULL REFERENCES assets(id),
  value REAL NOT NULL CHECK (value >= 0),
  read_on TEXT NOT NULL,
  recorded_by TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX asset_usage_readings_asset ON asset_usage_readings (asset_id, read_on);

CREATE TABLE work_orders (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  wo_no TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL CHECK (type IN ('corrective','preventive')),
  status TEXT NOT NULL CHECK (status IN ('open','in_progress','on_hold','completed','closed','cancelled')),
  priority TEXT NOT NULL CHECK (priority IN ('low','normal','high','urgent')),
  title TEXT NOT NULL,
  description TEXT,
  asset_id TEXT NOT NULL REFERENCES assets(id),
  due_on TEXT,
  assigned_to TEXT REFERENCES users(id),
  schedule_id TEXT REFERENCES pm_schedules(id),
  -- Which occurrence of the schedule this order is ('2026-03-01' or 'usage:1500'): generating twice cannot duplicate it.
  due_key TEXT,
  labour_hours REAL NOT NULL DEFAULT 0,
  labour_cost INTEGER NOT NULL DEFAULT 0,
  parts_cost INTEGER NOT NULL DEFAULT 0,
  hold_reason TEXT,
  completion_notes TEXT,
  completed_at TEXT,
  completed_by TEXT REFERENCES users(id),
  closed_at TEXT,
  closed_by TEXT REFERENCES users(id),
  cancelled_at TEXT,
  cancel_reason TEXT,
  created_by TEXT NOT NULL REFERENCES users(id),
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX work_orders_one_per_occurrence ON work_orders (schedule_id, due_key) WHERE schedule_id IS NOT NULL;
CREATE INDEX work_orders_created ON work_orders (created_at, id);
CREATE INDEX work_orders_status_due ON work_orders (status, due_on);
CREATE INDEX work_orders_asset ON work_orders (asset_id, created_at);
CREATE INDEX work_orders_closed ON work_orders (closed_at) WHERE closed_at IS NOT NULL;

CREATE TABLE pm_schedules (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  asset_id TEXT NOT NULL REFERENCES assets(id),
  title TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('calendar','usage')),
  interval_days INTEGER CHECK (interval_days > 0),
  interval_usage REAL CHECK (interval_usage > 0),
  next_due_on TEXT,
  next_due_usage REAL,
  estimated_hours REAL NOT NULL,
  priority TEXT NOT NULL CHECK (priority IN ('low','normal','high','urgent')),
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
  created_by TEXT NOT NULL REFERENCES users(id),
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK ((kind = 'calendar' AND interval_days IS NOT NULL AND next_due_on IS NOT NULL)
      OR (kind = 'usage' AND interval_usage IS NOT NULL AND next_due_usage IS NOT NULL))
) STRICT;
CREATE INDEX pm_schedules_asset ON pm_schedules (asset_id);

CREATE TABLE work_order_events (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  work_order_id TEXT NOT NULL REFERENCES work_orders(id),
  at TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT NOT NULL,
  note TEXT,
  actor_id TEXT NOT NULL REFERENCES users(id)
) STRICT;
CREATE INDEX work_order_events_order ON work_order_events (work_order_id, at, id);
CREATE INDEX work_order_events_at ON work_order_events (at, id);

CREATE TABLE work_order_labour (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  work_order_id TEXT NOT NULL REFERENCES work_orders(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  worked_on TEXT NOT NULL,
  hours REAL NOT NULL CHECK (hours > 0),
  -- The rate of the day is frozen with the hours, so a later rate change does not reprice old work.
  rate INTEGER NOT NULL,
  cost INTEGER NOT NULL,
  note TEXT,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX work_order_labour_order ON work_order_labour (work_order_id);
CREATE INDEX work_order_labour_day ON work_order_labour (worked_on);

CREATE TABLE asset_downtime (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  asset_id TEXT NOT NULL REFERENCES assets(id),
  reason TEXT NOT NULL CHECK (reason IN ('breakdown','electrical_fault','accident','planned_maintenance','power_outage','other')),
  failure INTEGER NOT NULL CHECK (failure IN (0,1)),
  started_at TEXT NOT NULL,
  ended_at TEXT,
  work_order_id TEXT REFERENCES work_orders(id),
  notes TEXT,
  recorded_by TEXT NOT NULL REFERENCES users(id),
  ended_by TEXT REFERENCES users(id),
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK (ended_at IS NULL OR ended_at >= started_at)
) STRICT;
-- An asset is down once at a time: the open stop must end before another begins.
CREATE UNIQUE INDEX asset_downtime_one_open ON asset_downtime (asset_id) WHERE ended_at IS NULL;
CREATE INDEX asset_downtime_asset ON asset_downtime (asset_id, started_at);
CREATE INDEX asset_downtime_started ON asset_downtime (started_at, id);
CREATE INDEX asset_downtime_order ON asset_downtime (work_order_id);

CREATE TABLE parts (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  code TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  unit TEXT NOT NULL,
  unit_cost INTEGER NOT NULL CHECK (unit_cost >= 0),
  min_quantity INTEGER NOT NULL DEFAULT 0 CHECK (min_quantity >= 0),
  -- Kept equal to the ledger's last balance; the CHECK is the last line behind the stock rule.
  on_hand INTEGER NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE part_movements (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  part_id TEXT NOT NULL REFERENCES parts(id),
  kind TEXT NOT NULL CHECK (kind IN ('receipt','issue','adjustment')),
  quantity INTEGER NOT NULL CHECK (quantity <> 0),
  unit_cost INTEGER NOT NULL,
  value INTEGER NOT NULL,
  balance_after INTEGER NOT NULL CHECK (balance_after >= 0),
  work_order_id TEXT REFERENCES work_orders(id),
  reference TEXT,
  reason TEXT,
  actor_id TEXT NOT NULL REFERENCES users(id),
  at TEXT NOT NULL
) STRICT;
CREATE INDEX part_movements_part ON part_movements (part_id, at, id);
CREATE INDEX part_movements_order ON part_movements (work_order_id);
CREATE INDEX part_movements_at ON part_movements (at, kind);
`,
};
