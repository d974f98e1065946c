import type { z } from 'zod';
import type {
  ChecklistItem,
  ChecklistStage,
  Material,
  OrderEvent,
  ServiceOrder,
  Stage,
  orderFilters,
} from '../../../../src-shared/contracts/energy/installations';
import { CHECKLIST_STAGES } from '../../../../src-shared/contracts/energy/installations';
import { sqlAll, sqlGet, type SqliteDb } from '../../../core/db/store';
import { containsPattern, decodeCursor, encodeCursor } from '../meter-readings/queries';
import { slaStatus, stageDurations, type Interval, type StageEntry } from './rules';
import type { ServiceOrderEventsTable, ServiceOrdersTable } from './tables';

/**
 * Reads of service installation tracking and the row → DTO mapping. Plain functions of a
 * connection so handlers, the export job and reports share them. The service-level state is
 * computed as of `now` on every read: it changes with time, not with writes.
 */

export interface Clock {
  now: Date;
  atRiskFraction: number;
}

type OrderRow = ServiceOrdersTable & {
  account_no: string | null;
  route_code: string | null;
  created_by_name: string;
  surveyed_by_name: string | null;
  approved_by_name: string | null;
  installed_by_name: string | null;
  commissioned_by_name: string | null;
};

const ORDER_SELECT = `SELECT o.*, a.account_no, ro.code AS route_code, cu.display_name AS created_by_name,
    su.display_name AS surveyed_by_name, au.display_name AS approved_by_name, iu.display_name AS installed_by_name,
    mu.display_name AS commissioned_by_name
  FROM service_orders o
    LEFT JOIN accounts a ON a.id = o.account_id
    LEFT JOIN routes ro ON ro.id = o.route_id
    JOIN users cu ON cu.id = o.created_by
    LEFT JOIN users su ON su.id = o.surveyed_by
    LEFT JOIN users au ON au.id = o.approved_by
    LEFT JOIN users iu ON iu.id = o.installed_by
    LEFT JOIN users mu ON mu.id = o.commissioned_by`;

export function toOrder(r: OrderRow, clock: Clock): ServiceOrder {
  return {
    id: r.id,
    orderNo: r.order_no,
    type: r.type,
    priority: r.priority,
    stage: r.stage,
    customerName: r.customer_name,
    phone: r.phone,
    address: r.address,
    description: r.description,
    accountId: r.account_id,
    accountNo: r.account_no,
    routeId: r.route_id,
    routeCode: r.route_code,
    receivedAt: r.received_at,
    stageEnteredAt: r.stage_entered_at,
    onHold: r.on_hold === 1,
    holdReason: r.hold_reason,
    sla: slaStatus({
      stage: r.stage,
      slaHours: r.sla_hours,
      dueAt: r.sla_due_at,
      pausedMs: r.paused_ms,
      onHold: r.on_hold === 1,
      holdStartedAt: r.hold_started_at,
      met: r.sla_met === null ? null : r.sla_met === 1,
      now: clock.now,
      atRiskFraction: clock.atRiskFraction,
    }),
    surveyResult: r.survey_result,
    surveyNotes: r.survey_notes,
    materials: JSON.parse(r.materials_json) as Material[],
    surveyedByName: r.surveyed_by_name,
    approvedByName: r.approved_by_name,
    approvedAt: r.approved_at,
    crew: r.crew,
    scheduledDate: r.scheduled_date,
    installedOn: r.installed_on,
    meterSerial: r.meter_serial,
    meterDials: r.meter_dials,
    meterMultiplier: r.meter_multiplier,
    installedByName: r.installed_by_name,
    commissionedOn: r.commissioned_on,
    initialRead: r.initial_read,
    removalRead: r.removal_read,
    meterId: r.meter_id,
    commissionedByName: r.commissioned_by_name,
    closedAt: r.closed_at,
    cancelledAt: r.cancelled_at,
    cancelReason: r.cancel_reason,
    createdByName: r.created_by_name,
    createdAt: r.created_at,
    version: r.version,
  };
}

export const findOrderRow = (db: SqliteDb, id: string): ServiceOrdersTable | undefined =>
  sqlGet(db, 'SELECT * FROM service_orders WHERE id = ?', id);

export function findOrder(db: SqliteDb, id: string, clock: Clock): ServiceOrder | undefined {
  const row = sqlGet<OrderRow>(db, `${ORDER_SELECT} WHERE o.id = ?`, id);
  return row && toOrder(row, clock);
}

/* ---------------- list ---------------- */

export type OrderFilters = { [K in keyof typeof orderFilters]?: z.output<(typeof orderFilters)[K]> };

