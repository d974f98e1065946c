/** Kysely types of the tables migration 0002 creates (snake_case, as stored). */

export interface RoutesTable {
  id: string;
  branch_id: string;
  code: string;
  name: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AccountsTable {
  id: string;
  branch_id: string;
  account_no: string;
  name: string;
  phone: string | null;
  address: string;
  route_id: string | null;
  sequence: number;
  status: 'active' | 'inactive';
  category: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface MetersTable {
  id: string;
  branch_id: string;
  serial: string;
  dials: number;
  multiplier: number;
  account_id: string | null;
  status: 'installed' | 'removed';
  installed_on: string;
  removed_on: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface MeterReadingsTable {
  id: string;
  branch_id: string;
  meter_id: string;
  account_id: string;
  route_id: string | null;
  register: string;
  value: number;
  original_value: number | null;
  read_date: string;
  read_type: 'actual' | 'customer' | 'estimated';
  purpose: 'regular' | 'removal' | 'install';
  skip_code: string | null;
  remark: string | null;
  consumption: number;
  previous_reading_id: string | null;
  previous_value: number | null;
  previous_read_date: string | null;
  status: 'posted' | 'exception' | 'reread';
  resolution: 'accepted' | 'corrected' | null;
  /** JSON array of `{ code, message }`. */
  exceptions_json: string;
  review_reason: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  reader_id: string;
  source: 'manual' | 'import' | 'estimate';
  version: number;
  created_at: string;
  updated_at: string;
}

export interface MeterReadingTables {
  routes: RoutesTable;
  accounts: AccountsTable;
  meters: MetersTable;
  meter_readings: MeterReadingsTable;
}
