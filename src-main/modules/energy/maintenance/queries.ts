import type { z } from 'zod';
import type {
  Asset,
  Downtime,
  Movement,
  Part,
  Schedule,
  Site,
  WorkOrder,
  assetFilters,
  workOrderFilters,
} from '../../../../src-shared/contracts/energy/maintenance';
import { sqlAll, sqlGet, type SqliteDb } from '../../../core/db/store';
import { containsPattern, decodeCursor, encodeCursor } from '../meter-readings/queries';
import { assetReliabilityParts, downtimeHours, isLowStock, isOverdue, type ReliabilityParts, type Stop } from './rules';
import type {
  AssetDowntimeTable,
  AssetsTable,
  MaintenanceSitesTable,
  PartMovementsTable,
  PartsTable,
  PmSchedulesTable,
  WorkOrdersTable,
} from './tables';

/**
 * Reads of equipment maintenance and the row → DTO mapping. Plain functions of a connection, so
 * handlers, the export job and reports share them. "Overdue" depends on the day, so lists take
 * the branch's today.
 */

/** Named parameters a statement does not use must not be passed (better-sqlite3 refuses them). */
export function bind(sql: string, params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([name]) => new RegExp(`@${name}\\b`).test(sql)));
}

/** A WHERE clause built from the filters that were given, with their named parameters. */
function conditions() {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  return {
    params,
    /** Adds `sql` (and its parameters) when `value` was given. */
    when(value: unknown, sql: string, named: Record<string, unknown> = {}) {
      if (value === undefined || value === false || value === '') return;
      clauses.push(sql);
      Object.assign(params, named);
    },
    get where() {
      return clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    },
  };
}

/* ---------------- sites ---------------- */

export function listSites(db: SqliteDb, id?: string): Site[] {
  return sqlAll<MaintenanceSitesTable & { asset_count: number }>(
    db,
    `SELECT s.*, (SELECT count(*) FROM assets a WHERE a.site_id = s.id AND a.status <> 'retired') AS asset_count
     FROM maintenance_sites s WHERE (@id IS NULL OR s.id = @id) ORDER BY s.code`,
    { id: id ?? null },
  ).map((s) => ({ id: s.id, code: s.code, name: s.name, assetCount: s.asset_count, version: s.version }));
}

/* ---------------- assets ---------------- */

type AssetRow = AssetsTable & { site_code: string; site_name: string; parent_code: string | null; open_downtime_id: string | null };

const ASSET_SELECT = `SELECT a.*, s.code AS site_code, s.name AS site_name, p.code AS parent_code,
    (SELECT d.id FROM asset_downtime d WHERE d.asset_id = a.id AND d.ended_at IS NULL) AS open_downtime_id
  FROM assets a JOIN maintenance_sites s ON s.id = a.site_id LEFT JOIN assets p ON p.id = a.parent_id`;

export const toAsset = (r: AssetRow): Asset => ({
  id: r.id,
  code: r.code,
  name: r.name,
  assetClass: r.asset_class,
  siteId: r.site_id,
  siteCode: r.site_code,
  siteName: r.site_name,
  parentId: r.parent_id,
  parentCode: r.parent_code,
  status: r.status,
  serial: r.serial,
  inServiceOn: r.in_service_on,
  usageUnit: r.usage_unit,
  usageReading: r.usage_reading,
  usageReadOn: r.usage_read_on,
  openDowntimeId: r.open_downtime_id,
  retiredOn: r.retired_on,
  version: r.version,
});

export const findAssetRow = (db: SqliteDb, id: string): AssetsTable | undefined => sqlGet(db, 'SELECT * FROM assets WHERE id = ?', id);

export function findAsset(db: SqliteDb, id: string): Asset | undefined {
  const row = sqlGet<AssetRow>(db, `${ASSET_SELECT} WHERE a.id = ?`, id);
  return row && toAsset(row);
}

export type AssetFilters = { [K in keyof typeof assetFilters]?: z.output<(typeof assetFilters)[K]> };

