/** Kysely types of the service order tables migration 0004 creates (snake_case, as stored). */
import type { OrderType, Priority, Stage, SurveyResult } from '../../../../src-shared/contracts/energy/installations';

export interface ServiceOrdersTable {
  id: string;
  branch_id: string;
  order_no: string;
  type: OrderType;
  priority: Priority;
  stage: Stage;
  customer_name: string;
  phone: string | null;
  address: string;
  description: string | null;
  account_id: string | null;
  route_id: string | null;
  sla_hours: number;
  received_at: string;
  paused_ms: number;
  sla_due_at: string;
  stage_entered_at: string;
  on_hold: number;
  hold_reason: string | null;
  hold_started_at: string | null;
  survey_result: SurveyResult | null;
  survey_notes: string | null;
  /** JSON array of `{ item, quantity, unit }`. */
  materials_json: string;
  surveyed_by: string | null;
  surveyed_at: string | null;
  approved_by: string | null;
  approved_at: string | null;
  approval_id: string | null;
  crew: string | null;
  scheduled_date: string | null;
  installed_on: string | null;
  meter_serial: string | null;
  meter_dials: number | null;
  meter_multiplier: number | null;
  installed_by: string | null;
  commissioned_on: string | null;
  commissioned_at: string | null;
  initial_read: number | null;
  removal_read: number | null;
  meter_id: string | null;
  commissioned_by: string | null;
  sla_met: number | null;
  closed_at: string | null;
  closed_by: string | null;
  cancelled_at: string | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
  created_by: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ServiceOrderEventsTable {
  id: string;
  branch_id: string;
  order_id: string;
  at: string;
  kind: 'created' | 'updated' | 'stage' | 'hold' | 'resume' | 'note' | 'attachment' | 'cancelled';
  from_stage: Stage | null;
  to_stage: Stage | null;
  text: string | null;
  actor_id: string;
}

export interface ServiceOrderChecksTable {
  order_id: string;
  branch_id: string;
  stage: string;
  item_key: string;
  label: string;
  checked_by: string;
  checked_at: string;
}

export interface ServiceOrderAttachmentsTable {
  id: string;
  branch_id: string;
  order_id: string;
  file_ref: string;
  label: string;
  added_by: string;
  added_at: string;
}

export interface InstallationTables {
  service_orders: ServiceOrdersTable;
  service_order_events: ServiceOrderEventsTable;
  service_order_checks: ServiceOrderChecksTable;
  service_order_attachments: ServiceOrderAttachmentsTable;
}
