import type { z } from 'zod';
import { AppError, conflict, notFound, ruleViolation, type FieldIssue } from '../../../../src-shared/errors';
import * as C from '../../../../src-shared/contracts/energy/installations';
import { ORDER_TYPES, type ChecklistStage, type ServiceOrder } from '../../../../src-shared/contracts/energy/installations';
import type { ProcedureContract } from '../../../../src-shared/rpc';
import { qb, run, sqlAll, sqlGet, sqlRun } from '../../../core/db/store';
import type { JobRunners } from '../../../core/jobs/types';
import type { Ctx } from '../../../core/rpc/context';
import type { GateRequest, Registry } from '../../../core/rpc/registry';
import { newId } from '../../../core/util/ids';
import { bucketOfDate, instantRange, localDateOf } from '../../../reporting/periods';
import { findRoute } from '../meter-readings/queries';
import {
  accountNoTaken,
  installedMeterOf,
  installMeter,
  meterSerialTaken,
  nextAccountNo,
  openAccount,
  removeMeter,
  updateAccount,
} from './metering';
import {
  countWhere,
  durationsOf,
  exceptionOrders,
  findEvent,
  findOrder,
  findOrderRow,
  listOrders,
  nextOrderSequence,
  orderAttachments,
  orderChecklists,
  orderTimeline,
  queueByStage,
  recentEvents,
  searchAccounts,
  SLA_SQL,
  type Clock,
} from './queries';
import { buildReport, checkRange, EXPORT_JOB, runExport } from './reports';
import {
  approvable,
  commissioningMissing,
  commissioningPlan,
  isOpenStage,
  missingChecklistItems,
  nextAction,
  orderNumber,
  slaDueAt,
  slaHoursFor,
  STAGE_ACTIONS,
  transitionError,
  unknownChecklistKeys,
  type StageAction,
} from './rules';
import { atRiskFraction, checklists, readChecklist, readSlaHours } from './settings';
import type { ServiceOrderEventsTable, ServiceOrdersTable } from './tables';

/** Audit entity name: the audit viewer and the detail screen's audit tab filter by it. */
export const ENTITY = { order: 'serviceOrder' } as const;

type Input<T extends ProcedureContract> = z.output<T['input']>;

const fieldRule = (rule: string, path: string, message: string) => ruleViolation(rule, message, { issues: [{ path, message }] });

export const clockOf = (ctx: Ctx): Clock => ({ now: ctx.now, atRiskFraction: ctx.settings.get(atRiskFraction) });
const dto = (ctx: Ctx, id: string): ServiceOrder => findOrder(ctx.db, id, clockOf(ctx))!;
const todayOf = (ctx: Ctx): string => localDateOf(ctx.now, ctx.branch.timeZone);

function load(ctx: Ctx, id: string, version?: number): ServiceOrdersTable {
  const row = findOrderRow(ctx.db, id);
  if (!row) throw notFound('Service order', id);
  if (version !== undefined && row.version !== version) throw conflict('Someone changed this order meanwhile; reload it and try again');
  return row;
}

function writeOrder(ctx: Ctx, id: string, set: Partial<Omit<ServiceOrdersTable, 'id' | 'version'>>): void {
  run(
    ctx.db,
    qb
      .updateTable('service_orders')
      .set({ ...set, updated_at: ctx.nowIso })
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', id),
  );
}

