/** Kysely types of the maintenance tables migration 0004 creates (snake_case, as stored). */
import type {
  AssetClass,
  AssetStatus,
  DowntimeReason,
  MovementKind,
  Priority,
  ScheduleKind,
  WorkOrderStatus,
  WorkOrderType,
} from '../../../../src-shared/contracts/energy/maintenance';

export interface MaintenanceSitesTable {
  id: string;
  branch_id: string;
  code: string;
  name: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AssetsTable {
  id: string;
  branch_id: string;
  code: string;
  name: string;
  asset_class: AssetClass;
  site_id: string;
  parent_id: string | null;
  status: AssetStatus;
  serial: string | null;
  in_service_on: string;
  usage_unit: string | null;
  usage_reading: number | null;
  usage_read_on: string | null;
  retired_on: string | null;
  retire_reason: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AssetUsageReadingsTable {
  id: string;
  branch_id: string;
  asset_id: string;
  value: number;
  read_on: string;
  recorded_by: string;
  created_at: string;
}

export interface WorkOrdersTable {
  id: string;
  branch_id: string;
  wo_no: string;
  type: WorkOrderType;
  status: WorkOrderStatus;
  priority: Priority;
  title: string;
  description: string | null;
  asset_id: string;
  due_on: string | null;
  assigned_to: string | null;
  schedule_id: string | null;
  due_key: string | null;
  labour_hours: number;
  labour_cost: number;
  parts_cost: number;
  hold_reason: string | null;
  completion_notes: string | null;
  completed_at: string | null;
  completed_by: string | null;
  closed_at: string | null;
  closed_by: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
  created_by: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface PmSchedulesTable {
  id: string;
  branch_id: string;
  asset_id: string;
  title: string;
  kind: ScheduleKind;
  interval_days: number | null;
  interval_usage: number | null;
  next_due_on: string | null;
  next_due_usage: number | null;
  estimated_hours: number;
  priority: Priority;
  active: number;
  created_by: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface WorkOrderEventsTable {
  id: string;
  branch_id: string;
  work_order_id: string;
  at: string;
  from_status: WorkOrderStatus | null;
  to_status: WorkOrderStatus;
  note: string | null;
  actor_id: string;
}

export interface WorkOrderLabourTable {
  id: string;
  branch_id: string;
  work_order_id: string;
  user_id: string;
  worked_on: string;
  hours: number;
  rate: number;
  cost: number;
  note: string | null;
  created_at: string;
}

export interface AssetDowntimeTable {
  id: string;
  branch_id: string;
  asset_id: string;
  reason: DowntimeReason;
  failure: number;
  started_at: string;
  ended_at: string | null;
  work_order_id: string | null;
  notes: string | null;
  recorded_by: string;
  ended_by: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface PartsTable {
  id: string;
  branch_id: string;
  code: string;
  name: string;
  unit: string;
  unit_cost: number;
  min_quantity: number;
  on_hand: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface PartMovementsTable {
  id: string;
  branch_id: string;
  part_id: string;
  kind: MovementKind;
  quantity: number;
  unit_cost: number;
  value: number;
  balance_after: number;
  work_order_id: string | null;
  reference: string | null;
  reason: string | null;
  actor_id: string;
  at: string;
}

export interface MaintenanceTables {
  maintenance_sites: MaintenanceSitesTable;
  assets: AssetsTable;
  asset_usage_readings: AssetUsageReadingsTable;
  work_orders: WorkOrdersTable;
  pm_schedules: PmSchedulesTable;
  work_order_events: WorkOrderEventsTable;
  work_order_labour: WorkOrderLabourTable;
  asset_downtime: AssetDowntimeTable;
  parts: PartsTable;
  part_movements: PartMovementsTable;
}
