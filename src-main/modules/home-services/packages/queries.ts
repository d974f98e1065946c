import type { Holding, PackageType, Redemption } from '../../../../src-shared/contracts/home-services/packages';
import { sqlAll, sqlGet } from '../../energy/billing/sql';
import type { SqliteDb } from '../../../core/db/store';
import { expiryOf, isFrozenOn, liabilityOf, type CreditLine } from './rules';
import type { HsPackageBalancesTable, HsPackageHoldingsTable, HsPackageRedemptionsTable, HsPackageTypesTable } from './tables';

/** Reads of the package tables and their row → DTO mapping. */

/* ---------------- package types ---------------- */

interface TypeServiceRow {
  package_type_id: string;
  service_id: string;
  sessions: number | null;
  sku: string;
  name: string;
  price_minor: number;
}

export const findTypeRow = (db: SqliteDb, id: string): HsPackageTypesTable | undefined => sqlGet(db, 'SELECT * FROM hs_package_types WHERE id = ?', id);

export function typeServices(db: SqliteDb, typeId: string): TypeServiceRow[] {
  return sqlAll<TypeServiceRow>(
    db,
    `SELECT ts.package_type_id, ts.service_id, ts.sessions, s.sku, s.name, s.price_minor
     FROM hs_package_type_services ts JOIN hs_services s ON s.id = ts.service_id WHERE ts.package_type_id = ? ORDER BY s.name`,
    typeId,
  );
}

export function toPackageType(db: SqliteDb, row: HsPackageTypesTable): PackageType {
  const services = typeServices(db, row.id);
  const soldCount = sqlGet<{ n: number }>(db, `SELECT count(*) AS n FROM hs_package_holdings WHERE package_type_id = ? AND source = 'sale'`, row.id)!.n;
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    description: row.description,
    priceMinor: row.price_minor,
    poolKind: row.pool_kind,
    poolSessions: row.pool_sessions,
    sessionsTotal: row.pool_kind === 'shared_pool' ? (row.pool_sessions ?? 0) : services.reduce((s, x) => s + (x.sessions ?? 0), 0),
    services: services.map((s) => ({ serviceId: s.service_id, serviceSku: s.sku, serviceName: s.name, priceMinor: s.price_minor, sessions: s.sessions })),
    validityKind: row.validity_kind,
    validityDays: row.validity_days,
    validUntil: row.valid_until,
    purchaseLimit: row.purchase_limit,
    lateCancelConsumes: row.late_cancel_consumes === 1,
    noShowConsumes: row.no_show_consumes === 1,
    status: row.status,
    firstSoldAt: row.first_sold_at,
    soldCount,
    version: row.version,
  };
}

export function findPackageType(db: SqliteDb, id: string): PackageType | undefined {
  const row = findTypeRow(db, id);
  return row && toPackageType(db, row);
}