const OPEN = `o.stage IN ('requested','surveyed','approved','scheduled','installed')`;
/** Breached: decided late, or open past the deadline (frozen at the hold while on hold). */
const BREACHED = `(o.sla_met = 0 OR (o.sla_met IS NULL AND ${OPEN} AND ((o.on_hold = 0 AND o.sla_due_at < @now) OR (o.on_hold = 1 AND o.hold_started_at > o.sla_due_at))))`;
const AT_RISK = `(${OPEN} AND o.on_hold = 0 AND o.sla_due_at >= @now AND (julianday(o.sla_due_at) - julianday(@now)) * 24 < o.sla_hours * @fraction)`;
const ON_TRACK = `(${OPEN} AND o.on_hold = 0 AND (julianday(o.sla_due_at) - julianday(@now)) * 24 >= o.sla_hours * @fraction)`;
const PAUSED = `(${OPEN} AND o.on_hold = 1 AND o.hold_started_at <= o.sla_due_at)`;
export const SLA_SQL = { breached: BREACHED, at_risk: AT_RISK, on_track: ON_TRACK, paused: PAUSED } as const;

/** Received dates are instants; the filter's calendar dates are the branch's. */
export interface InstantRange {
  fromInstant?: string;
  toInstant?: string;
}

function whereClause(f: OrderFilters, range: InstantRange): { where: string; params: Record<string, unknown> } {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  if (f.stage) {
    clauses.push('o.stage = @stage');
    params.stage = f.stage;
  }
  if (f.type) {
    clauses.push('o.type = @type');
    params.type = f.type;
  }
  if (f.priority) {
    clauses.push('o.priority = @priority');
    params.priority = f.priority;
  }
  if (f.sla) clauses.push(SLA_SQL[f.sla]);
  if (range.fromInstant) {
    clauses.push('o.received_at >= @fromInstant');
    params.fromInstant = range.fromInstant;
  }
  if (range.toInstant) {
    clauses.push('o.received_at < @toInstant');
    params.toInstant = range.toInstant;
  }
  if (f.accountId) {
    clauses.push('o.account_id = @accountId');
    params.accountId = f.accountId;
  }
  if (f.search) {
    clauses.push(`(o.order_no LIKE @pattern ESCAPE '\\' OR o.customer_name LIKE @pattern ESCAPE '\\' OR o.address LIKE @pattern ESCAPE '\\'
      OR o.phone LIKE @pattern ESCAPE '\\' OR a.account_no LIKE @pattern ESCAPE '\\' OR o.meter_serial LIKE @pattern ESCAPE '\\')`);
    params.pattern = containsPattern(f.search);
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/**
 * Orders, paged by key. A stage's work queue (an open stage, or commissioned orders waiting to be
 * closed) runs by deadline, soonest first, so the order most at risk (or longest waiting) is on
 * top; everything else runs newest request first.
 */
export function listOrders(
  db: SqliteDb,
  f: OrderFilters & { cursor?: string; limit: number },
  range: InstantRange,
  clock: Clock,
): { rows: ServiceOrder[]; nextCursor: string | null; total: number } {
  const { where, params } = whereClause(f, range);
  const all: Record<string, unknown> = { ...params, now: clock.now.toISOString(), fraction: clock.atRiskFraction };
  const from = `FROM service_orders o LEFT JOIN accounts a ON a.id = o.account_id ${where}`;
  const total = sqlGet<{ n: number }>(db, `SELECT count(*) AS n ${from}`, bind(from, all))!.n;

  const queue = f.stage !== undefined && ['requested', 'surveyed', 'approved', 'scheduled', 'installed', 'commissioned'].includes(f.stage);
  const sortKey = queue ? 'o.sla_due_at' : 'o.received_at';
  const direction = queue ? 'ASC' : 'DESC';
  let keyset = '';
  if (f.cursor) {
    const [key, id] = decodeCursor(f.cursor, ['string', 'string']) as [string, string];
    keyset = `${where ? ' AND' : 'WHERE'} (${sortKey}, o.id) ${queue ? '>' : '<'} (@cursorKey, @cursorId)`;
    all.cursorKey = key;
    all.cursorId = id;
  }
  const sql = `${ORDER_SELECT} ${where}${keyset} ORDER BY ${sortKey} ${direction}, o.id ${direction} LIMIT @limit`;
  const rows = sqlAll<OrderRow>(db, sql, bind(sql, { ...all, limit: f.limit + 1 }));
  const more = rows.length > f.limit;
  const pageRows = rows.slice(0, f.limit);
  const last = pageRows.at(-1);
  return {
    rows: pageRows.map((r) => toOrder(r, clock)),
    nextCursor: more && last ? encodeCursor([queue ? last.sla_due_at : last.received_at, last.id]) : null,
    total,
  };
}

/** Named parameters a statement does not use must not be passed (better-sqlite3 refuses them). */
function bind(sql: string, params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([name]) => new RegExp(`@${name}\\b`).test(sql)));
}

