/** Kysely types of the package tables (migration 0006; snake_case, as stored). */

export interface HsPackageTypesTable {
  id: string;
  branch_id: string;
  code: string;
  name: string;
  description: string | null;
  price_minor: number;
  pool_kind: 'per_service' | 'shared_pool';
  pool_sessions: number | null;
  validity_kind: 'days_from_purchase' | 'days_from_first_use' | 'fixed_date';
  validity_days: number | null;
  valid_until: string | null;
  purchase_limit: number | null;
  late_cancel_consumes: number;
  no_show_consumes: number;
  status: 'on_sale' | 'withdrawn';
  first_sold_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface HsPackageTypeServicesTable {
  package_type_id: string;
  service_id: string;
  sessions: number | null;
  branch_id: string;
}

export interface HsPackageHoldingsTable {
  id: string;
  branch_id: string;
  holding_no: string;
  package_type_id: string;
  customer_id: string;
  name: string;
  price_minor: number;
  sessions_total: number;
  sessions_used: number;
  value_used_minor: number;
  validity_kind: HsPackageTypesTable['validity_kind'];
  validity_days: number | null;
  late_cancel_consumes: number;
  no_show_consumes: number;
  status: 'active' | 'expired' | 'used_up' | 'refunded' | 'transferred';
  purchased_at: string;
  purchased_on: string;
  first_used_on: string | null;
  expires_on: string | null;
  frozen_from: string | null;
  frozen_until: string | null;
  source: 'sale' | 'transfer';
  transferred_from_id: string | null;
  transferred_to_id: string | null;
  receipt_no: string | null;
  shift_id: string | null;
  tender: 'cash' | 'card' | 'cheque' | 'transfer' | null;
  tendered_minor: number | null;
  change_minor: number | null;
  reference: string | null;
  cashier_id: string | null;
  closed_at: string | null;
  refund_minor: number | null;
  refund_receipt_no: string | null;
  refund_shift_id: string | null;
  breakage_sessions: number | null;
  breakage_minor: number | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface HsPackageBalancesTable {
  id: string;
  branch_id: string;
  holding_id: string;
  service_id: string | null;
  sessions_total: number;
  sessions_used: number;
}

export interface HsPackageRedemptionsTable {
  id: string;
  branch_id: string;
  outcome: 'redeemed' | 'refused';
  reason: 'visit' | 'late_cancel' | 'no_show';
  holding_id: string | null;
  balance_id: string | null;
  customer_id: string;
  service_id: string;
  appointment_id: string;
  visit_id: string | null;
  sessions: number;
  value_minor: number;
  refusal_rule: string | null;
  message: string | null;
  at: string;
  local_date: string;
}

export interface PackageTables {
  hs_package_types: HsPackageTypesTable;
  hs_package_type_services: HsPackageTypeServicesTable;
  hs_package_holdings: HsPackageHoldingsTable;
  hs_package_balances: HsPackageBalancesTable;
  hs_package_redemptions: HsPackageRedemptionsTable;
}