/** Assets by site and code, paged by key on (site code, asset code). */
export function listAssets(db: SqliteDb, f: AssetFilters & { cursor?: string; limit: number }) {
  const c = conditions();
  c.when(f.siteId, 'a.site_id = @siteId', { siteId: f.siteId });
  c.when(f.assetClass, 'a.asset_class = @assetClass', { assetClass: f.assetClass });
  c.when(f.status, 'a.status = @status', { status: f.status });
  c.when(f.parentId, 'a.parent_id = @parentId', { parentId: f.parentId });
  c.when(f.search, `(a.code LIKE @pattern ESCAPE '\\' OR a.name LIKE @pattern ESCAPE '\\' OR a.serial LIKE @pattern ESCAPE '\\')`, {
    pattern: f.search ? containsPattern(f.search) : null,
  });
  const { where, params } = c;
  const countSql = `SELECT count(*) AS n FROM assets a ${where}`;
  const total = sqlGet<{ n: number }>(db, countSql, bind(countSql, params))!.n;
  let keyset = '';
  if (f.cursor) {
    const [siteCode, code] = decodeCursor(f.cursor, ['string', 'string']) as [string, string];
    keyset = `${where ? ' AND' : 'WHERE'} (s.code, a.code) > (@cursorSite, @cursorCode)`;
    params.cursorSite = siteCode;
    params.cursorCode = code;
  }
  const sql = `${ASSET_SELECT} ${where}${keyset} ORDER BY s.code, a.code LIMIT @limit`;
  const rows = sqlAll<AssetRow>(db, sql, bind(sql, { ...params, limit: f.limit + 1 }));
  const more = rows.length > f.limit;
  const pageRows = rows.slice(0, f.limit);
  const last = pageRows.at(-1);
  return { rows: pageRows.map(toAsset), nextCursor: more && last ? encodeCursor([last.site_code, last.code]) : null, total };
}

export const childAssets = (db: SqliteDb, id: string): Asset[] =>
  sqlAll<AssetRow>(db, `${ASSET_SELECT} WHERE a.parent_id = ? ORDER BY a.code`, id).map(toAsset);

/** True when `candidate` is `assetId` or sits somewhere below it (a parent cannot be its own descendant). */
export function isSelfOrDescendant(db: SqliteDb, assetId: string, candidate: string): boolean {
  const row = sqlGet<{ hit: number }>(
    db,
    `WITH RECURSIVE below(id) AS (SELECT ? UNION SELECT a.id FROM assets a JOIN below b ON a.parent_id = b.id)
     SELECT count(*) AS hit FROM below WHERE id = ?`,
    assetId,
    candidate,
  );
  return (row?.hit ?? 0) > 0;
}

export function usageReadings(db: SqliteDb, assetId: string, since?: string): { readOn: string; value: number }[] {
  return sqlAll<{ read_on: string; value: number }>(
    db,
    `SELECT read_on, value FROM asset_usage_readings WHERE asset_id = ? AND read_on >= ? ORDER BY read_on, created_at`,
    assetId,
    since ?? '0000-01-01',
  ).map((r) => ({ readOn: r.read_on, value: r.value }));
}

/* ---------------- downtime ---------------- */

type DowntimeRow = AssetDowntimeTable & { asset_code: string; wo_no: string | null; recorded_by_name: string };

const DOWNTIME_SELECT = `SELECT d.*, a.code AS asset_code, w.wo_no, u.display_name AS recorded_by_name
  FROM asset_downtime d JOIN assets a ON a.id = d.asset_id LEFT JOIN work_orders w ON w.id = d.work_order_id
    JOIN users u ON u.id = d.recorded_by`;

export const toDowntime = (r: DowntimeRow, now: Date): Downtime => ({
  id: r.id,
  assetId: r.asset_id,
  assetCode: r.asset_code,
  reason: r.reason,
  failure: r.failure === 1,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  hours: downtimeHours([{ startedAt: r.started_at, endedAt: r.ended_at }], now),
  workOrderId: r.work_order_id,
  workOrderNo: r.wo_no,
  notes: r.notes,
  recordedByName: r.recorded_by_name,
  version: r.version,
});