/** Every order matching the filters, oldest request first, in chunks (the export's detail sheet). */
export function* iterateOrders(db: SqliteDb, f: OrderFilters, range: InstantRange, clock: Clock, chunk = 500): Generator<ServiceOrder> {
  const { where, params } = whereClause(f, range);
  let after: [string, string] | null = null;
  for (;;) {
    const keyset: string = after ? `${where ? ' AND' : 'WHERE'} (o.received_at, o.id) > (@afterKey, @afterId)` : '';
    const sql: string = `${ORDER_SELECT} ${where}${keyset} ORDER BY o.received_at, o.id LIMIT @limit`;
    const all: Record<string, unknown> = { ...params, now: clock.now.toISOString(), fraction: clock.atRiskFraction, limit: chunk };
    if (after) {
      all.afterKey = after[0];
      all.afterId = after[1];
    }
    const rows: OrderRow[] = sqlAll<OrderRow>(db, sql, bind(sql, all));
    for (const row of rows) yield toOrder(row, clock);
    if (rows.length < chunk) return;
    const last: OrderRow = rows[rows.length - 1]!;
    after = [last.received_at, last.id];
  }
}

/* ---------------- timeline, checklists, attachments ---------------- */

type EventRow = ServiceOrderEventsTable & { actor_name: string };

const toEvent = (e: EventRow): OrderEvent => ({
  id: e.id,
  at: e.at,
  kind: e.kind,
  fromStage: e.from_stage,
  toStage: e.to_stage,
  text: e.text,
  actorName: e.actor_name,
});

export function orderTimeline(db: SqliteDb, orderId: string): OrderEvent[] {
  return sqlAll<EventRow>(
    db,
    `SELECT e.*, u.display_name AS actor_name FROM service_order_events e JOIN users u ON u.id = e.actor_id
     WHERE e.order_id = ? ORDER BY e.at, e.id`,
    orderId,
  ).map(toEvent);
}

export function findEvent(db: SqliteDb, id: string): OrderEvent | undefined {
  const row = sqlGet<EventRow>(db, `SELECT e.*, u.display_name AS actor_name FROM service_order_events e JOIN users u ON u.id = e.actor_id WHERE e.id = ?`, id);
  return row && toEvent(row);
}

/** The latest activity across orders, for the dashboard's timeline. */
export function recentEvents(db: SqliteDb, limit: number): (OrderEvent & { orderId: string; orderNo: string })[] {
  return sqlAll<EventRow & { order_no: string }>(
    db,
    `SELECT e.*, u.display_name AS actor_name, o.order_no FROM service_order_events e
       JOIN users u ON u.id = e.actor_id JOIN service_orders o ON o.id = e.order_id
     ORDER BY e.at DESC, e.id DESC LIMIT ?`,
    limit,
  ).map((e) => ({ ...toEvent(e), orderId: e.order_id, orderNo: e.order_no }));
}

/** Stage entries and hold intervals of an order, as the time-per-stage rule takes them. */
export function stageHistory(timeline: readonly OrderEvent[], receivedAt: string): { entries: StageEntry[]; pauses: Interval[] } {
  const entries: StageEntry[] = [{ stage: 'requested', at: receivedAt }];
  const pauses: Interval[] = [];
  for (const e of timeline) {
    if (e.kind === 'stage' && e.toStage) entries.push({ stage: e.toStage, at: e.at });
    if (e.kind === 'cancelled') entries.push({ stage: 'cancelled', at: e.at });
    if (e.kind === 'hold') pauses.push({ from: e.at, to: null });
    if (e.kind === 'resume') {
      const open = pauses.at(-1);
      if (open && open.to === null) open.to = e.at;
    }
  }
  return { entries, pauses };
}

export function durationsOf(timeline: readonly OrderEvent[], receivedAt: string, now: Date) {
  const { entries, pauses } = stageHistory(timeline, receivedAt);
  return stageDurations(entries, pauses, now);
}

export function orderAttachments(db: SqliteDb, orderId: string) {
  return sqlAll<{ id: string; file_ref: string; label: string; added_by_name: string; added_at: string }>(
    db,
    `SELECT t.id, t.file_ref, t.label, u.display_name AS added_by_name, t.added_at FROM service_order_attachments t
       JOIN users u ON u.id = t.added_by WHERE t.order_id = ? ORDER BY t.added_at, t.id`,
    orderId,
  ).map((t) => ({ id: t.id, fileRef: t.file_ref, label: t.label, addedByName: t.added_by_name, addedAt: t.added_at }));
}

