import type { AppointmentStatus, Channel } from '../../../../src-shared/contracts/home-services/scheduling';

/** Kysely types of the scheduling tables migration 0005 creates (snake_case, as stored). */

export interface HsSeriesTable {
  id: string;
  branch_id: string;
  frequency: 'weekly' | 'monthly';
  interval: number;
  count: number;
  /** HH:mm in `time_zone`: every occurrence starts at this wall-clock time. */
  local_time: string;
  time_zone: string;
  first_date: string;
  created_by: string;
  created_at: string;
}

export interface HsAppointmentsTable {
  id: string;
  branch_id: string;
  number: number;
  customer_id: string;
  service_id: string;
  starts_at: string;
  ends_at: string;
  local_date: string;
  duration_minutes: number;
  buffer_minutes: number;
  price_minor: number;
  status: AppointmentStatus;
  channel: Channel;
  notes: string | null;
  series_id: string | null;
  series_index: number | null;
  detached: number;
  reschedule_count: number;
  late_cancel: number;
  cancel_reason_code: string | null;
  cancel_reason: string | null;
  closed_at: string | null;
  closed_by: string | null;
  booked_by: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface SchedulingTables {
  hs_series: HsSeriesTable;
  hs_appointments: HsAppointmentsTable;
}