export const findDowntimeRow = (db: SqliteDb, id: string): AssetDowntimeTable | undefined => sqlGet(db, 'SELECT * FROM asset_downtime WHERE id = ?', id);

export function findDowntime(db: SqliteDb, id: string, now: Date): Downtime | undefined {
  const row = sqlGet<DowntimeRow>(db, `${DOWNTIME_SELECT} WHERE d.id = ?`, id);
  return row && toDowntime(row, now);
}

export const openDowntimeOf = (db: SqliteDb, assetId: string): AssetDowntimeTable | undefined =>
  sqlGet(db, 'SELECT * FROM asset_downtime WHERE asset_id = ? AND ended_at IS NULL', assetId);

export function listDowntime(
  db: SqliteDb,
  f: { assetId?: string; siteId?: string; reason?: string; open?: boolean; workOrderId?: string; cursor?: string; limit: number },
  now: Date,
) {
  const c = conditions();
  c.when(f.assetId, 'd.asset_id = @assetId', { assetId: f.assetId });
  c.when(f.siteId, 'a.site_id = @siteId', { siteId: f.siteId });
  c.when(f.reason, 'd.reason = @reason', { reason: f.reason });
  c.when(f.workOrderId, 'd.work_order_id = @workOrderId', { workOrderId: f.workOrderId });
  c.when(f.open === true, 'd.ended_at IS NULL');
  c.when(f.open === false, 'd.ended_at IS NOT NULL');
  const { where, params } = c;
  const countSql = `SELECT count(*) AS n FROM asset_downtime d JOIN assets a ON a.id = d.asset_id ${where}`;
  const total = sqlGet<{ n: number }>(db, countSql, bind(countSql, params))!.n;
  let keyset = '';
  if (f.cursor) {
    const [at, id] = decodeCursor(f.cursor, ['string', 'string']) as [string, string];
    keyset = `${where ? ' AND' : 'WHERE'} (d.started_at, d.id) < (@cursorAt, @cursorId)`;
    params.cursorAt = at;
    params.cursorId = id;
  }
  const sql = `${DOWNTIME_SELECT} ${where}${keyset} ORDER BY d.started_at DESC, d.id DESC LIMIT @limit`;
  const rows = sqlAll<DowntimeRow>(db, sql, bind(sql, { ...params, limit: f.limit + 1 }));
  const more = rows.length > f.limit;
  const pageRows = rows.slice(0, f.limit);
  const last = pageRows.at(-1);
  return { rows: pageRows.map((r) => toDowntime(r, now)), nextCursor: more && last ? encodeCursor([last.started_at, last.id]) : null, total };
}

/* ---------------- reliability ---------------- */

/**
 * Each asset's reliability parts from its downtime log. A stop's day is its local calendar date in
 * the branch's zone (`startedOn`), as MTBF counts days.
 */
export function reliabilityParts(
  db: SqliteDb,
  now: Date,
  localDate: (instant: string) => string,
  f: { siteId?: string; assetClass?: string; assetId?: string } = {},
): { asset: Pick<AssetsTable, 'id' | 'code' | 'name' | 'asset_class' | 'in_service_on'>; parts: ReliabilityParts }[] {
  const assets = sqlAll<Pick<AssetsTable, 'id' | 'code' | 'name' | 'asset_class' | 'in_service_on'>>(
    db,
    `SELECT id, code, name, asset_class, in_service_on FROM assets
     WHERE (@siteId IS NULL OR site_id = @siteId) AND (@assetClass IS NULL OR asset_class = @assetClass) AND (@assetId IS NULL OR id = @assetId)
     ORDER BY code`,
    { siteId: f.siteId ?? null, assetClass: f.assetClass ?? null, assetId: f.assetId ?? null },
  );
  const stops = sqlAll<Pick<AssetDowntimeTable, 'asset_id' | 'started_at' | 'ended_at' | 'failure'>>(
    db,
    `SELECT d.asset_id, d.started_at, d.ended_at, d.failure FROM asset_downtime d JOIN assets a ON a.id = d.asset_id
     WHERE (@siteId IS NULL OR a.site_id = @siteId) AND (@assetClass IS NULL OR a.asset_class = @assetClass) AND (@assetId IS NULL OR a.id = @assetId)`,
    { siteId: f.siteId ?? null, assetClass: f.assetClass ?? null, assetId: f.assetId ?? null },
  );
  const byAsset = new Map<string, Stop[]>();
  for (const s of stops) {
    const list = byAsset.get(s.asset_id) ?? [];
    list.push({ startedOn: localDate(s.started_at), startedAt: s.started_at, endedAt: s.ended_at, failure: s.failure === 1 });
    byAsset.set(s.asset_id, list);
  }
  return assets.map((asset) => ({ asset, parts: assetReliabilityParts(asset.in_service_on, byAsset.get(asset.id) ?? [], now) }));
}

