import type { z } from 'zod';
import { conflict, notFound, ruleViolation } from '../../../../src-shared/errors';
import * as C from '../../../../src-shared/contracts/energy/maintenance';
import { ASSET_CLASSES, DOWNTIME_REASONS, type Asset, type Part, type WorkOrder } from '../../../../src-shared/contracts/energy/maintenance';
import type { ProcedureContract } from '../../../../src-shared/rpc';
import { qb, run, sqlAll, sqlGet, sqlRun } from '../../../core/db/store';
import type { JobRunners } from '../../../core/jobs/types';
import type { Ctx } from '../../../core/rpc/context';
import type { GateRequest, Registry } from '../../../core/rpc/registry';
import { newId } from '../../../core/util/ids';
import { bucketOfDate, instantRange, localDateOf } from '../../../reporting/periods';
import {
  childAssets,
  findAsset,
  findAssetRow,
  findDowntime,
  findDowntimeRow,
  findPartRow,
  findScheduleRow,
  findWorkOrder,
  findWorkOrderRow,
  isSelfOrDescendant,
  listAssets,
  listDowntime,
  listParts,
  listSchedules,
  listSites,
  listWorkOrders,
  nextWorkOrderSequence,
  openDowntimeOf,
  overdueWorkOrders,
  partLedger,
  recentWorkOrderEvents,
  reliabilityParts,
  schedulesToGenerate,
  toPart,
  usageReadings,
  workOrderLabour,
  workOrderParts,
  workOrderTimeline,
} from './queries';
import { buildReport, checkRange, EXPORT_JOB, reliabilityRows, runExport } from './reports';
import {
  addDays,
  balanceAfterIssue,
  calendarOccurrences,
  closeNeedsApproval,
  isUnfinished,
  labourCost,
  movingAverageCost,
  pooledReliability,
  TARGET,
  usageOccurrences,
  usagePerDay,
  workOrderActionError,
  workOrderNumber,
  type Occurrence,
  type WorkOrderAction,
} from './rules';
import { closeApprovalThreshold, labourRate, pmHorizonDays, usageRateWindowDays } from './settings';
import type { AssetsTable, PartsTable, WorkOrdersTable } from './tables';

/** Audit entity names: the audit viewer and the detail screens' audit tabs filter by these. */
export const ENTITY = {
  site: 'maintenanceSite',
  asset: 'asset',
  downtime: 'assetDowntime',
  schedule: 'pmSchedule',
  workOrder: 'workOrder',
  part: 'part',
  generation: 'pmGeneration',
} as const;

type Input<T extends ProcedureContract> = z.output<T['input']>;