function addEvent(
  ctx: Ctx,
  orderId: string,
  kind: ServiceOrderEventsTable['kind'],
  e: { from?: ServiceOrdersTable['stage'] | null; to?: ServiceOrdersTable['stage'] | null; text?: string | null } = {},
): string {
  const id = newId();
  sqlRun(
    ctx.db,
    `INSERT INTO service_order_events (id, branch_id, order_id, at, kind, from_stage, to_stage, text, actor_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    id,
    ctx.branch.id,
    orderId,
    ctx.nowIso,
    kind,
    e.from ?? null,
    e.to ?? null,
    e.text ?? null,
    ctx.user().userId,
  );
  return id;
}

/* ---------------- stage gates ---------------- */

/** The order, at the version the caller saw, in a stage the action may be taken from. */
function guard(ctx: Ctx, input: { id: string; version: number }, action: StageAction): ServiceOrdersTable {
  const row = load(ctx, input.id, input.version);
  const error = transitionError(row.stage, row.on_hold === 1, action);
  if (error) throw ruleViolation(row.on_hold === 1 ? 'order.onHold' : 'order.stage', error, { stage: row.stage });
  return row;
}

/** A stage cannot be reached with one of its required checklist items unticked. */
function checkChecklist(ctx: Ctx, stage: ChecklistStage, ticked: readonly string[]): void {
  const items = readChecklist(ctx.settings, stage);
  const unknown = unknownChecklistKeys(items, ticked);
  if (unknown.length) {
    throw new AppError('VALIDATION', `checked: ${unknown.join(', ')} is not on the ${stage} checklist`, {
      issues: [{ path: 'checked', message: `Not on the ${stage} checklist: ${unknown.join(', ')}` }],
    });
  }
  const missing = missingChecklistItems(items, ticked);
  if (missing.length) {
    const message = `Tick every required item before the order is ${stage}: ${missing.map((m) => m.label).join('; ')}`;
    throw ruleViolation('order.checklistIncomplete', message, {
      missing: missing.map((m) => m.key),
      issues: missing.map((m) => ({ path: `checked.${m.key}`, message: `${m.label} is required` })),
    });
  }
}

function recordChecklist(ctx: Ctx, orderId: string, stage: ChecklistStage, ticked: readonly string[]): void {
  const labels = new Map(readChecklist(ctx.settings, stage).map((i) => [i.key, i.label]));
  for (const key of new Set(ticked)) {
    sqlRun(
      ctx.db,
      `INSERT INTO service_order_checks (order_id, branch_id, stage, item_key, label, checked_by, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (order_id, stage, item_key) DO UPDATE SET label = excluded.label, checked_by = excluded.checked_by, checked_at = excluded.checked_at`,
      orderId,
      ctx.branch.id,
      stage,
      key,
      labels.get(key)!,
      ctx.user().userId,
      ctx.nowIso,
    );
  }
}

const ACTION_VERB: Record<StageAction, string> = {
  survey: 'surveyed',
  approve: 'approved',
  schedule: 'scheduled',
  install: 'installed',
  commission: 'commissioned',
  close: 'closed',
};

/** Moves the order to the action's stage with the stage's fields, its ticks, a timeline entry and the audit event. */
function advance(
  ctx: Ctx,
  row: ServiceOrdersTable,
  action: StageAction,
  ticked: readonly string[],
  fields: Partial<ServiceOrdersTable>,
  text: string | null,
): ServiceOrder {
  const to = STAGE_ACTIONS[action].to as ChecklistStage;
  checkChecklist(ctx, to, ticked);
  const before = dto(ctx, row.id);
  writeOrder(ctx, row.id, { ...fields, stage: to, stage_entered_at: ctx.nowIso });
  recordChecklist(ctx, row.id, to, ticked);
  addEvent(ctx, row.id, 'stage', { from: row.stage, to, text });
  const after = dto(ctx, row.id);
  const rescheduled = action === 'schedule' && row.stage === 'scheduled';
  ctx.audit({ entity: ENTITY.order, entityId: row.id, action: rescheduled ? 'rescheduled' : ACTION_VERB[action], before, after });
  return after;
}

/* ---------------- request ---------------- */

function requireAccount(ctx: Ctx, accountId: string) {
  const account = sqlGet<{ id: string; account_no: string }>(ctx.db, 'SELECT id, account_no FROM accounts WHERE id = ?', accountId);
  if (!account) throw fieldRule('order.unknownAccount', 'accountId', 'Pick an existing account');
  return account;
}

function createOrder(ctx: Ctx, input: Input<typeof C.ordersCreate>): ServiceOrder {
  const user = ctx.user();
  if (input.type === 'new_connection' && input.accountId) {
    throw fieldRule('order.newConnectionHasAccount', 'accountId', 'A new connection opens its own account; use an upgrade or relocation for an existing one');
  }
  if (input.accountId) {
    const account = requireAccount(ctx, input.accountId);
    const meter = installedMeterOf(ctx, account.id);
    if (input.type === 'disconnection' && !meter) {
      throw fieldRule('order.nothingToDisconnect', 'accountId', `Account ${account.account_no} has no meter on the wall to disconnect`);
    }
    if (input.type === 'reconnection' && meter) {
      throw fieldRule('order.alreadyConnected', 'accountId', `Account ${account.account_no} is connected (meter ${meter.meter.serial}); use an upgrade to change the meter`);
    }
  }
  if (input.routeId && !findRoute(ctx.db, input.routeId)) throw fieldRule('order.unknownRoute', 'routeId', 'Pick an existing route');
  const receivedAt = input.receivedAt ? new Date(input.receivedAt).toISOString() : ctx.nowIso;
  if (receivedAt > ctx.nowIso) throw fieldRule('order.receivedInFuture', 'receivedAt', 'A request cannot have been received in the future');

  const id = newId();
  const hours = slaHoursFor(input.priority, readSlaHours(ctx.settings));
  const row: ServiceOrdersTable = {
    id,
    branch_id: ctx.branch.id,
    order_no: orderNumber(nextOrderSequence(ctx.db)),
    type: input.type,
    priority: input.priority,
    stage: 'requested',
    customer_name: input.customerName,
    phone: input.phone || null,
    address: input.address,
    description: input.description || null,
    account_id: input.accountId ?? null,
    route_id: input.routeId ?? null,
    sla_hours: hours,
    received_at: receivedAt,
    paused_ms: 0,
    sla_due_at: slaDueAt(receivedAt, hours, 0),
    stage_entered_at: receivedAt,
    on_hold: 0,
    hold_reason: null,
    hold_started_at: null,
    survey_result: null,
    survey_notes: null,
    materials_json: '[]',
    surveyed_by: null,
    surveyed_at: null,
    approved_by: null,
    approved_at: null,
    approval_id: null,
    crew: null,
    scheduled_date: null,
    installed_on: null,
    meter_serial: null,
    meter_dials: null,
    meter_multiplier: null,
    installed_by: null,
    commissioned_on: null,
    commissioned_at: null,
    initial_read: null,
    removal_read: null,
    meter_id: null,
    commissioned_by: null,
    sla_met: null,
    closed_at: null,
    closed_by: null,
    cancelled_at: null,
    cancelled_by: null,
    cancel_reason: null,
    created_by: user.userId,
    version: 0,
    created_at: ctx.nowIso,
    updated_at: ctx.nowIso,
  };
  run(ctx.db, qb.insertInto('service_orders').values(row));
  addEvent(ctx, id, 'created', { to: 'requested', text: receivedAt === ctx.nowIso ? null : `Received ${receivedAt}` });
  const after = dto(ctx, id);
  ctx.audit({ entity: ENTITY.order, entityId: id, action: 'created', after });
  return after;
}

function updateOrder(ctx: Ctx, input: Input<typeof C.ordersUpdate>): ServiceOrder {
  const row = load(ctx, input.id, input.version);
  if (!isOpenStage(row.stage) || row.stage === 'installed') {
    throw ruleViolation('order.notEditable', `An order that is ${row.stage} can no longer be edited`);
  }
  if (input.routeId && !findRoute(ctx.db, input.routeId)) throw fieldRule('order.unknownRoute', 'routeId', 'Pick an existing route');
  const set: Partial<ServiceOrdersTable> = {};
  if (input.customerName !== undefined) set.customer_name = input.customerName;
  if (input.phone !== undefined) set.phone = input.phone || null;
  if (input.address !== undefined) set.address = input.address;
  if (input.description !== undefined) set.description = input.description || null;
  if (input.routeId !== undefined) set.route_id = input.routeId;
  if (input.priority !== undefined && input.priority !== row.priority) {
    // The allowance follows the new priority from the original receipt: escalating can breach at once.
    set.priority = input.priority;
    set.sla_hours = slaHoursFor(input.priority, readSlaHours(ctx.settings));
    set.sla_due_at = slaDueAt(row.received_at, set.sla_hours, row.paused_ms);
  }
  const before = dto(ctx, row.id);
  writeOrder(ctx, row.id, set);
  const changed = Object.keys(set).filter((k) => k !== 'sla_hours' && k !== 'sla_due_at');
  addEvent(ctx, row.id, 'updated', { text: changed.length ? `Changed ${changed.join(', ').replace(/_/g, ' ')}` : 'No change' });
  const after = dto(ctx, row.id);
  ctx.audit({ entity: ENTITY.order, entityId: row.id, action: 'updated', before, after });
  return after;
}

/* ---------------- stages ---------------- */

function survey(ctx: Ctx, input: Input<typeof C.ordersSurvey>): ServiceOrder {
  const row = guard(ctx, input, 'survey');
  return advance(
    ctx,
    row,
    'survey',
    input.checked,
    {
      survey_result: input.surveyResult,
      survey_notes: input.surveyNotes,
      materials_json: JSON.stringify(input.materials),
      surveyed_by: ctx.user().userId,
      surveyed_at: ctx.nowIso,
    },
    `${C.SURVEY_RESULTS[input.surveyResult]}: ${input.surveyNotes}`,
  );
}

function approvalCheck(ctx: Ctx, input: Input<typeof C.ordersApprove>): ServiceOrdersTable {
  const row = guard(ctx, input, 'approve');
  if (!approvable(row.survey_result)) {
    throw ruleViolation('order.notFeasible', `The survey found ${row.order_no} not feasible; survey it again or cancel it`);
  }
  checkChecklist(ctx, 'approved', input.checked);
  return row;
}

/** Approving an order commits crew, materials and network capacity: always a second person's decision. */
function approvalGate(ctx: Ctx, input: Input<typeof C.ordersApprove>): GateRequest {
  const row = approvalCheck(ctx, input);
  return {
    summary: `Approve service order ${row.order_no}: ${ORDER_TYPES[row.type].toLowerCase()} for ${row.customer_name}, ${row.address}`,
    entity: ENTITY.order,
    entityId: row.id,
    reason: input.note,
  };
}

function approve(ctx: Ctx, input: Input<typeof C.ordersApprove>): ServiceOrder {
  const row = approvalCheck(ctx, input);
  const decision = ctx.approvalId
    ? sqlGet<{ decided_by: string | null; decided_at: string | null }>(ctx.db, 'SELECT decided_by, decided_at FROM approval_requests WHERE id = ?', ctx.approvalId)
    : undefined;
  // The gate always asks, so the handler only ever runs on an approved request; the approver is its checker.
  if (!decision?.decided_by) throw new AppError('APPROVAL_REQUIRED', 'Approving a service order needs a supervisor’s decision');
  return advance(
    ctx,
    row,
    'approve',
    input.checked,
    { approved_by: decision.decided_by, approved_at: decision.decided_at ?? ctx.nowIso, approval_id: ctx.approvalId },
    input.note ?? null,
  );
}

function schedule(ctx: Ctx, input: Input<typeof C.ordersSchedule>): ServiceOrder {
  const row = guard(ctx, input, 'schedule');
  if (input.scheduledDate < todayOf(ctx)) throw fieldRule('order.scheduleInPast', 'scheduledDate', 'Pick today or a later date');
  return advance(
    ctx,
    row,
    'schedule',
    input.checked,
    { crew: input.crew, scheduled_date: input.scheduledDate },
    `${input.crew} on ${input.scheduledDate}`,
  );
}

function install(ctx: Ctx, input: Input<typeof C.ordersInstall>): ServiceOrder {
  const row = guard(ctx, input, 'install');
  const received = localDateOf(row.received_at, ctx.branch.timeZone);
  if (input.installedOn > todayOf(ctx)) throw fieldRule('order.installInFuture', 'installedOn', 'Record the installation once it has happened');
  if (input.installedOn < received) throw fieldRule('order.installBeforeRequest', 'installedOn', `The request was only received on ${received}`);
  if (row.type === 'disconnection') {
    // The serial confirms which meter the crew took off.
    const meter = row.account_id ? installedMeterOf(ctx, row.account_id) : undefined;
    if (!meter || meter.meter.serial.toUpperCase() !== input.meterSerial.toUpperCase()) {
      throw fieldRule('order.wrongMeter', 'meterSerial', `The account’s meter is ${meter?.meter.serial ?? 'not on record'}; enter the serial of the meter taken off`);
    }
  } else if (meterSerialTaken(ctx, input.meterSerial)) {
    throw fieldRule('order.meterSerialTaken', 'meterSerial', `Meter ${input.meterSerial} is already on record; check the serial`);
  }
  return advance(
    ctx,
    row,
    'install',
    input.checked,
    {
      installed_on: input.installedOn,
      meter_serial: input.meterSerial,
      meter_dials: input.meterDials,
      meter_multiplier: input.meterMultiplier,
      installed_by: ctx.user().userId,
    },
    `Meter ${input.meterSerial}${input.notes ? ` — ${input.notes}` : ''}`,
  );
}

/**
 * Commissioning makes the service real for billing: the account is opened or linked, the old
 * meter (if any) comes off with its final read, the new one goes up with the initial read the
 * next billing run measures from, and the service-level clock stops (met or breached, for good).
 */
function commission(ctx: Ctx, input: Input<typeof C.ordersCommission>): ServiceOrder {
  const row = guard(ctx, input, 'commission');
  if (input.commissionedOn > todayOf(ctx)) throw fieldRule('order.commissionInFuture', 'commissionedOn', 'Commission the order once the supply is on');
  if (row.installed_on && input.commissionedOn < row.installed_on) {
    throw fieldRule('order.commissionBeforeInstall', 'commissionedOn', `The installation was only on ${row.installed_on}`);
  }
  const current = row.account_id ? installedMeterOf(ctx, row.account_id) : undefined;
  const plan = commissioningPlan(row.type, current !== undefined);
  const routeId = input.routeId ?? row.route_id;
  const missing: FieldIssue[] = commissioningMissing(plan, { initialRead: input.initialRead, removalRead: input.removalRead, routeId });
  if (missing.length) throw ruleViolation('order.commissioningIncomplete', missing.map((m) => m.message).join('; '), { issues: missing });
  if (plan.removeMeter && !current) throw ruleViolation('order.nothingToDisconnect', 'The account has no meter on the wall any more');
  if (plan.installMeter && current && !plan.removeMeter) {
    throw ruleViolation('order.alreadyConnected', `The account already has meter ${current.meter.serial} on the wall`);
  }
  const serial = row.meter_serial!;
  const dials = row.meter_dials ?? 5;
  if (plan.installMeter) {
    if (meterSerialTaken(ctx, serial)) throw ruleViolation('order.meterSerialTaken', `Meter ${serial} is already on record; correct it at installation`);
    if (input.initialRead! >= 10 ** dials) {
      throw fieldRule('order.readTooLarge', 'initialRead', `A ${dials}-dial register shows at most ${10 ** dials - 1}`);
    }
  }
  if (plan.removeMeter && current && input.removalRead! >= 10 ** current.meter.dials) {
    throw fieldRule('order.readTooLarge', 'removalRead', `A ${current.meter.dials}-dial register shows at most ${10 ** current.meter.dials - 1}`);
  }
  if (routeId && plan.openAccount && !findRoute(ctx.db, routeId)) throw fieldRule('order.unknownRoute', 'routeId', 'Pick an existing route');
  checkChecklist(ctx, 'commissioned', input.checked);

  const why = `Service order ${row.order_no} (${ORDER_TYPES[row.type].toLowerCase()})`;
  let accountId = row.account_id;
  if (plan.openAccount) {
    const accountNo = input.accountNo ?? nextAccountNo(ctx);
    if (accountNoTaken(ctx, accountNo)) throw fieldRule('order.accountNoTaken', 'accountNo', `Account number ${accountNo} is already in use`);
    accountId = openAccount(
      ctx,
      {
        accountNo,
        name: row.customer_name,
        phone: row.phone,
        address: row.address,
        routeId: routeId!,
        sequence: input.sequence,
        category: input.category ?? 'residential',
      },
      why,
    );
  }
  if (plan.removeMeter && current) removeMeter(ctx, current, input.commissionedOn, input.removalRead!, why);
  const installed = plan.installMeter
    ? installMeter(
        ctx,
        { accountId: accountId!, serial, dials, multiplier: row.meter_multiplier ?? 1, installedOn: input.commissionedOn, initialRead: input.initialRead! },
        why,
      )
    : null;
  updateAccount(ctx, accountId!, { status: plan.accountStatus ?? undefined, address: plan.moveAddress ? row.address : undefined }, why);

  return advance(
    ctx,
    row,
    'commission',
    input.checked,
    {
      account_id: accountId,
      route_id: routeId ?? null,
      commissioned_on: input.commissionedOn,
      commissioned_at: ctx.nowIso,
      commissioned_by: ctx.user().userId,
      initial_read: plan.installMeter ? input.initialRead! : null,
      removal_read: plan.removeMeter ? input.removalRead! : null,
      meter_id: installed?.meterId ?? null,
      sla_met: ctx.nowIso <= row.sla_due_at ? 1 : 0,
    },
    installed ? `Meter ${serial} live from ${input.initialRead}` : `Final read ${input.removalRead}`,
  );
}

function close(ctx: Ctx, input: Input<typeof C.ordersClose>): ServiceOrder {
  const row = guard(ctx, input, 'close');
  return advance(ctx, row, 'close', input.checked, { closed_at: ctx.nowIso, closed_by: ctx.user().userId }, null);
}

function cancel(ctx: Ctx, input: Input<typeof C.ordersCancel>): ServiceOrder {
  const row = load(ctx, input.id, input.version);
  if (!isOpenStage(row.stage)) {
    throw ruleViolation('order.notCancellable', `An order that is ${row.stage} cannot be cancelled${row.stage === 'commissioned' ? '; disconnect the service with a new order' : ''}`);
  }
  const before = dto(ctx, row.id);
  writeOrder(ctx, row.id, {
    stage: 'cancelled',
    stage_entered_at: ctx.nowIso,
    cancelled_at: ctx.nowIso,
    cancelled_by: ctx.user().userId,
    cancel_reason: input.reason,
    on_hold: 0,
    hold_reason: null,
    hold_started_at: null,
  });
  addEvent(ctx, row.id, 'cancelled', { from: row.stage, to: 'cancelled', text: input.reason });
  const after = dto(ctx, row.id);
  ctx.audit({ entity: ENTITY.order, entityId: row.id, action: 'cancelled', before, after, reason: input.reason });
  return after;
}

/* ---------------- waiting on the customer ---------------- */

function hold(ctx: Ctx, input: Input<typeof C.ordersHold>): ServiceOrder {
  const row = load(ctx, input.id, input.version);
  if (!isOpenStage(row.stage)) throw ruleViolation('order.notOpen', `An order that is ${row.stage} has no clock to stop`);
  if (row.on_hold === 1) throw ruleViolation('order.alreadyOnHold', 'The order is already on hold');
  const before = dto(ctx, row.id);
  writeOrder(ctx, row.id, { on_hold: 1, hold_reason: input.reason, hold_started_at: ctx.nowIso });
  addEvent(ctx, row.id, 'hold', { text: input.reason });
  const after = dto(ctx, row.id);
  ctx.audit({ entity: ENTITY.order, entityId: row.id, action: 'put on hold', before, after, reason: input.reason });
  return after;
}

function resume(ctx: Ctx, input: Input<typeof C.ordersResume>): ServiceOrder {
  const row = load(ctx, input.id, input.version);
  if (row.on_hold !== 1 || !row.hold_started_at) throw ruleViolation('order.notOnHold', 'The order is not on hold');
  const pausedMs = row.paused_ms + Math.max(0, ctx.now.getTime() - Date.parse(row.hold_started_at));
  const before = dto(ctx, row.id);
  writeOrder(ctx, row.id, {
    on_hold: 0,
    hold_reason: null,
    hold_started_at: null,
    paused_ms: pausedMs,
    sla_due_at: slaDueAt(row.received_at, row.sla_hours, pausedMs),
  });
  addEvent(ctx, row.id, 'resume', { text: input.note ?? null });
  const after = dto(ctx, row.id);
  ctx.audit({ entity: ENTITY.order, entityId: row.id, action: 'resumed', before, after, reason: input.note ?? null });
  return after;
}

/* ---------------- notes and attachments ---------------- */

function addNote(ctx: Ctx, input: Input<typeof C.ordersAddNote>) {
  const row = load(ctx, input.id);
  const eventId = addEvent(ctx, row.id, 'note', { text: input.text });
  const note = findEvent(ctx.db, eventId)!;
  ctx.audit({ entity: ENTITY.order, entityId: row.id, action: 'note added', after: note });
  return note;
}

function addAttachment(ctx: Ctx, input: Input<typeof C.ordersAddAttachment>) {
  const row = load(ctx, input.id);
  const id = newId();
  sqlRun(
    ctx.db,
    `INSERT INTO service_order_attachments (id, branch_id, order_id, file_ref, label, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    id,
    ctx.branch.id,
    row.id,
    input.fileRef,
    input.label,
    ctx.user().userId,
    ctx.nowIso,
  );
  addEvent(ctx, row.id, 'attachment', { text: `${input.label} (${input.fileRef})` });
  const attachment = orderAttachments(ctx.db, row.id).find((a) => a.id === id)!;
  ctx.audit({ entity: ENTITY.order, entityId: row.id, action: 'attachment added', after: attachment });
  return attachment;
}

/* ---------------- reads ---------------- */

function getOrder(ctx: Ctx, id: string) {
  const order = findOrder(ctx.db, id, clockOf(ctx));
  if (!order) throw notFound('Service order', id);
  const timeline = orderTimeline(ctx.db, id);
  const action = order.onHold ? null : nextAction(order.stage);
  return {
    order,
    timeline,
    attachments: orderAttachments(ctx.db, id),
    checklists: orderChecklists(ctx.db, id, ctx.settings.get(checklists)),
    stageDurations: durationsOf(timeline, order.receivedAt, ctx.now),
    nextChecklist: action ? readChecklist(ctx.settings, STAGE_ACTIONS[action].to as ChecklistStage) : [],
  };
}

function listFor(ctx: Ctx, input: Input<typeof C.ordersList>) {
  const range = {
    fromInstant: input.from ? instantRange(input.from, input.from, ctx.branch.timeZone).fromInstant : undefined,
    toInstant: input.to ? instantRange(input.to, input.to, ctx.branch.timeZone).toInstant : undefined,
  };
  return listOrders(ctx.db, input, range, clockOf(ctx));
}

function dashboard(ctx: Ctx) {
  const clock = clockOf(ctx);
  const today = todayOf(ctx);
  const week = bucketOfDate(today, 'week', ctx.branch.weekStart);
  const day = instantRange(today, today, ctx.branch.timeZone);
  const weekRange = instantRange(week.start, week.end, ctx.branch.timeZone);
  const params = { now: ctx.nowIso, fraction: clock.atRiskFraction };
  const open = `o.stage IN ('requested','surveyed','approved','scheduled','installed')`;
  return {
    kpis: {
      open: countWhere(ctx.db, open, {}),
      openedToday: countWhere(ctx.db, 'o.received_at >= @from AND o.received_at < @to', { from: day.fromInstant, to: day.toInstant }),
      commissionedThisWeek: countWhere(ctx.db, 'o.commissioned_at >= @from AND o.commissioned_at < @to', {
        from: weekRange.fromInstant,
        to: weekRange.toInstant,
      }),
      breached: countWhere(ctx.db, `o.sla_met IS NULL AND ${SLA_SQL.breached}`, params),
      atRisk: countWhere(ctx.db, SLA_SQL.at_risk, params),
      onHold: countWhere(ctx.db, `${open} AND o.on_hold = 1`, {}),
    },
    week: { from: week.start, to: today },
    queue: queueByStage(ctx.db, clock),
    exceptions: exceptionOrders(ctx.db, clock, 12),
    recent: recentEvents(ctx.db, 15),
  };
}

function requestExport(ctx: Ctx, input: Input<typeof C.ordersExport>) {
  checkRange(input);
  const jobId = ctx.jobs.start(EXPORT_JOB, `Service orders ${input.from} – ${input.to} (${input.format.toUpperCase()})`, input);
  ctx.audit({ entity: 'serviceOrderExport', entityId: jobId, action: 'export requested', after: input });
  return { jobId };
}

/* ---------------- registration ---------------- */

export function registerInstallations(registry: Registry, jobs: JobRunners): void {
  registry
    .add(C.ordersList, listFor)
    .add(C.ordersGet, (ctx, input) => getOrder(ctx, input.id))
    .add(C.ordersDashboard, dashboard)
    .add(C.accountSearch, (ctx, input) => searchAccounts(ctx.db, input.search))
    .add(C.routeOptions, (ctx) => sqlAll<{ id: string; code: string; name: string }>(ctx.db, 'SELECT id, code, name FROM routes ORDER BY code'))
    .add(C.ordersCreate, createOrder)
    .add(C.ordersUpdate, updateOrder)
    .add(C.ordersSurvey, survey)
    .add(C.ordersApprove, approve, { gate: approvalGate })
    .add(C.ordersSchedule, schedule)
    .add(C.ordersInstall, install)
    .add(C.ordersCommission, commission)
    .add(C.ordersClose, close)
    .add(C.ordersCancel, cancel)
    .add(C.ordersHold, hold)
    .add(C.ordersResume, resume)
    .add(C.ordersAddNote, addNote)
    .add(C.ordersAddAttachment, addAttachment)
    .add(C.ordersReport, (ctx, input) => buildReport(ctx.db, ctx.branch, input, clockOf(ctx)))
    .add(C.ordersExport, requestExport);
  jobs.set(EXPORT_JOB, runExport);
}