/* ---------------- schedules ---------------- */

type ScheduleRow = PmSchedulesTable & { asset_code: string; asset_name: string; usage_unit: string | null };

const SCHEDULE_SELECT = `SELECT p.*, a.code AS asset_code, a.name AS asset_name, a.usage_unit FROM pm_schedules p JOIN assets a ON a.id = p.asset_id`;

export const toSchedule = (r: ScheduleRow): Schedule => ({
  id: r.id,
  assetId: r.asset_id,
  assetCode: r.asset_code,
  assetName: r.asset_name,
  title: r.title,
  kind: r.kind,
  intervalDays: r.interval_days,
  intervalUsage: r.interval_usage,
  usageUnit: r.usage_unit,
  nextDueOn: r.next_due_on,
  nextDueUsage: r.next_due_usage,
  estimatedHours: r.estimated_hours,
  priority: r.priority,
  active: r.active === 1,
  version: r.version,
});

export function listSchedules(db: SqliteDb, f: { assetId?: string; active?: boolean; id?: string }): Schedule[] {
  return sqlAll<ScheduleRow>(
    db,
    `${SCHEDULE_SELECT} WHERE (@assetId IS NULL OR p.asset_id = @assetId) AND (@active IS NULL OR p.active = @active) AND (@id IS NULL OR p.id = @id)
     ORDER BY a.code, p.title`,
    { assetId: f.assetId ?? null, active: f.active === undefined ? null : f.active ? 1 : 0, id: f.id ?? null },
  ).map(toSchedule);
}

export const findScheduleRow = (db: SqliteDb, id: string): PmSchedulesTable | undefined => sqlGet(db, 'SELECT * FROM pm_schedules WHERE id = ?', id);

/** Active schedules of assets still in use: what the generator walks. */
export const schedulesToGenerate = (db: SqliteDb): (PmSchedulesTable & { usage_reading: number | null })[] =>
  sqlAll(
    db,
    `SELECT p.*, a.usage_reading FROM pm_schedules p JOIN assets a ON a.id = p.asset_id
     WHERE p.active = 1 AND a.status <> 'retired' ORDER BY p.id`,
  );

/* ---------------- work orders ---------------- */

type WorkOrderRow = WorkOrdersTable & {
  asset_code: string;
  asset_name: string;
  asset_class: AssetsTable['asset_class'];
  site_id: string;
  site_code: string;
  assigned_to_name: string | null;
  created_by_name: string;
};

const WO_FROM = `FROM work_orders w JOIN assets a ON a.id = w.asset_id JOIN maintenance_sites s ON s.id = a.site_id
    LEFT JOIN users au ON au.id = w.assigned_to JOIN users cu ON cu.id = w.created_by`;
const WO_SELECT = `SELECT w.*, a.code AS asset_code, a.name AS asset_name, a.asset_class, a.site_id, s.code AS site_code,
    au.display_name AS assigned_to_name, cu.display_name AS created_by_name ${WO_FROM}`;

