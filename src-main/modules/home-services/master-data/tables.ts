/** Kysely types of the master-data tables migration 0005 creates (snake_case, as stored). */

export interface HsZonesTable {
  id: string;
  branch_id: string;
  code: string;
  name: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface HsTechniciansTable {
  id: string;
  branch_id: string;
  code: string;
  name: string;
  phone: string | null;
  user_id: string | null;
  home_lat: number | null;
  home_lng: number | null;
  color: string;
  active: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface HsTechnicianSkillsTable {
  technician_id: string;
  skill: string;
  level: number;
  branch_id: string;
}

export interface HsTechnicianZonesTable {
  technician_id: string;
  zone_id: string;
  branch_id: string;
}

export interface HsTechnicianHoursTable {
  id: string;
  branch_id: string;
  technician_id: string;
  kind: 'work' | 'break';
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** Minutes after local midnight in the branch's time zone. */
  start_minute: number;
  end_minute: number;
}

export interface HsTimeOffTable {
  id: string;
  branch_id: string;
  technician_id: string;
  starts_at: string;
  ends_at: string;
  reason: string;
  created_by: string;
  created_at: string;
  removed_at: string | null;
  removed_by: string | null;
}

export interface HsServicesTable {
  id: string;
  branch_id: string;
  sku: string;
  name: string;
  category: string;
  duration_minutes: number;
  buffer_minutes: number;
  price_minor: number;
  slot_capacity: number | null;
  active: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface HsServiceSkillsTable {
  service_id: string;
  skill: string;
  min_level: number;
  branch_id: string;
}

export interface HsCustomersTable {
  id: string;
  branch_id: string;
  customer_no: string;
  name: string;
  phone: string | null;
  email: string | null;
  address: string;
  lat: number | null;
  lng: number | null;
  zone_id: string | null;
  notes: string | null;
  active: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface MasterDataTables {
  hs_zones: HsZonesTable;
  hs_technicians: HsTechniciansTable;
  hs_technician_skills: HsTechnicianSkillsTable;
  hs_technician_zones: HsTechnicianZonesTable;
  hs_technician_hours: HsTechnicianHoursTable;
  hs_time_off: HsTimeOffTable;
  hs_services: HsServicesTable;
  hs_service_skills: HsServiceSkillsTable;
  hs_customers: HsCustomersTable;
}