export function listPackageTypes(db: SqliteDb, filter: { status?: string; search?: string }): PackageType[] {
  const like = filter.search ? `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  return sqlAll<HsPackageTypesTable>(
    db,
    `SELECT * FROM hs_package_types WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR code LIKE ?2 ESCAPE '\\' OR name LIKE ?2 ESCAPE '\\')
     ORDER BY status, name LIMIT 500`,
    filter.status ?? null,
    like,
  ).map((r) => toPackageType(db, r));
}

/* ---------------- holdings ---------------- */

export type HoldingRow = HsPackageHoldingsTable & { customer_no: string; customer_name: string };
export const HOLDING_SELECT = `SELECT h.*, c.customer_no, c.name AS customer_name FROM hs_package_holdings h JOIN hs_customers c ON c.id = h.customer_id`;

export const findHoldingRow = (db: SqliteDb, id: string): HoldingRow | undefined => sqlGet<HoldingRow>(db, `${HOLDING_SELECT} WHERE h.id = ?`, id);

type BalanceRow = HsPackageBalancesTable & { service_name: string | null };

export function balancesOf(db: SqliteDb, holdingIds: readonly string[]): Map<string, BalanceRow[]> {
  const out = new Map<string, BalanceRow[]>();
  if (holdingIds.length === 0) return out;
  const rows = sqlAll<BalanceRow>(
    db,
    `SELECT b.*, s.name AS service_name FROM hs_package_balances b LEFT JOIN hs_services s ON s.id = b.service_id
     WHERE b.holding_id IN (SELECT value FROM json_each(?)) ORDER BY b.service_id IS NULL, s.name`,
    JSON.stringify(holdingIds),
  );
  for (const r of rows) out.set(r.holding_id, [...(out.get(r.holding_id) ?? []), r]);
  return out;
}

/** Names of a shared pool's services, by package type. */
function poolLabels(db: SqliteDb, typeIds: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (typeIds.length === 0) return out;
  for (const r of sqlAll<{ package_type_id: string; names: string }>(
    db,
    `SELECT ts.package_type_id, group_concat(s.name, ', ') AS names FROM hs_package_type_services ts JOIN hs_services s ON s.id = ts.service_id
     WHERE ts.package_type_id IN (SELECT value FROM json_each(?)) GROUP BY ts.package_type_id`,
    JSON.stringify(typeIds),
  )) {
    out.set(r.package_type_id, r.names);
  }
  return out;
}

/** What a holding's status reads as today: an active package past its last day is expired, even before the sweep closes it. */
export function effectiveStatus(row: Pick<HsPackageHoldingsTable, 'status' | 'expires_on'>, today: string): Holding['status'] {
  if (row.status === 'active' && row.expires_on !== null && row.expires_on < today) return 'expired';
  return row.status;
}

export function toHoldings(db: SqliteDb, rows: readonly HoldingRow[], today: string): Holding[] {
  const balances = balancesOf(
    db,
    rows.map((r) => r.id),
  );
  const pools = poolLabels(db, [...new Set(rows.map((r) => r.package_type_id))]);
  return rows.map((r) => {
    const status = effectiveStatus(r, today);
    const lines = balances.get(r.id) ?? [];
    return {
      id: r.id,
      holdingNo: r.holding_no,
      packageTypeId: r.package_type_id,
      name: r.name,
      customerId: r.customer_id,
      customerNo: r.customer_no,
      customerName: r.customer_name,
      priceMinor: r.price_minor,
      sessionsTotal: r.sessions_total,
      sessionsUsed: r.sessions_used,
      sessionsRemaining: status === 'active' ? r.sessions_total - r.sessions_used : 0,
      liabilityMinor: status === 'active' ? r.price_minor - r.value_used_minor : 0,
      status,
      frozenNow: isFrozenOn({ frozenFrom: r.frozen_from, frozenUntil: r.frozen_until }, today),
      frozenFrom: r.frozen_from,
      frozenUntil: r.frozen_until,
      purchasedAt: r.purchased_at,
      purchasedOn: r.purchased_on,
      firstUsedOn: r.first_used_on,
      expiresOn: r.expires_on,
      validityKind: r.validity_kind,
      validityDays: r.validity_days,
      source: r.source,
      transferredFromId: r.transferred_from_id,
      transferredToId: r.transferred_to_id,
      receiptNo: r.receipt_no,
      refundMinor: r.refund_minor,
      breakageSessions: r.breakage_sessions,
      breakageMinor: r.breakage_minor,
      balances: lines.map((b) => ({
        id: b.id,
        serviceId: b.service_id,
        label: b.service_id === null ? `Any of: ${pools.get(r.package_type_id) ?? 'the package’s services'}` : (b.service_name ?? b.service_id),
        sessionsTotal: b.sessions_total,
        sessionsUsed: b.sessions_used,
        remaining: status === 'active' ? b.sessions_total - b.sessions_used : 0,
      })),
      version: r.version,
    };
  });
}

export function findHolding(db: SqliteDb, id: string, today: string): Holding | undefined {
  const row = findHoldingRow(db, id);
  return row && toHoldings(db, [row], today)[0];
}

/** A customer's packages that can still matter for a redemption: in use, expired or used up (not refunded or transferred away). */
export function creditLines(db: SqliteDb, customerId: string): CreditLine[] {
  const holdings = sqlAll<HsPackageHoldingsTable>(
    db,
    `SELECT * FROM hs_package_holdings WHERE customer_id = ? AND status IN ('active', 'expired', 'used_up')`,
    customerId,
  );
  if (holdings.length === 0) return [];
  const balances = balancesOf(
    db,
    holdings.map((h) => h.id),
  );
  const eligible = new Map<string, string[]>();
  for (const r of sqlAll<{ package_type_id: string; service_id: string }>(
    db,
    `SELECT package_type_id, service_id FROM hs_package_type_services WHERE package_type_id IN (SELECT value FROM json_each(?))`,
    JSON.stringify([...new Set(holdings.map((h) => h.package_type_id))]),
  )) {
    eligible.set(r.package_type_id, [...(eligible.get(r.package_type_id) ?? []), r.service_id]);
  }
  return holdings.flatMap((h) =>
    (balances.get(h.id) ?? []).map<CreditLine>((b) => ({
      holdingId: h.id,
      holdingNo: h.holding_no,
      name: h.name,
      balanceId: b.id,
      serviceId: b.service_id,
      eligibleServiceIds: eligible.get(h.package_type_id) ?? [],
      remaining: b.sessions_total - b.sessions_used,
      status: h.status,
      purchasedAt: h.purchased_at,
      expiresOn: h.expires_on,
      expiryIfUsedOn: (date) => expiryOf({ validityKind: h.validity_kind, validityDays: h.validity_days, validUntil: h.expires_on }, h.purchased_on, date),
      frozenFrom: h.frozen_from,
      frozenUntil: h.frozen_until,
      consumesOnLateCancel: h.late_cancel_consumes === 1,
      consumesOnNoShow: h.no_show_consumes === 1,
    })),
  );
}

/** Outstanding liability of holdings, as of `today` (sessions and value at the package rate). */
export const liabilitySql = (today: string) => ({
  sessions: `CASE WHEN h.status = 'active' AND (h.expires_on IS NULL OR h.expires_on >= '${today}') THEN h.sessions_total - h.sessions_used ELSE 0 END`,
  value: `CASE WHEN h.status = 'active' AND (h.expires_on IS NULL OR h.expires_on >= '${today}') THEN h.price_minor - h.value_used_minor ELSE 0 END`,
});

export const holdingLiability = (h: Pick<HsPackageHoldingsTable, 'price_minor' | 'sessions_total' | 'sessions_used'>): number =>
  liabilityOf(h.price_minor, h.sessions_total, h.sessions_used);

/* ---------------- redemptions ---------------- */

type RedemptionRow = HsPackageRedemptionsTable & {
  holding_no: string | null;
  package_name: string | null;
  service_name: string;
  appointment_number: number;
  customer_no: string;
  customer_name: string;
};
const REDEMPTION_SELECT = `SELECT r.*, h.holding_no, h.name AS package_name, s.name AS service_name, a.number AS appointment_number, c.customer_no, c.name AS customer_name
  FROM hs_package_redemptions r LEFT JOIN hs_package_holdings h ON h.id = r.holding_id JOIN hs_services s ON s.id = r.service_id
  JOIN hs_appointments a ON a.id = r.appointment_id JOIN hs_customers c ON c.id = r.customer_id`;

const appointmentNo = (n: number) => `BK-${String(n).padStart(6, '0')}`;

export const toRedemption = (r: RedemptionRow): Redemption => ({
  id: r.id,
  outcome: r.outcome,
  reason: r.reason,
  holdingId: r.holding_id,
  holdingNo: r.holding_no,
  packageName: r.package_name,
  customerId: r.customer_id,
  customerNo: r.customer_no,
  customerName: r.customer_name,
  serviceId: r.service_id,
  serviceName: r.service_name,
  appointmentId: r.appointment_id,
  appointmentNumber: appointmentNo(r.appointment_number),
  visitId: r.visit_id,
  sessions: r.sessions,
  valueMinor: r.value_minor,
  refusalRule: r.refusal_rule,
  message: r.message,
  at: r.at,
  localDate: r.local_date,
});

export function redemptionsOf(db: SqliteDb, where: { holdingId?: string; customerId?: string }, limit = 500): Redemption[] {
  return sqlAll<RedemptionRow>(
    db,
    `${REDEMPTION_SELECT} WHERE (?1 IS NULL OR r.holding_id = ?1) AND (?2 IS NULL OR r.customer_id = ?2) ORDER BY r.at DESC, r.id DESC LIMIT ?3`,
    where.holdingId ?? null,
    where.customerId ?? null,
    limit,
  ).map(toRedemption);
}

export function listRedemptions(
  db: SqliteDb,
  input: { customerId?: string; holdingId?: string; outcome?: string; fromInstant?: string; toInstant?: string; cursor?: [string, string]; limit: number },
) {
  const where = `WHERE (?1 IS NULL OR r.customer_id = ?1) AND (?2 IS NULL OR r.holding_id = ?2) AND (?3 IS NULL OR r.outcome = ?3)
    AND (?4 IS NULL OR r.at >= ?4) AND (?5 IS NULL OR r.at < ?5)`;
  const args = [input.customerId ?? null, input.holdingId ?? null, input.outcome ?? null, input.fromInstant ?? null, input.toInstant ?? null];
  const total = sqlGet<{ n: number }>(db, `SELECT count(*) AS n FROM hs_package_redemptions r ${where}`, ...args)!.n;
  const rows = sqlAll<RedemptionRow>(
    db,
    `${REDEMPTION_SELECT} ${where} AND (?6 IS NULL OR (r.at, r.id) < (?6, ?7)) ORDER BY r.at DESC, r.id DESC LIMIT ?8`,
    ...args,
    input.cursor?.[0] ?? null,
    input.cursor?.[1] ?? null,
    input.limit + 1,
  );
  return { rows: rows.slice(0, input.limit).map(toRedemption), more: rows.length > input.limit, total };
}