export const toWorkOrder = (r: WorkOrderRow, today: string): WorkOrder => ({
  id: r.id,
  woNo: r.wo_no,
  type: r.type,
  status: r.status,
  priority: r.priority,
  title: r.title,
  description: r.description,
  assetId: r.asset_id,
  assetCode: r.asset_code,
  assetName: r.asset_name,
  assetClass: r.asset_class,
  siteId: r.site_id,
  siteCode: r.site_code,
  dueOn: r.due_on,
  overdue: isOverdue(r.status, r.due_on, today),
  assignedTo: r.assigned_to,
  assignedToName: r.assigned_to_name,
  scheduleId: r.schedule_id,
  labourHours: r.labour_hours,
  labourCost: r.labour_cost,
  partsCost: r.parts_cost,
  totalCost: r.labour_cost + r.parts_cost,
  holdReason: r.hold_reason,
  completionNotes: r.completion_notes,
  completedAt: r.completed_at,
  closedAt: r.closed_at,
  cancelReason: r.cancel_reason,
  createdByName: r.created_by_name,
  createdAt: r.created_at,
  version: r.version,
});

export const findWorkOrderRow = (db: SqliteDb, id: string): WorkOrdersTable | undefined => sqlGet(db, 'SELECT * FROM work_orders WHERE id = ?', id);

export function findWorkOrder(db: SqliteDb, id: string, today: string): WorkOrder | undefined {
  const row = sqlGet<WorkOrderRow>(db, `${WO_SELECT} WHERE w.id = ?`, id);
  return row && toWorkOrder(row, today);
}

export type WorkOrderFilters = { [K in keyof typeof workOrderFilters]?: z.output<(typeof workOrderFilters)[K]> } & {
  createdFrom?: string;
  createdTo?: string;
};

const UNFINISHED = `w.status IN ('open','in_progress','on_hold')`;

function workOrderWhere(f: WorkOrderFilters, today: string): { where: string; params: Record<string, unknown> } {
  const c = conditions();
  c.when(f.status, 'w.status = @status', { status: f.status });
  c.when(f.unfinished, UNFINISHED);
  c.when(f.type, 'w.type = @type', { type: f.type });
  c.when(f.assetId, 'w.asset_id = @assetId', { assetId: f.assetId });
  c.when(f.siteId, 'a.site_id = @siteId', { siteId: f.siteId });
  c.when(f.assetClass, 'a.asset_class = @assetClass', { assetClass: f.assetClass });
  c.when(f.assignedTo, 'w.assigned_to = @assignedTo', { assignedTo: f.assignedTo });
  c.when(f.overdue === true, `(${UNFINISHED} AND w.due_on < @today)`, { today });
  c.when(f.overdue === false, `NOT (${UNFINISHED} AND w.due_on IS NOT NULL AND w.due_on < @today)`, { today });
  c.when(f.createdFrom, 'w.created_at >= @createdFrom', { createdFrom: f.createdFrom });
  c.when(f.createdTo, 'w.created_at < @createdTo', { createdTo: f.createdTo });
  c.when(
    f.search,
    `(w.wo_no LIKE @pattern ESCAPE '\\' OR w.title LIKE @pattern ESCAPE '\\' OR a.code LIKE @pattern ESCAPE '\\' OR a.name LIKE @pattern ESCAPE '\\')`,
    { pattern: f.search ? containsPattern(f.search) : null },
  );
  return { where: c.where, params: c.params };
}