/**
 * Each checklist stage with what was ticked. Items ticked under a label the settings no longer
 * carry are still shown as they were confirmed.
 */
export function orderChecklists(db: SqliteDb, orderId: string, definitions: Record<ChecklistStage, ChecklistItem[]>) {
  const ticks = sqlAll<{ stage: string; item_key: string; label: string; checked_by_name: string; checked_at: string }>(
    db,
    `SELECT c.stage, c.item_key, c.label, u.display_name AS checked_by_name, c.checked_at FROM service_order_checks c
       JOIN users u ON u.id = c.checked_by WHERE c.order_id = ?`,
    orderId,
  );
  return CHECKLIST_STAGES.map((stage) => {
    const mine = ticks.filter((t) => t.stage === stage);
    const defined = definitions[stage].map((item) => {
      const tick = mine.find((t) => t.item_key === item.key);
      return { ...item, checkedByName: tick?.checked_by_name ?? null, checkedAt: tick?.checked_at ?? null };
    });
    const orphans = mine
      .filter((t) => !definitions[stage].some((i) => i.key === t.item_key))
      .map((t) => ({ key: t.item_key, label: t.label, required: false, checkedByName: t.checked_by_name, checkedAt: t.checked_at }));
    return { stage, items: [...defined, ...orphans] };
  });
}

/* ---------------- dashboard ---------------- */

/**
 * The work queues: every open stage, and commissioned orders still waiting for their paperwork to
 * be closed (work too, though the deadline is settled). Breaches count open orders only: a
 * commissioned order's late commissioning is history, not something to act on in its queue.
 */
export function queueByStage(db: SqliteDb, clock: Clock): { stage: Stage; count: number; breached: number; onHold: number }[] {
  const sql = `SELECT o.stage, count(*) AS count, sum(${OPEN} AND ${BREACHED}) AS breached, sum(o.on_hold) AS on_hold
     FROM service_orders o WHERE ${OPEN} OR o.stage = 'commissioned' GROUP BY o.stage`;
  const rows = sqlAll<{ stage: Stage; count: number; breached: number; on_hold: number }>(db, sql, { now: clock.now.toISOString() });
  const order: Stage[] = ['requested', 'surveyed', 'approved', 'scheduled', 'installed', 'commissioned'];
  return order.map((stage) => {
    const row = rows.find((r) => r.stage === stage);
    return { stage, count: row?.count ?? 0, breached: row?.breached ?? 0, onHold: row?.on_hold ?? 0 };
  });
}

export function countWhere(db: SqliteDb, condition: string, params: Record<string, unknown>): number {
  const sql = `SELECT count(*) AS n FROM service_orders o WHERE ${condition}`;
  return sqlGet<{ n: number }>(db, sql, bind(sql, params))!.n;
}

/** Open orders past or close to their deadline, the most urgent first. */
export function exceptionOrders(db: SqliteDb, clock: Clock, limit: number): ServiceOrder[] {
  const sql = `${ORDER_SELECT} WHERE o.sla_met IS NULL AND (${BREACHED} OR ${AT_RISK}) ORDER BY o.sla_due_at, o.id LIMIT @limit`;
  return sqlAll<OrderRow>(db, sql, { now: clock.now.toISOString(), fraction: clock.atRiskFraction, limit }).map((r) => toOrder(r, clock));
}

/** The next free order number. */
export function nextOrderSequence(db: SqliteDb): number {
  const row = sqlGet<{ n: number | null }>(db, `SELECT max(CAST(substr(order_no, 4) AS INTEGER)) AS n FROM service_orders`);
  return (row?.n ?? 0) + 1;
}

/* ---------------- look-ups ---------------- */

/** Accounts matching a number, name, address or meter serial, the first 20 by account number. */
export function searchAccounts(db: SqliteDb, search: string) {
  return sqlAll<{ id: string; account_no: string; name: string; address: string; status: 'active' | 'inactive'; meter_serial: string | null }>(
    db,
    `SELECT a.id, a.account_no, a.name, a.address, a.status, m.serial AS meter_serial
     FROM accounts a LEFT JOIN meters m ON m.account_id = a.id AND m.status = 'installed'
     WHERE a.account_no LIKE @p ESCAPE '\\' OR a.name LIKE @p ESCAPE '\\' OR a.address LIKE @p ESCAPE '\\' OR m.serial LIKE @p ESCAPE '\\'
     ORDER BY a.account_no LIMIT 20`,
    { p: containsPattern(search) },
  ).map((a) => ({ id: a.id, accountNo: a.account_no, name: a.name, address: a.address, status: a.status, meterSerial: a.meter_serial }));
}