const fieldRule = (rule: string, path: string, message: string) => ruleViolation(rule, message, { issues: [{ path, message }] });
const todayOf = (ctx: Ctx): string => localDateOf(ctx.now, ctx.branch.timeZone);
/** Minor units as the approver reads them in a request summary. */
const money = (minor: number): string => (minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

const version = (actual: number, expected: number, what: string) => {
  if (actual !== expected) throw conflict(`Someone changed this ${what} meanwhile; reload it and try again`);
};

/* ---------------- sites ---------------- */

function createSite(ctx: Ctx, input: Input<typeof C.sitesCreate>) {
  if (sqlGet(ctx.db, 'SELECT 1 FROM maintenance_sites WHERE code = ?', input.code)) throw fieldRule('site.codeTaken', 'code', `There is already a site ${input.code}`);
  const id = newId();
  run(ctx.db, qb.insertInto('maintenance_sites').values({ id, branch_id: ctx.branch.id, code: input.code, name: input.name, version: 0, created_at: ctx.nowIso, updated_at: ctx.nowIso }));
  const after = listSites(ctx.db, id)[0]!;
  ctx.audit({ entity: ENTITY.site, entityId: id, action: 'created', after });
  return after;
}

/** Only the name changes: the code is how work orders, asset codes and reports name the site. */
function updateSite(ctx: Ctx, input: Input<typeof C.sitesUpdate>) {
  const before = listSites(ctx.db, input.id)[0];
  if (!before) throw notFound('Site', input.id);
  version(before.version, input.version, 'site');
  sqlRun(ctx.db, 'UPDATE maintenance_sites SET name = ?, version = version + 1, updated_at = ? WHERE id = ?', input.name, ctx.nowIso, input.id);
  const after = listSites(ctx.db, input.id)[0]!;
  ctx.audit({ entity: ENTITY.site, entityId: input.id, action: 'updated', before, after });
  return after;
}

/* ---------------- assets ---------------- */

function requireAsset(ctx: Ctx, id: string, expectedVersion?: number): AssetsTable {
  const row = findAssetRow(ctx.db, id);
  if (!row) throw notFound('Asset', id);
  if (expectedVersion !== undefined) version(row.version, expectedVersion, 'asset');
  return row;
}

const assetDto = (ctx: Ctx, id: string): Asset => findAsset(ctx.db, id)!;

function requireInUse(asset: AssetsTable): void {
  if (asset.status === 'retired') throw ruleViolation('asset.retired', `${asset.code} was retired on ${asset.retired_on}`);
}

function checkParent(ctx: Ctx, parentId: string, siteId: string, self?: string): void {
  const parent = findAssetRow(ctx.db, parentId);
  if (!parent) throw fieldRule('asset.unknownParent', 'parentId', 'Pick an existing parent asset');
  if (parent.status === 'retired') throw fieldRule('asset.parentRetired', 'parentId', `${parent.code} is retired`);
  if (parent.site_id !== siteId) throw fieldRule('asset.parentOtherSite', 'parentId', `${parent.code} is at another site; an asset sits under a parent at its own site`);
  if (self && isSelfOrDescendant(ctx.db, self, parentId)) throw fieldRule('asset.parentCycle', 'parentId', `${parent.code} sits below this asset; it cannot be its parent`);
}

function createAsset(ctx: Ctx, input: Input<typeof C.assetsCreate>): Asset {
  if (!listSites(ctx.db, input.siteId)[0]) throw fieldRule('asset.unknownSite', 'siteId', 'Pick an existing site');
  if (sqlGet(ctx.db, 'SELECT 1 FROM assets WHERE code = ?', input.code)) throw fieldRule('asset.codeTaken', 'code', `There is already an asset ${input.code}`);
  if (input.parentId) checkParent(ctx, input.parentId, input.siteId);
  if (input.inServiceOn > todayOf(ctx)) throw fieldRule('asset.inServiceInFuture', 'inServiceOn', 'Register the asset once it is in service');
  const id = newId();
  run(
    ctx.db,
    qb.insertInto('assets').values({
      id,
      branch_id: ctx.branch.id,
      code: input.code,
      name: input.name,
      asset_class: input.assetClass,
      site_id: input.siteId,
      parent_id: input.parentId ?? null,
      status: input.status,
      serial: input.serial || null,
      in_service_on: input.inServiceOn,
      usage_unit: input.usageUnit ?? null,
      usage_reading: null,
      usage_read_on: null,
      retired_on: null,
      retire_reason: null,
      version: 0,
      created_at: ctx.nowIso,
      updated_at: ctx.nowIso,
    }),
  );
  const after = assetDto(ctx, id);
  ctx.audit({ entity: ENTITY.asset, entityId: id, action: 'created', after });
  return after;
}

function writeAsset(ctx: Ctx, id: string, set: Partial<Omit<AssetsTable, 'id' | 'version'>>): void {
  run(ctx.db, qb.updateTable('assets').set({ ...set, updated_at: ctx.nowIso }).set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', id));
}

function updateAsset(ctx: Ctx, input: Input<typeof C.assetsUpdate>): Asset {
  const row = requireAsset(ctx, input.id, input.version);
  requireInUse(row);
  const siteId = input.siteId ?? row.site_id;
  if (input.siteId && !listSites(ctx.db, input.siteId)[0]) throw fieldRule('asset.unknownSite', 'siteId', 'Pick an existing site');
  const parentId = input.parentId === undefined ? row.parent_id : input.parentId;
  if (parentId) checkParent(ctx, parentId, siteId, row.id);
  if (siteId !== row.site_id && childAssets(ctx.db, row.id).some((c) => c.status !== 'retired')) {
    throw fieldRule('asset.hasChildren', 'siteId', 'Move the assets below this one first, or give them another parent');
  }
  const before = assetDto(ctx, row.id);
  writeAsset(ctx, row.id, {
    name: input.name ?? row.name,
    site_id: siteId,
    parent_id: parentId,
    serial: input.serial === undefined ? row.serial : input.serial || null,
    usage_unit: input.usageUnit ?? row.usage_unit,
  });
  const after = assetDto(ctx, row.id);
  ctx.audit({ entity: ENTITY.asset, entityId: row.id, action: 'updated', before, after });
  return after;
}

function setAssetStatus(ctx: Ctx, input: Input<typeof C.assetsSetStatus>): Asset {
  const row = requireAsset(ctx, input.id, input.version);
  requireInUse(row);
  if (row.status === 'down') throw ruleViolation('asset.down', `${row.code} is down; end its downtime to bring it back`);
  const before = assetDto(ctx, row.id);
  writeAsset(ctx, row.id, { status: input.status });
  const after = assetDto(ctx, row.id);
  ctx.audit({ entity: ENTITY.asset, entityId: row.id, action: input.status === 'standby' ? 'put on standby' : 'back in operation', before, after, reason: input.note ?? null });
  return after;
}

function retireCheck(ctx: Ctx, input: Input<typeof C.assetsRetire>): AssetsTable {
  const row = requireAsset(ctx, input.id, input.version);
  requireInUse(row);
  if (openDowntimeOf(ctx.db, row.id)) throw ruleViolation('asset.down', `${row.code} is down; end its downtime first`);
  const unfinished = sqlGet<{ n: number }>(ctx.db, `SELECT count(*) AS n FROM work_orders WHERE asset_id = ? AND status IN ('open','in_progress','on_hold')`, row.id)!.n;
  if (unfinished > 0) throw ruleViolation('asset.openWork', `${row.code} has ${unfinished} unfinished work order${unfinished > 1 ? 's' : ''}; finish or cancel them first`);
  if (childAssets(ctx.db, row.id).some((c) => c.status !== 'retired')) {
    throw ruleViolation('asset.hasChildren', `Assets still sit below ${row.code}; retire or move them first`);
  }
  if (input.retiredOn < row.in_service_on || input.retiredOn > todayOf(ctx)) {
    throw fieldRule('asset.retireDate', 'retiredOn', `Pick a date between ${row.in_service_on} and today`);
  }
  return row;
}

/** Retiring takes an asset out of every plan for good: a second person must agree. */
function retireGate(ctx: Ctx, input: Input<typeof C.assetsRetire>): GateRequest {
  const row = retireCheck(ctx, input);
  return {
    summary: `Retire ${ASSET_CLASSES[row.asset_class].toLowerCase()} ${row.code} (${row.name}) as of ${input.retiredOn}`,
    entity: ENTITY.asset,
    entityId: row.id,
    reason: input.reason,
  };
}

function retireAsset(ctx: Ctx, input: Input<typeof C.assetsRetire>): Asset {
  const row = retireCheck(ctx, input);
  const before = assetDto(ctx, row.id);
  writeAsset(ctx, row.id, { status: 'retired', retired_on: input.retiredOn, retire_reason: input.reason });
  for (const schedule of listSchedules(ctx.db, { assetId: row.id, active: true })) {
    run(ctx.db, qb.updateTable('pm_schedules').set({ active: 0, updated_at: ctx.nowIso }).set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', schedule.id));
    ctx.audit({ entity: ENTITY.schedule, entityId: schedule.id, action: 'stopped', before: schedule, after: listSchedules(ctx.db, { id: schedule.id })[0], reason: `Asset ${row.code} retired` });
  }
  const after = assetDto(ctx, row.id);
  ctx.audit({ entity: ENTITY.asset, entityId: row.id, action: 'retired', before, after, reason: input.reason });
  return after;
}

function recordUsage(ctx: Ctx, input: Input<typeof C.assetsRecordUsage>): Asset {
  const row = requireAsset(ctx, input.id);
  requireInUse(row);
  if (!row.usage_unit) throw ruleViolation('asset.noUsageMeter', `${row.code} has no usage meter; set its usage unit first`);
  if (input.readOn > todayOf(ctx)) throw fieldRule('usage.inFuture', 'readOn', 'A reading cannot be taken in the future');
  const latest = usageReadings(ctx.db, row.id).at(-1);
  if (latest && input.readOn < latest.readOn) throw fieldRule('usage.outOfOrder', 'readOn', `The latest reading is from ${latest.readOn}`);
  // Hour meters and odometers only count up.
  if (latest && input.value < latest.value) throw fieldRule('usage.decreasing', 'value', `The meter showed ${latest.value} ${row.usage_unit} on ${latest.readOn}`);
  sqlRun(
    ctx.db,
    'INSERT INTO asset_usage_readings (id, branch_id, asset_id, value, read_on, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    newId(),
    ctx.branch.id,
    row.id,
    input.value,
    input.readOn,
    ctx.user().userId,
    ctx.nowIso,
  );
  const before = assetDto(ctx, row.id);
  writeAsset(ctx, row.id, { usage_reading: input.value, usage_read_on: input.readOn });
  const after = assetDto(ctx, row.id);
  ctx.audit({ entity: ENTITY.asset, entityId: row.id, action: 'usage recorded', before: { usageReading: before.usageReading, usageReadOn: before.usageReadOn }, after: { usageReading: after.usageReading, usageReadOn: after.usageReadOn } });
  return after;
}

/* ---------------- work orders ---------------- */

function requireWorkOrder(ctx: Ctx, id: string, expectedVersion?: number): WorkOrdersTable {
  const row = findWorkOrderRow(ctx.db, id);
  if (!row) throw notFound('Work order', id);
  if (expectedVersion !== undefined) version(row.version, expectedVersion, 'work order');
  return row;
}

const woDto = (ctx: Ctx, id: string): WorkOrder => findWorkOrder(ctx.db, id, todayOf(ctx))!;

function workOrderEvent(ctx: Ctx, workOrderId: string, from: WorkOrdersTable['status'] | null, to: WorkOrdersTable['status'], note: string | null): void {
  sqlRun(
    ctx.db,
    'INSERT INTO work_order_events (id, branch_id, work_order_id, at, from_status, to_status, note, actor_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    newId(),
    ctx.branch.id,
    workOrderId,
    ctx.nowIso,
    from,
    to,
    note,
    ctx.user().userId,
  );
}

function writeWorkOrder(ctx: Ctx, id: string, set: Partial<Omit<WorkOrdersTable, 'id' | 'version'>>): void {
  run(ctx.db, qb.updateTable('work_orders').set({ ...set, updated_at: ctx.nowIso }).set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', id));
}

/** Whom work is assigned or labour booked to: an active user whose role works on work orders (the staff list). */
function requireAssignee(ctx: Ctx, userId: string, path: string): void {
  const user = sqlGet<{ active: number; display_name: string; works: number }>(
    ctx.db,
    `SELECT u.active, u.display_name, EXISTS (SELECT 1 FROM role_permissions p WHERE p.role_id = u.role_id AND p.permission = 'energy.maintenance:edit') AS works
     FROM users u WHERE u.id = ?`,
    userId,
  );
  if (!user || user.active !== 1) throw fieldRule('workOrder.unknownUser', path, 'Pick an active user');
  if (user.works !== 1) throw fieldRule('workOrder.notStaff', path, `${user.display_name} does not work on work orders; pick someone from the maintenance staff`);
}

function insertWorkOrder(
  ctx: Ctx,
  w: { assetId: string; type: WorkOrdersTable['type']; title: string; description?: string | null; priority: WorkOrdersTable['priority']; dueOn?: string | null; assignedTo?: string | null; scheduleId?: string; dueKey?: string },
): string {
  const id = newId();
  run(
    ctx.db,
    qb.insertInto('work_orders').values({
      id,
      branch_id: ctx.branch.id,
      wo_no: workOrderNumber(nextWorkOrderSequence(ctx.db)),
      type: w.type,
      status: 'open',
      priority: w.priority,
      title: w.title,
      description: w.description ?? null,
      asset_id: w.assetId,
      due_on: w.dueOn ?? null,
      assigned_to: w.assignedTo ?? null,
      schedule_id: w.scheduleId ?? null,
      due_key: w.dueKey ?? null,
      labour_hours: 0,
      labour_cost: 0,
      parts_cost: 0,
      hold_reason: null,
      completion_notes: null,
      completed_at: null,
      completed_by: null,
      closed_at: null,
      closed_by: null,
      cancelled_at: null,
      cancel_reason: null,
      created_by: ctx.user().userId,
      version: 0,
      created_at: ctx.nowIso,
      updated_at: ctx.nowIso,
    }),
  );
  workOrderEvent(ctx, id, null, 'open', w.scheduleId ? `Generated for ${w.dueKey}` : null);
  ctx.audit({ entity: ENTITY.workOrder, entityId: id, action: w.scheduleId ? 'generated' : 'created', after: woDto(ctx, id) });
  return id;
}

function createWorkOrder(ctx: Ctx, input: Input<typeof C.workOrdersCreate>): WorkOrder {
  const asset = requireAsset(ctx, input.assetId);
  requireInUse(asset);
  if (input.assignedTo) requireAssignee(ctx, input.assignedTo, 'assignedTo');
  return woDto(ctx, insertWorkOrder(ctx, { ...input, assetId: asset.id }));
}

function updateWorkOrder(ctx: Ctx, input: Input<typeof C.workOrdersUpdate>): WorkOrder {
  const row = requireWorkOrder(ctx, input.id, input.version);
  if (!isUnfinished(row.status)) throw ruleViolation('workOrder.finished', `${row.wo_no} is ${row.status}; it can no longer be changed`);
  if (input.assignedTo) requireAssignee(ctx, input.assignedTo, 'assignedTo');
  const before = woDto(ctx, row.id);
  writeWorkOrder(ctx, row.id, {
    title: input.title ?? row.title,
    description: input.description === undefined ? row.description : input.description || null,
    priority: input.priority ?? row.priority,
    due_on: input.dueOn ?? row.due_on,
    assigned_to: input.assignedTo === undefined ? row.assigned_to : input.assignedTo,
  });
  const after = woDto(ctx, row.id);
  ctx.audit({ entity: ENTITY.workOrder, entityId: row.id, action: 'updated', before, after });
  return after;
}

function guardWorkOrder(ctx: Ctx, input: { id: string; version?: number }, action: WorkOrderAction): WorkOrdersTable {
  const row = requireWorkOrder(ctx, input.id, input.version);
  const error = workOrderActionError(row.status, action);
  if (error) throw ruleViolation(`workOrder.${action}`, error, { status: row.status });
  return row;
}

function transition(
  ctx: Ctx,
  row: WorkOrdersTable,
  action: Exclude<WorkOrderAction, 'book'>,
  set: Partial<WorkOrdersTable>,
  note: string | null,
  verb: string,
): WorkOrder {
  const before = woDto(ctx, row.id);
  const to = TARGET[action];
  writeWorkOrder(ctx, row.id, { ...set, status: to });
  workOrderEvent(ctx, row.id, row.status, to, note);
  const after = woDto(ctx, row.id);
  ctx.audit({ entity: ENTITY.workOrder, entityId: row.id, action: verb, before, after, reason: note });
  return after;
}

function startWork(ctx: Ctx, input: Input<typeof C.workOrdersStart>): WorkOrder {
  const row = guardWorkOrder(ctx, input, 'start');
  return transition(ctx, row, 'start', { hold_reason: null }, input.note ?? null, row.status === 'on_hold' ? 'resumed' : 'started');
}

function holdWork(ctx: Ctx, input: Input<typeof C.workOrdersHold>): WorkOrder {
  const row = guardWorkOrder(ctx, input, 'hold');
  return transition(ctx, row, 'hold', { hold_reason: input.reason }, input.reason, 'put on hold');
}

function logLabour(ctx: Ctx, input: Input<typeof C.workOrdersLogLabour>): WorkOrder {
  const row = guardWorkOrder(ctx, input, 'book');
  const userId = input.userId ?? ctx.user().userId;
  if (input.userId) requireAssignee(ctx, input.userId, 'userId');
  if (input.workedOn > todayOf(ctx)) throw fieldRule('labour.inFuture', 'workedOn', 'Book hours once they are worked');
  const rate = ctx.settings.get(labourRate);
  const cost = labourCost(input.hours, rate);
  sqlRun(
    ctx.db,
    `INSERT INTO work_order_labour (id, branch_id, work_order_id, user_id, worked_on, hours, rate, cost, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    newId(),
    ctx.branch.id,
    row.id,
    userId,
    input.workedOn,
    input.hours,
    rate,
    cost,
    input.note || null,
    ctx.nowIso,
  );
  const before = woDto(ctx, row.id);
  writeWorkOrder(ctx, row.id, { labour_hours: Math.round((row.labour_hours + input.hours) * 100) / 100, labour_cost: row.labour_cost + cost });
  const after = woDto(ctx, row.id);
  ctx.audit({
    entity: ENTITY.workOrder,
    entityId: row.id,
    action: 'labour booked',
    before: { labourHours: before.labourHours, labourCost: before.labourCost },
    after: { labourHours: after.labourHours, labourCost: after.labourCost, booked: { userId, hours: input.hours, workedOn: input.workedOn, rate, cost } },
  });
  return after;
}

function insertMovement(
  ctx: Ctx,
  part: PartsTable,
  m: { kind: 'receipt' | 'issue' | 'adjustment'; quantity: number; unitCost: number; balanceAfter: number; workOrderId?: string; reference?: string | null; reason?: string | null },
): void {
  sqlRun(
    ctx.db,
    `INSERT INTO part_movements (id, branch_id, part_id, kind, quantity, unit_cost, value, balance_after, work_order_id, reference, reason, actor_id, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    newId(),
    ctx.branch.id,
    part.id,
    m.kind,
    m.quantity,
    m.unitCost,
    m.quantity * m.unitCost,
    m.balanceAfter,
    m.workOrderId ?? null,
    m.reference ?? null,
    m.reason ?? null,
    ctx.user().userId,
    ctx.nowIso,
  );
}

function writePart(ctx: Ctx, id: string, set: Partial<Omit<PartsTable, 'id' | 'version'>>): void {
  run(ctx.db, qb.updateTable('parts').set({ ...set, updated_at: ctx.nowIso }).set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', id));
}

function requirePart(ctx: Ctx, id: string, expectedVersion?: number): PartsTable {
  const row = findPartRow(ctx.db, id);
  if (!row) throw notFound('Part', id);
  if (expectedVersion !== undefined) version(row.version, expectedVersion, 'part');
  return row;
}

function issuePart(ctx: Ctx, input: Input<typeof C.workOrdersIssuePart>): WorkOrder {
  const row = guardWorkOrder(ctx, input, 'book');
  const part = requirePart(ctx, input.partId);
  const balance = balanceAfterIssue(part.on_hand, input.quantity);
  if (balance === null) {
    throw ruleViolation(
      'stock.insufficient',
      `Only ${part.on_hand} ${part.unit} of ${part.code} in stock; receive more, or have a physical count adjusted (approval needed)`,
      { issues: [{ path: 'quantity', message: `At most ${part.on_hand} in stock` }], onHand: part.on_hand },
    );
  }
  insertMovement(ctx, part, { kind: 'issue', quantity: -input.quantity, unitCost: part.unit_cost, balanceAfter: balance, workOrderId: row.id, reference: row.wo_no });
  const partBefore = toPart(part);
  writePart(ctx, part.id, { on_hand: balance });
  const before = woDto(ctx, row.id);
  writeWorkOrder(ctx, row.id, { parts_cost: row.parts_cost + input.quantity * part.unit_cost });
  const after = woDto(ctx, row.id);
  ctx.audit({ entity: ENTITY.part, entityId: part.id, action: 'issued', before: partBefore, after: toPart(findPartRow(ctx.db, part.id)!), reason: `${input.quantity} ${part.unit} to ${row.wo_no}` });
  ctx.audit({ entity: ENTITY.workOrder, entityId: row.id, action: 'parts issued', before: { partsCost: before.partsCost }, after: { partsCost: after.partsCost, issued: { partId: part.id, code: part.code, quantity: input.quantity, unitCost: part.unit_cost } } });
  return after;
}

function completeWork(ctx: Ctx, input: Input<typeof C.workOrdersComplete>): WorkOrder {
  const row = guardWorkOrder(ctx, input, 'complete');
  if (input.endDowntime) {
    const open = openDowntimeOf(ctx.db, row.asset_id);
    if (open) endStop(ctx, open.id, ctx.nowIso, `Repaired under ${row.wo_no}`, row.id);
  }
  return transition(
    ctx,
    row,
    'complete',
    { completion_notes: input.completionNotes, completed_at: ctx.nowIso, completed_by: ctx.user().userId },
    input.completionNotes,
    'completed',
  );
}

function closeCheck(ctx: Ctx, input: Input<typeof C.workOrdersClose>): WorkOrdersTable {
  return guardWorkOrder(ctx, input, 'close');
}

/** Above the threshold, closing (accepting the cost) is a second person's decision. */
function closeGate(ctx: Ctx, input: Input<typeof C.workOrdersClose>): GateRequest | null {
  const row = closeCheck(ctx, input);
  const total = row.labour_cost + row.parts_cost;
  const threshold = ctx.settings.get(closeApprovalThreshold);
  if (!closeNeedsApproval(total, threshold)) return null;
  const asset = findAssetRow(ctx.db, row.asset_id)!;
  return {
    summary: `Close work order ${row.wo_no} on ${asset.code} at a cost of ${money(total)} (above ${money(threshold)})`,
    entity: ENTITY.workOrder,
    entityId: row.id,
    reason: input.note,
  };
}

function closeWork(ctx: Ctx, input: Input<typeof C.workOrdersClose>): WorkOrder {
  const row = closeCheck(ctx, input);
  return transition(ctx, row, 'close', { closed_at: ctx.nowIso, closed_by: ctx.user().userId }, input.note ?? null, 'closed');
}

function cancelWork(ctx: Ctx, input: Input<typeof C.workOrdersCancel>): WorkOrder {
  const row = guardWorkOrder(ctx, input, 'cancel');
  if (row.labour_hours > 0 || row.parts_cost > 0) {
    throw ruleViolation('workOrder.hasBookings', `${row.wo_no} has labour or parts booked; complete it instead`);
  }
  return transition(ctx, row, 'cancel', { cancelled_at: ctx.nowIso, cancel_reason: input.reason }, input.reason, 'cancelled');
}

/* ---------------- downtime ---------------- */

function startDowntime(ctx: Ctx, input: Input<typeof C.downtimeStart>) {
  const asset = requireAsset(ctx, input.assetId);
  requireInUse(asset);
  const open = openDowntimeOf(ctx.db, asset.id);
  if (open) throw ruleViolation('downtime.alreadyDown', `${asset.code} has been down since ${open.started_at}; end that stop first`);
  const startedAt = input.startedAt ? new Date(input.startedAt).toISOString() : ctx.nowIso;
  if (startedAt > ctx.nowIso) throw fieldRule('downtime.inFuture', 'startedAt', 'A stop cannot start in the future');
  const lastEnd = sqlGet<{ e: string | null }>(ctx.db, 'SELECT max(ended_at) AS e FROM asset_downtime WHERE asset_id = ?', asset.id)?.e;
  if (lastEnd && startedAt < lastEnd) throw fieldRule('downtime.overlaps', 'startedAt', `The previous stop of ${asset.code} ended at ${lastEnd}`);
  let workOrderId = input.workOrderId ?? null;
  if (workOrderId) {
    const wo = requireWorkOrder(ctx, workOrderId);
    if (wo.asset_id !== asset.id) throw fieldRule('downtime.otherAsset', 'workOrderId', `${wo.wo_no} is for another asset`);
  }
  const reason = DOWNTIME_REASONS[input.reason];
  if (!workOrderId && input.raiseWorkOrder) {
    workOrderId = insertWorkOrder(ctx, {
      assetId: asset.id,
      type: 'corrective',
      title: `${reason.label}: ${asset.name}`,
      description: input.notes ?? null,
      priority: input.priority,
      dueOn: todayOf(ctx),
    });
  }
  const id = newId();
  run(
    ctx.db,
    qb.insertInto('asset_downtime').values({
      id,
      branch_id: ctx.branch.id,
      asset_id: asset.id,
      reason: input.reason,
      failure: reason.failure ? 1 : 0,
      started_at: startedAt,
      ended_at: null,
      work_order_id: workOrderId,
      notes: input.notes ?? null,
      recorded_by: ctx.user().userId,
      ended_by: null,
      version: 0,
      created_at: ctx.nowIso,
      updated_at: ctx.nowIso,
    }),
  );
  const assetBefore = assetDto(ctx, asset.id);
  writeAsset(ctx, asset.id, { status: 'down' });
  const after = findDowntime(ctx.db, id, ctx.now)!;
  ctx.audit({ entity: ENTITY.downtime, entityId: id, action: 'started', after });
  ctx.audit({ entity: ENTITY.asset, entityId: asset.id, action: 'down', before: assetBefore, after: assetDto(ctx, asset.id), reason: reason.label });
  return after;
}

function endStop(ctx: Ctx, id: string, endedAt: string, notes: string | null, workOrderId?: string) {
  const row = findDowntimeRow(ctx.db, id)!;
  const before = findDowntime(ctx.db, id, ctx.now)!;
  run(
    ctx.db,
    qb
      .updateTable('asset_downtime')
      .set({
        ended_at: endedAt,
        ended_by: ctx.user().userId,
        notes: notes ? [row.notes, notes].filter(Boolean).join(' — ') : row.notes,
        work_order_id: row.work_order_id ?? workOrderId ?? null,
        updated_at: ctx.nowIso,
      })
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', id),
  );
  const assetBefore = assetDto(ctx, row.asset_id);
  if (assetBefore.status === 'down') writeAsset(ctx, row.asset_id, { status: 'operational' });
  const after = findDowntime(ctx.db, id, ctx.now)!;
  ctx.audit({ entity: ENTITY.downtime, entityId: id, action: 'ended', before, after });
  ctx.audit({ entity: ENTITY.asset, entityId: row.asset_id, action: 'back in operation', before: assetBefore, after: assetDto(ctx, row.asset_id) });
  return after;
}

function endDowntime(ctx: Ctx, input: Input<typeof C.downtimeEnd>) {
  const row = findDowntimeRow(ctx.db, input.id);
  if (!row) throw notFound('Downtime', input.id);
  version(row.version, input.version, 'downtime');
  if (row.ended_at) throw ruleViolation('downtime.ended', `This stop already ended at ${row.ended_at}`);
  const endedAt = input.endedAt ? new Date(input.endedAt).toISOString() : ctx.nowIso;
  if (endedAt > ctx.nowIso) throw fieldRule('downtime.inFuture', 'endedAt', 'A stop cannot end in the future');
  if (endedAt < row.started_at) throw fieldRule('downtime.endBeforeStart', 'endedAt', `The stop started at ${row.started_at}`);
  return endStop(ctx, row.id, endedAt, input.notes ?? null);
}

/**
 * A stop logged with the wrong times (a typo, the clock of the moment) or the wrong reason would
 * distort MTBF and MTTR for good, so a supervisor may correct it. Both versions stay in the journal
 * with the reason; the stop must still fit between the asset's neighbouring stops.
 */
function correctDowntime(ctx: Ctx, input: Input<typeof C.downtimeCorrect>) {
  const row = findDowntimeRow(ctx.db, input.id);
  if (!row) throw notFound('Downtime', input.id);
  version(row.version, input.version, 'downtime');
  const startedAt = new Date(input.startedAt).toISOString();
  const endedAt = input.endedAt === null ? null : new Date(input.endedAt).toISOString();
  if (row.ended_at === null && endedAt !== null) throw fieldRule('downtime.stillOpen', 'endedAt', 'This stop is still open: end it with “Back in operation”');
  if (row.ended_at !== null && endedAt === null) throw fieldRule('downtime.endRequired', 'endedAt', 'This stop ended: give the time it ended');
  if (startedAt > ctx.nowIso) throw fieldRule('downtime.inFuture', 'startedAt', 'A stop cannot start in the future');
  if (endedAt !== null && endedAt > ctx.nowIso) throw fieldRule('downtime.inFuture', 'endedAt', 'A stop cannot end in the future');
  if (endedAt !== null && endedAt < startedAt) throw fieldRule('downtime.endBeforeStart', 'endedAt', 'The end is before the start');
  const previous = sqlGet<{ ended_at: string }>(
    ctx.db,
    'SELECT ended_at FROM asset_downtime WHERE asset_id = ? AND id <> ? AND started_at < ? ORDER BY started_at DESC LIMIT 1',
    row.asset_id,
    row.id,
    row.started_at,
  );
  if (previous && startedAt < previous.ended_at) throw fieldRule('downtime.overlaps', 'startedAt', `The previous stop of this asset ended at ${previous.ended_at}`);
  const next = sqlGet<{ started_at: string }>(
    ctx.db,
    'SELECT started_at FROM asset_downtime WHERE asset_id = ? AND id <> ? AND started_at > ? ORDER BY started_at LIMIT 1',
    row.asset_id,
    row.id,
    row.started_at,
  );
  if (next && (endedAt ?? ctx.nowIso) > next.started_at) throw fieldRule('downtime.overlaps', 'endedAt', `The next stop of this asset started at ${next.started_at}`);
  const before = findDowntime(ctx.db, row.id, ctx.now)!;
  run(
    ctx.db,
    qb
      .updateTable('asset_downtime')
      .set({ reason: input.reason, failure: DOWNTIME_REASONS[input.reason].failure ? 1 : 0, started_at: startedAt, ended_at: endedAt, updated_at: ctx.nowIso })
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', row.id),
  );
  const after = findDowntime(ctx.db, row.id, ctx.now)!;
  ctx.audit({ entity: ENTITY.downtime, entityId: row.id, action: 'corrected', before, after, reason: input.correction });
  return after;
}

/* ---------------- schedules and the generator ---------------- */

function createSchedule(ctx: Ctx, input: Input<typeof C.schedulesCreate>) {
  const asset = requireAsset(ctx, input.assetId);
  requireInUse(asset);
  if (input.kind === 'usage' && !asset.usage_unit) {
    throw fieldRule('schedule.noUsageMeter', 'kind', `${asset.code} has no usage meter; set its usage unit or use a calendar schedule`);
  }
  const id = newId();
  run(
    ctx.db,
    qb.insertInto('pm_schedules').values({
      id,
      branch_id: ctx.branch.id,
      asset_id: asset.id,
      title: input.title,
      kind: input.kind,
      interval_days: input.kind === 'calendar' ? input.intervalDays! : null,
      interval_usage: input.kind === 'usage' ? input.intervalUsage! : null,
      next_due_on: input.kind === 'calendar' ? input.startOn! : null,
      next_due_usage: input.kind === 'usage' ? (input.firstDueUsage ?? (asset.usage_reading ?? 0) + input.intervalUsage!) : null,
      estimated_hours: input.estimatedHours,
      priority: input.priority,
      active: 1,
      created_by: ctx.user().userId,
      version: 0,
      created_at: ctx.nowIso,
      updated_at: ctx.nowIso,
    }),
  );
  const after = listSchedules(ctx.db, { id })[0]!;
  ctx.audit({ entity: ENTITY.schedule, entityId: id, action: 'created', after });
  return after;
}

function updateSchedule(ctx: Ctx, input: Input<typeof C.schedulesUpdate>) {
  const row = findScheduleRow(ctx.db, input.id);
  if (!row) throw notFound('Schedule', input.id);
  version(row.version, input.version, 'schedule');
  if (input.intervalDays !== undefined && row.kind !== 'calendar') throw fieldRule('schedule.wrongKind', 'intervalDays', 'A usage schedule has no interval in days');
  if (input.intervalUsage !== undefined && row.kind !== 'usage') throw fieldRule('schedule.wrongKind', 'intervalUsage', 'A calendar schedule has no usage interval');
  if (input.active && findAssetRow(ctx.db, row.asset_id)!.status === 'retired') throw ruleViolation('asset.retired', 'The asset is retired; its schedules stay stopped');
  const before = listSchedules(ctx.db, { id: row.id })[0]!;
  run(
    ctx.db,
    qb
      .updateTable('pm_schedules')
      .set({
        title: input.title ?? row.title,
        active: input.active === undefined ? row.active : input.active ? 1 : 0,
        interval_days: input.intervalDays ?? row.interval_days,
        interval_usage: input.intervalUsage ?? row.interval_usage,
        estimated_hours: input.estimatedHours ?? row.estimated_hours,
        priority: input.priority ?? row.priority,
        updated_at: ctx.nowIso,
      })
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', row.id),
  );
  const after = listSchedules(ctx.db, { id: row.id })[0]!;
  ctx.audit({ entity: ENTITY.schedule, entityId: row.id, action: 'updated', before, after });
  return after;
}

/**
 * Creates the preventive work orders falling due by today + horizon. Each occurrence has a key in
 * its schedule (its date, or the reading it falls due at) that a unique index holds to one work
 * order, and the schedule's next occurrence moves past what was generated — so running the
 * generator twice, or from two desks at once, creates nothing twice.
 */
function generate(ctx: Ctx, input: Input<typeof C.generatePm>) {
  const today = todayOf(ctx);
  const horizonDays = input.horizonDays ?? ctx.settings.get(pmHorizonDays);
  const horizonEnd = addDays(today, horizonDays);
  const window = addDays(today, -ctx.settings.get(usageRateWindowDays));
  const created: string[] = [];
  for (const s of schedulesToGenerate(ctx.db)) {
    let occurrences: Occurrence[];
    let advance: { next_due_on?: string; next_due_usage?: number };
    if (s.kind === 'calendar') {
      const result = calendarOccurrences(s.next_due_on!, s.interval_days!, today, horizonEnd);
      occurrences = result.occurrences;
      advance = { next_due_on: result.nextDueOn };
    } else {
      const result = usageOccurrences({
        current: s.usage_reading,
        nextDueUsage: s.next_due_usage!,
        intervalUsage: s.interval_usage!,
        perDay: usagePerDay(usageReadings(ctx.db, s.asset_id, window)),
        today,
        horizonEnd,
      });
      occurrences = result.occurrences;
      advance = { next_due_usage: result.nextDueUsage };
    }
    if (occurrences.length === 0) continue;
    for (const o of occurrences) {
      if (sqlGet(ctx.db, 'SELECT 1 FROM work_orders WHERE schedule_id = ? AND due_key = ?', s.id, o.dueKey)) continue;
      created.push(
        insertWorkOrder(ctx, {
          assetId: s.asset_id,
          type: 'preventive',
          title: s.title,
          description: s.kind === 'usage' ? `Due at ${o.dueKey.slice('usage:'.length)} on the usage meter` : null,
          priority: s.priority,
          dueOn: o.dueOn,
          scheduleId: s.id,
          dueKey: o.dueKey,
        }),
      );
    }
    const before = listSchedules(ctx.db, { id: s.id })[0]!;
    run(ctx.db, qb.updateTable('pm_schedules').set({ ...advance, updated_at: ctx.nowIso }).set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', s.id));
    ctx.audit({ entity: ENTITY.schedule, entityId: s.id, action: 'advanced', before, after: listSchedules(ctx.db, { id: s.id })[0] });
  }
  // A run that finds nothing due still leaves its mark: the journal shows the generator ran.
  ctx.audit({ entity: ENTITY.generation, entityId: newId(), action: 'generated', after: { today, horizonEnd, created: created.length } });
  return { created: created.map((id) => woDto(ctx, id)), horizonEnd };
}

/* ---------------- parts ---------------- */

function createPart(ctx: Ctx, input: Input<typeof C.partsCreate>): Part {
  if (sqlGet(ctx.db, 'SELECT 1 FROM parts WHERE code = ?', input.code)) throw fieldRule('part.codeTaken', 'code', `There is already a part ${input.code}`);
  const id = newId();
  run(
    ctx.db,
    qb.insertInto('parts').values({
      id,
      branch_id: ctx.branch.id,
      code: input.code,
      name: input.name,
      unit: input.unit,
      unit_cost: input.unitCost,
      min_quantity: input.minQuantity,
      on_hand: 0,
      version: 0,
      created_at: ctx.nowIso,
      updated_at: ctx.nowIso,
    }),
  );
  const after = toPart(findPartRow(ctx.db, id)!);
  ctx.audit({ entity: ENTITY.part, entityId: id, action: 'created', after });
  return after;
}

function updatePart(ctx: Ctx, input: Input<typeof C.partsUpdate>): Part {
  const part = requirePart(ctx, input.id, input.version);
  const before = toPart(part);
  writePart(ctx, part.id, { name: input.name ?? part.name, unit: input.unit ?? part.unit, min_quantity: input.minQuantity ?? part.min_quantity });
  const after = toPart(findPartRow(ctx.db, part.id)!);
  ctx.audit({ entity: ENTITY.part, entityId: part.id, action: 'updated', before, after });
  return after;
}

function receivePart(ctx: Ctx, input: Input<typeof C.partsReceive>): Part {
  const part = requirePart(ctx, input.id);
  const cost = input.unitCost ?? part.unit_cost;
  const balance = part.on_hand + input.quantity;
  insertMovement(ctx, part, { kind: 'receipt', quantity: input.quantity, unitCost: cost, balanceAfter: balance, reference: input.reference ?? null });
  const before = toPart(part);
  writePart(ctx, part.id, { on_hand: balance, unit_cost: movingAverageCost(part.on_hand, part.unit_cost, input.quantity, cost) });
  const after = toPart(findPartRow(ctx.db, part.id)!);
  ctx.audit({ entity: ENTITY.part, entityId: part.id, action: 'received', before, after, reason: input.reference ?? null });
  return after;
}

function adjustCheck(ctx: Ctx, input: Input<typeof C.partsAdjust>): PartsTable {
  const part = requirePart(ctx, input.id, input.version);
  if (input.countedQuantity === part.on_hand) throw fieldRule('stock.noDifference', 'countedQuantity', `The count matches the ${part.on_hand} on record; nothing to adjust`);
  return part;
}

/** Stock adjustments write stock off or on outside any receipt or issue: a second person must agree. */
function adjustGate(ctx: Ctx, input: Input<typeof C.partsAdjust>): GateRequest {
  const part = adjustCheck(ctx, input);
  const difference = input.countedQuantity - part.on_hand;
  return {
    summary: `Adjust stock of ${part.code} (${part.name}) from ${part.on_hand} to ${input.countedQuantity} ${part.unit} (${difference > 0 ? '+' : ''}${difference}, value ${money(difference * part.unit_cost)})`,
    entity: ENTITY.part,
    entityId: part.id,
    reason: input.reason,
  };
}

function adjustPart(ctx: Ctx, input: Input<typeof C.partsAdjust>): Part {
  const part = adjustCheck(ctx, input);
  insertMovement(ctx, part, { kind: 'adjustment', quantity: input.countedQuantity - part.on_hand, unitCost: part.unit_cost, balanceAfter: input.countedQuantity, reason: input.reason });
  const before = toPart(part);
  writePart(ctx, part.id, { on_hand: input.countedQuantity });
  const after = toPart(findPartRow(ctx.db, part.id)!);
  ctx.audit({ entity: ENTITY.part, entityId: part.id, action: 'adjusted', before, after, reason: input.reason });
  return after;
}

/* ---------------- reads ---------------- */

function getAsset(ctx: Ctx, id: string) {
  const asset = findAsset(ctx.db, id);
  if (!asset) throw notFound('Asset', id);
  const local = (instant: string) => localDateOf(instant, ctx.branch.timeZone);
  const parts = reliabilityParts(ctx.db, ctx.now, local, { assetId: id })[0]!.parts;
  return {
    asset,
    children: childAssets(ctx.db, id),
    downtime: listDowntime(ctx.db, { assetId: id, limit: 100 }, ctx.now).rows,
    schedules: listSchedules(ctx.db, { assetId: id }),
    workOrders: listWorkOrders(ctx.db, { assetId: id, limit: 50 }, todayOf(ctx)).rows,
    usage: usageReadings(ctx.db, id).slice(-60),
    reliability: pooledReliability([parts]),
  };
}

function getWorkOrder(ctx: Ctx, id: string) {
  const workOrder = findWorkOrder(ctx.db, id, todayOf(ctx));
  if (!workOrder) throw notFound('Work order', id);
  return {
    workOrder,
    labour: workOrderLabour(ctx.db, id),
    parts: workOrderParts(ctx.db, id),
    downtime: listDowntime(ctx.db, { workOrderId: id, limit: 50 }, ctx.now).rows,
    timeline: workOrderTimeline(ctx.db, id),
    closeApprovalAbove: ctx.settings.get(closeApprovalThreshold),
  };
}

/** The list's calendar dates are the branch's: a work order raised at 23:30 local belongs to that day. */
function listWorkOrdersFor(ctx: Ctx, input: Input<typeof C.workOrdersList>) {
  const createdFrom = input.from ? instantRange(input.from, input.from, ctx.branch.timeZone).fromInstant : undefined;
  const createdTo = input.to ? instantRange(input.to, input.to, ctx.branch.timeZone).toInstant : undefined;
  return listWorkOrders(ctx.db, { ...input, createdFrom, createdTo }, todayOf(ctx));
}

function dashboard(ctx: Ctx) {
  const today = todayOf(ctx);
  const week = bucketOfDate(today, 'week', ctx.branch.weekStart);
  const range = instantRange(week.start, week.end, ctx.branch.timeZone);
  const count = (sql: string, ...args: unknown[]) => sqlGet<{ n: number }>(ctx.db, sql, ...args)!.n;
  const parts = listParts(ctx.db, {});
  return {
    kpis: {
      backlog: count(`SELECT count(*) AS n FROM work_orders WHERE status IN ('open','in_progress','on_hold')`),
      overduePm: count(`SELECT count(*) AS n FROM work_orders WHERE type = 'preventive' AND status IN ('open','in_progress','on_hold') AND due_on < ?`, today),
      assetsDown: count(`SELECT count(*) AS n FROM assets WHERE status = 'down'`),
      lowStock: parts.lowCount,
      closedThisWeek: count(`SELECT count(*) AS n FROM work_orders WHERE closed_at >= ? AND closed_at < ?`, range.fromInstant, range.toInstant),
      stockValue: parts.stockValue,
    },
    overdue: overdueWorkOrders(ctx.db, today, { limit: 12 }),
    down: listDowntime(ctx.db, { open: true, limit: 12 }, ctx.now).rows,
    lowStock: parts.rows.filter((p) => p.low).slice(0, 12),
    recent: recentWorkOrderEvents(ctx.db, 15),
  };
}

function requestExport(ctx: Ctx, input: Input<typeof C.maintenanceExport>) {
  checkRange(input);
  const jobId = ctx.jobs.start(EXPORT_JOB, `Maintenance ${input.from} – ${input.to} (${input.format.toUpperCase()})`, input);
  ctx.audit({ entity: 'maintenanceExport', entityId: jobId, action: 'export requested', after: input });
  return { jobId };
}

/* ---------------- registration ---------------- */

export function registerMaintenance(registry: Registry, jobs: JobRunners): void {
  registry
    .add(C.sitesList, (ctx) => listSites(ctx.db))
    .add(C.sitesCreate, createSite)
    .add(C.sitesUpdate, updateSite)
    .add(C.assetsList, (ctx, input) => listAssets(ctx.db, input))
    .add(C.assetsGet, (ctx, input) => getAsset(ctx, input.id))
    .add(C.assetsCreate, createAsset)
    .add(C.assetsUpdate, updateAsset)
    .add(C.assetsSetStatus, setAssetStatus)
    .add(C.assetsRetire, retireAsset, { gate: retireGate })
    .add(C.assetsRecordUsage, recordUsage)
    .add(C.downtimeStart, startDowntime)
    .add(C.downtimeEnd, endDowntime)
    .add(C.downtimeCorrect, correctDowntime)
    .add(C.downtimeList, (ctx, input) => listDowntime(ctx.db, input, ctx.now))
    .add(C.schedulesList, (ctx, input) => listSchedules(ctx.db, input))
    .add(C.schedulesCreate, createSchedule)
    .add(C.schedulesUpdate, updateSchedule)
    .add(C.generatePm, generate)
    .add(C.staffList, (ctx) =>
      sqlAll<{ id: string; displayName: string; roleName: string }>(
        ctx.db,
        `SELECT u.id, u.display_name AS displayName, r.name AS roleName FROM users u JOIN roles r ON r.id = u.role_id
         JOIN role_permissions p ON p.role_id = r.id AND p.permission = 'energy.maintenance:edit'
         WHERE u.active = 1 ORDER BY u.display_name`,
      ),
    )
    .add(C.workOrdersList, listWorkOrdersFor)
    .add(C.workOrdersGet, (ctx, input) => getWorkOrder(ctx, input.id))
    .add(C.workOrdersCreate, createWorkOrder)
    .add(C.workOrdersUpdate, updateWorkOrder)
    .add(C.workOrdersStart, startWork)
    .add(C.workOrdersHold, holdWork)
    .add(C.workOrdersLogLabour, logLabour)
    .add(C.workOrdersIssuePart, issuePart)
    .add(C.workOrdersComplete, completeWork)
    .add(C.workOrdersClose, closeWork, { gate: closeGate })
    .add(C.workOrdersCancel, cancelWork)
    .add(C.partsList, (ctx, input) => listParts(ctx.db, input))
    .add(C.partsGet, (ctx, input) => {
      const part = findPartRow(ctx.db, input.id);
      if (!part) throw notFound('Part', input.id);
      return { part: toPart(part), ledger: partLedger(ctx.db, part.id) };
    })
    .add(C.partsCreate, createPart)
    .add(C.partsUpdate, updatePart)
    .add(C.partsReceive, receivePart)
    .add(C.partsAdjust, adjustPart, { gate: adjustGate })
    .add(C.reliabilityQuery, (ctx, input) => reliabilityRows(ctx.db, ctx.now, ctx.branch, input))
    .add(C.maintenanceDashboard, dashboard)
    .add(C.maintenanceReport, (ctx, input) => buildReport(ctx.db, ctx.branch, input, ctx.now))
    .add(C.maintenanceExport, requestExport);
  jobs.set(EXPORT_JOB, runExport);
}