/** Work orders newest first, paged by key on (created_at DESC, id DESC), with cost totals. */
export function listWorkOrders(db: SqliteDb, f: WorkOrderFilters & { cursor?: string; limit: number }, today: string) {
  const { where, params } = workOrderWhere(f, today);
  const aggregateSql = `SELECT count(*) AS n, coalesce(sum(w.labour_cost + w.parts_cost), 0) AS cost, coalesce(sum(w.labour_hours), 0) AS hours ${WO_FROM} ${where}`;
  const aggregate = sqlGet<{ n: number; cost: number; hours: number }>(db, aggregateSql, bind(aggregateSql, params))!;
  let keyset = '';
  if (f.cursor) {
    const [at, id] = decodeCursor(f.cursor, ['string', 'string']) as [string, string];
    keyset = `${where ? ' AND' : 'WHERE'} (w.created_at, w.id) < (@cursorAt, @cursorId)`;
    params.cursorAt = at;
    params.cursorId = id;
  }
  const sql = `${WO_SELECT} ${where}${keyset} ORDER BY w.created_at DESC, w.id DESC LIMIT @limit`;
  const rows = sqlAll<WorkOrderRow>(db, sql, bind(sql, { ...params, limit: f.limit + 1 }));
  const more = rows.length > f.limit;
  const pageRows = rows.slice(0, f.limit);
  const last = pageRows.at(-1);
  return {
    rows: pageRows.map((r) => toWorkOrder(r, today)),
    nextCursor: more && last ? encodeCursor([last.created_at, last.id]) : null,
    total: aggregate.n,
    totals: { totalCost: aggregate.cost, labourHours: Math.round(aggregate.hours * 100) / 100 },
  };
}

/** Every matching work order, oldest first, in chunks (the export's detail sheet). */
export function* iterateWorkOrders(db: SqliteDb, f: WorkOrderFilters, today: string, chunk = 500): Generator<WorkOrder> {
  const { where, params } = workOrderWhere(f, today);
  let after: [string, string] | null = null;
  for (;;) {
    const keyset: string = after ? `${where ? ' AND' : 'WHERE'} (w.created_at, w.id) > (@afterAt, @afterId)` : '';
    const sql: string = `${WO_SELECT} ${where}${keyset} ORDER BY w.created_at, w.id LIMIT @limit`;
    const all: Record<string, unknown> = { ...params, limit: chunk };
    if (after) {
      all.afterAt = after[0];
      all.afterId = after[1];
    }
    const rows: WorkOrderRow[] = sqlAll<WorkOrderRow>(db, sql, bind(sql, all));
    for (const row of rows) yield toWorkOrder(row, today);
    if (rows.length < chunk) return;
    const last: WorkOrderRow = rows[rows.length - 1]!;
    after = [last.created_at, last.id];
  }
}

export function workOrderLabour(db: SqliteDb, workOrderId: string) {
  return sqlAll<{ id: string; user_name: string; worked_on: string; hours: number; cost: number; note: string | null }>(
    db,
    `SELECT l.id, u.display_name AS user_name, l.worked_on, l.hours, l.cost, l.note FROM work_order_labour l JOIN users u ON u.id = l.user_id
     WHERE l.work_order_id = ? ORDER BY l.worked_on, l.created_at`,
    workOrderId,
  ).map((l) => ({ id: l.id, userName: l.user_name, workedOn: l.worked_on, hours: l.hours, cost: l.cost, note: l.note }));
}

export function workOrderTimeline(db: SqliteDb, workOrderId: string) {
  return sqlAll<{ id: string; at: string; from_status: WorkOrder['status'] | null; to_status: WorkOrder['status']; note: string | null; actor_name: string }>(
    db,
    `SELECT e.id, e.at, e.from_status, e.to_status, e.note, u.display_name AS actor_name FROM work_order_events e JOIN users u ON u.id = e.actor_id
     WHERE e.work_order_id = ? ORDER BY e.at, e.id`,
    workOrderId,
  ).map((e) => ({ id: e.id, at: e.at, fromStatus: e.from_status, toStatus: e.to_status, note: e.note, actorName: e.actor_name }));
}

export function recentWorkOrderEvents(db: SqliteDb, limit: number) {
  return sqlAll<{ id: string; at: string; from_status: WorkOrder['status'] | null; to_status: WorkOrder['status']; note: string | null; actor_name: string; work_order_id: string; wo_no: string }>(
    db,
    `SELECT e.id, e.at, e.from_status, e.to_status, e.note, u.display_name AS actor_name, e.work_order_id, w.wo_no
     FROM work_order_events e JOIN users u ON u.id = e.actor_id JOIN work_orders w ON w.id = e.work_order_id
     ORDER BY e.at DESC, e.id DESC LIMIT ?`,
    limit,
  ).map((e) => ({ id: e.id, at: e.at, fromStatus: e.from_status, toStatus: e.to_status, note: e.note, actorName: e.actor_name, workOrderId: e.work_order_id, woNo: e.wo_no }));
}

