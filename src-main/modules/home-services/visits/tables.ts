import type { GeofenceLevel, Outcome, VisitStatus } from '../../../../src-shared/contracts/home-services/visits';

/** Kysely types of the visit tables migration 0005 creates (snake_case, as stored). */

export interface HsVisitsTable {
  id: string;
  branch_id: string;
  job_id: string;
  appointment_id: string;
  service_id: string;
  evv_service_type: string;
  customer_id: string;
  evv_recipient: string;
  technician_id: string | null;
  evv_provider: string | null;
  local_date: string;
  status: VisitStatus;
  verification: GeofenceLevel;
  check_in_at: string | null;
  check_in_lat: number | null;
  check_in_lng: number | null;
  check_in_accuracy_m: number | null;
  check_in_distance_m: number | null;
  check_in_level: GeofenceLevel | null;
  check_in_explanation: string | null;
  checked_in_by: string | null;
  check_out_at: string | null;
  check_out_lat: number | null;
  check_out_lng: number | null;
  check_out_accuracy_m: number | null;
  check_out_distance_m: number | null;
  check_out_level: GeofenceLevel | null;
  check_out_explanation: string | null;
  checked_out_by: string | null;
  note: string | null;
  outcome: Outcome | null;
  signature_png: string | null;
  signed_by: string | null;
  photo_refs_json: string;
  corrected: number;
  missed_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface HsVisitCorrectionsTable {
  id: string;
  branch_id: string;
  visit_id: string;
  reason_code: string;
  reason: string;
  changes_json: string;
  corrected_by: string;
  corrected_at: string;
}

export interface VisitTables {
  hs_visits: HsVisitsTable;
  hs_visit_corrections: HsVisitCorrectionsTable;
}