export function overdueWorkOrders(db: SqliteDb, today: string, f: { type?: 'preventive' | 'corrective'; limit: number }): WorkOrder[] {
  return sqlAll<WorkOrderRow>(
    db,
    `${WO_SELECT} WHERE ${UNFINISHED} AND w.due_on < @today AND (@type IS NULL OR w.type = @type) ORDER BY w.due_on, w.id LIMIT @limit`,
    { today, type: f.type ?? null, limit: f.limit },
  ).map((r) => toWorkOrder(r, today));
}

export function nextWorkOrderSequence(db: SqliteDb): number {
  const row = sqlGet<{ n: number | null }>(db, `SELECT max(CAST(substr(wo_no, 4) AS INTEGER)) AS n FROM work_orders`);
  return (row?.n ?? 0) + 1;
}

/* ---------------- parts ---------------- */

export const toPart = (r: PartsTable): Part => ({
  id: r.id,
  code: r.code,
  name: r.name,
  unit: r.unit,
  unitCost: r.unit_cost,
  minQuantity: r.min_quantity,
  onHand: r.on_hand,
  stockValue: r.on_hand * r.unit_cost,
  low: isLowStock(r.on_hand, r.min_quantity),
  version: r.version,
});

export const findPartRow = (db: SqliteDb, id: string): PartsTable | undefined => sqlGet(db, 'SELECT * FROM parts WHERE id = ?', id);

export function listParts(db: SqliteDb, f: { search?: string; low?: boolean }) {
  const all = sqlAll<PartsTable>(
    db,
    `SELECT * FROM parts WHERE (@pattern IS NULL OR code LIKE @pattern ESCAPE '\\' OR name LIKE @pattern ESCAPE '\\') ORDER BY code`,
    { pattern: f.search ? containsPattern(f.search) : null },
  ).map(toPart);
  const rows = f.low === undefined ? all : all.filter((p) => p.low === f.low);
  return { rows, stockValue: all.reduce((s, p) => s + p.stockValue, 0), lowCount: all.filter((p) => p.low).length };
}

export const stockValue = (db: SqliteDb): number => sqlGet<{ v: number | null }>(db, 'SELECT sum(on_hand * unit_cost) AS v FROM parts')!.v ?? 0;

type MovementRow = PartMovementsTable & { part_code: string; part_name: string; wo_no: string | null; actor_name: string };

const MOVEMENT_SELECT = `SELECT m.*, p.code AS part_code, p.name AS part_name, w.wo_no, u.display_name AS actor_name
  FROM part_movements m JOIN parts p ON p.id = m.part_id LEFT JOIN work_orders w ON w.id = m.work_order_id JOIN users u ON u.id = m.actor_id`;

const toMovement = (r: MovementRow): Movement => ({
  id: r.id,
  partId: r.part_id,
  partCode: r.part_code,
  partName: r.part_name,
  kind: r.kind,
  quantity: r.quantity,
  unitCost: r.unit_cost,
  value: r.value,
  balanceAfter: r.balance_after,
  workOrderId: r.work_order_id,
  workOrderNo: r.wo_no,
  reference: r.reference,
  reason: r.reason,
  actorName: r.actor_name,
  at: r.at,
});

export const partLedger = (db: SqliteDb, partId: string, limit = 500): Movement[] =>
  sqlAll<MovementRow>(db, `${MOVEMENT_SELECT} WHERE m.part_id = ? ORDER BY m.at DESC, m.id DESC LIMIT ?`, partId, limit).map(toMovement);

export const workOrderParts = (db: SqliteDb, workOrderId: string): Movement[] =>
  sqlAll<MovementRow>(db, `${MOVEMENT_SELECT} WHERE m.work_order_id = ? ORDER BY m.at, m.id`, workOrderId).map(toMovement);
