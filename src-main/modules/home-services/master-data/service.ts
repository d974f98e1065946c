import type { z } from 'zod';
import * as C from '../../../../src-shared/contracts/home-services/master-data';
import { minutesOf } from '../../../../src-shared/contracts/home-services/common';
import { conflict, notFound, ruleViolation } from '../../../../src-shared/errors';
import type { ProcedureContract } from '../../../../src-shared/rpc';
import { sqlGet, sqlRun } from '../../../core/db/store';
import type { Ctx } from '../../../core/rpc/context';
import type { Registry } from '../../../core/rpc/registry';
import { newId } from '../../../core/util/ids';
import { returnJobsToTray } from '../dispatch/service';
import { ms } from '../time';
// The catalogue is master data HQ can own: the sync engine applies it, and the branch may not edit it then.
import './hq-catalogue';
import { insertServiceRow, updateServiceRow } from './service-rows';
import {
  findCustomer,
  findService,
  findTechnician,
  findTechnicianRow,
  listCustomers,
  listServices,
  listTechnicians,
  listTimeOff,
  listZones,
} from './queries';

type Input<T extends ProcedureContract> = z.output<T['input']>;

/** Audit entity names (the detail screens' audit tabs filter by these). */
export const ENTITY = { zone: 'hsZone', technician: 'hsTechnician', timeOff: 'hsTimeOff', service: 'hsService', customer: 'hsCustomer' } as const;

const fieldIssue = (rule: string, path: string, message: string) => ruleViolation(rule, message, { issues: [{ path, message }] });
const normalize = (instant: string) => new Date(ms(instant)).toISOString();
const FAR_FUTURE = '9999-12-31T00:00:00.000Z';

/* ---------------- zones ---------------- */

function createZone(ctx: Ctx, input: Input<typeof C.zonesCreate>) {
  if (sqlGet(ctx.db, 'SELECT 1 FROM hs_zones WHERE code = ?', input.code)) throw fieldIssue('zone.codeTaken', 'code', `There is already a zone ${input.code}`);
  const id = newId();
  sqlRun(ctx.db, 'INSERT INTO hs_zones (id, branch_id, code, name, version, created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)', id, ctx.branch.id, input.code, input.name, ctx.nowIso, ctx.nowIso);
  const after = listZones(ctx.db, id)[0]!;
  ctx.audit({ entity: ENTITY.zone, entityId: id, action: 'created', after });
  return after;
}

/** Only the name changes: the code is how technicians' zones, customers and reports name the zone. */
function updateZone(ctx: Ctx, input: Input<typeof C.zonesUpdate>) {
  const before = listZones(ctx.db, input.id)[0];
  if (!before) throw notFound('Zone', input.id);
  if (before.version !== input.version) throw conflict(`Someone changed zone ${before.code} meanwhile; reload and try again`);
  sqlRun(ctx.db, 'UPDATE hs_zones SET name = ?, version = version + 1, updated_at = ? WHERE id = ?', input.name, ctx.nowIso, input.id);
  const after = listZones(ctx.db, input.id)[0]!;
  ctx.audit({ entity: ENTITY.zone, entityId: input.id, action: 'updated', before, after });
  return after;
}

/* ---------------- technicians ---------------- */

type TechnicianInput = Input<typeof C.techniciansCreate> | Input<typeof C.techniciansUpdate>;

function checkTechnician(ctx: Ctx, input: TechnicianInput, technicianId: string | null): void {
  if ((input.homeLat === undefined) !== (input.homeLng === undefined)) throw fieldIssue('technician.homeCoordinates', 'homeLng', 'Give both latitude and longitude of the home base, or neither');
  for (const [i, zoneId] of input.zoneIds.entries()) {
    if (!sqlGet(ctx.db, 'SELECT 1 FROM hs_zones WHERE id = ?', zoneId)) throw fieldIssue('technician.unknownZone', `zoneIds.${i}`, 'Pick an existing zone');
  }
  if (input.userId) {
    if (!sqlGet(ctx.db, 'SELECT 1 FROM users WHERE id = ?', input.userId)) throw fieldIssue('technician.unknownUser', 'userId', 'Pick an existing user');
    const holder = sqlGet<{ id: string; name: string }>(ctx.db, 'SELECT id, name FROM hs_technicians WHERE user_id = ?', input.userId);
    if (holder && holder.id !== technicianId) throw fieldIssue('technician.userTaken', 'userId', `That user already signs in as ${holder.name}`);
  }
  // Two shifts (or two breaks) of one weekday must not overlap; a break must sit inside a shift.
  for (const kind of ['hours', 'breaks'] as const) {
    const items = input[kind].map((h) => ({ weekday: h.weekday, start: minutesOf(h.start), end: minutesOf(h.end) }));
    for (const [i, a] of items.entries()) {
      if (items.some((b, j) => j !== i && b.weekday === a.weekday && a.start < b.end && b.start < a.end)) {
        throw fieldIssue('technician.overlappingHours', `${kind}.${i}`, 'Overlaps another interval of the same day');
      }
    }
  }
  for (const [i, b] of input.breaks.entries()) {
    const inside = input.hours.some((h) => h.weekday === b.weekday && minutesOf(h.start) <= minutesOf(b.start) && minutesOf(b.end) <= minutesOf(h.end));
    if (!inside) throw fieldIssue('technician.breakOutsideShift', `breaks.${i}`, 'A break must fall inside a shift of the same day');
  }
}

function writeTechnicianParts(ctx: Ctx, technicianId: string, input: TechnicianInput): void {
  sqlRun(ctx.db, 'DELETE FROM hs_technician_skills WHERE technician_id = ?', technicianId);
  sqlRun(ctx.db, 'DELETE FROM hs_technician_zones WHERE technician_id = ?', technicianId);
  sqlRun(ctx.db, 'DELETE FROM hs_technician_hours WHERE technician_id = ?', technicianId);
  for (const s of input.skills) {
    sqlRun(ctx.db, 'INSERT INTO hs_technician_skills (technician_id, skill, level, branch_id) VALUES (?, ?, ?, ?)', technicianId, s.skill, s.level, ctx.branch.id);
  }
  for (const zoneId of new Set(input.zoneIds)) {
    sqlRun(ctx.db, 'INSERT INTO hs_technician_zones (technician_id, zone_id, branch_id) VALUES (?, ?, ?)', technicianId, zoneId, ctx.branch.id);
  }
  const insertHours = (kind: 'work' | 'break', items: readonly { weekday: number; start: string; end: string }[]) => {
    for (const h of items) {
      sqlRun(
        ctx.db,
        'INSERT INTO hs_technician_hours (id, branch_id, technician_id, kind, weekday, start_minute, end_minute) VALUES (?, ?, ?, ?, ?, ?, ?)',
        newId(),
        ctx.branch.id,
        technicianId,
        kind,
        h.weekday,
        minutesOf(h.start),
        minutesOf(h.end),
      );
    }
  };
  insertHours('work', input.hours);
  insertHours('break', input.breaks);
}

function createTechnician(ctx: Ctx, input: Input<typeof C.techniciansCreate>) {
  if (sqlGet(ctx.db, 'SELECT 1 FROM hs_technicians WHERE code = ?', input.code)) throw fieldIssue('technician.codeTaken', 'code', `There is already a technician ${input.code}`);
  checkTechnician(ctx, input, null);
  const id = newId();
  sqlRun(
    ctx.db,
    `INSERT INTO hs_technicians (id, branch_id, code, name, phone, user_id, home_lat, home_lng, color, active, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, ?, ?)`,
    id,
    ctx.branch.id,
    input.code,
    input.name,
    input.phone || null,
    input.userId ?? null,
    input.homeLat ?? null,
    input.homeLng ?? null,
    input.color,
    ctx.nowIso,
    ctx.nowIso,
  );
  writeTechnicianParts(ctx, id, input);
  const after = findTechnician(ctx.db, id)!;
  ctx.audit({ entity: ENTITY.technician, entityId: id, action: 'created', after });
  return after;
}

function updateTechnician(ctx: Ctx, input: Input<typeof C.techniciansUpdate>) {
  const row = findTechnicianRow(ctx.db, input.id);
  if (!row) throw notFound('Technician', input.id);
  if (row.version !== input.version) throw conflict('Someone changed this technician meanwhile; reload and try again');
  checkTechnician(ctx, input, row.id);
  const before = findTechnician(ctx.db, row.id)!;
  sqlRun(
    ctx.db,
    `UPDATE hs_technicians SET name = ?, phone = ?, user_id = ?, home_lat = ?, home_lng = ?, color = ?, active = ?,
       version = version + 1, updated_at = ? WHERE id = ?`,
    input.name,
    input.phone || null,
    input.userId ?? null,
    input.homeLat ?? null,
    input.homeLng ?? null,
    input.color,
    input.active ? 1 : 0,
    ctx.nowIso,
    row.id,
  );
  writeTechnicianParts(ctx, row.id, input);
  const after = findTechnician(ctx.db, row.id)!;
  const deactivated = before.active && !input.active;
  ctx.audit({ entity: ENTITY.technician, entityId: row.id, action: deactivated ? 'deactivated' : 'updated', before, after });
  // A technician who leaves keeps no work: their open jobs go back to the dispatcher's tray.
  if (deactivated) returnJobsToTray(ctx, row.id, ctx.nowIso, FAR_FUTURE, 'Technician deactivated');
  return after;
}

/* ---------------- time off ---------------- */

function addTimeOff(ctx: Ctx, input: Input<typeof C.timeOffAdd>) {
  const tech = findTechnicianRow(ctx.db, input.technicianId);
  if (!tech) throw notFound('Technician', input.technicianId);
  const startsAt = normalize(input.startsAt);
  const endsAt = normalize(input.endsAt);
  const id = newId();
  sqlRun(
    ctx.db,
    'INSERT INTO hs_time_off (id, branch_id, technician_id, starts_at, ends_at, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    id,
    ctx.branch.id,
    tech.id,
    startsAt,
    endsAt,
    input.reason,
    ctx.user().userId,
    ctx.nowIso,
  );
  const timeOff = listTimeOff(ctx.db, { id, from: startsAt, to: endsAt })[0]!;
  ctx.audit({ entity: ENTITY.timeOff, entityId: id, action: 'created', after: timeOff, reason: input.reason });
  // Work booked on the technician inside the time off goes back to the dispatcher.
  const unassignedJobIds = returnJobsToTray(ctx, tech.id, startsAt, endsAt, `Time off: ${input.reason}`);
  return { timeOff, unassignedJobIds };
}

function removeTimeOff(ctx: Ctx, input: Input<typeof C.timeOffRemove>) {
  const row = sqlGet<{ id: string; starts_at: string; ends_at: string }>(ctx.db, 'SELECT * FROM hs_time_off WHERE id = ? AND removed_at IS NULL', input.id);
  if (!row) throw notFound('Time off', input.id);
  const before = listTimeOff(ctx.db, { id: row.id, from: row.starts_at, to: row.ends_at })[0]!;
  sqlRun(ctx.db, 'UPDATE hs_time_off SET removed_at = ?, removed_by = ? WHERE id = ?', ctx.nowIso, ctx.user().userId, row.id);
  ctx.audit({ entity: ENTITY.timeOff, entityId: row.id, action: 'removed', before, reason: input.reason });
  return { id: row.id };
}

/* ---------------- services ---------------- */

function createService(ctx: Ctx, input: Input<typeof C.servicesCreate>) {
  if (sqlGet(ctx.db, 'SELECT 1 FROM hs_services WHERE sku = ?', input.sku)) throw fieldIssue('service.skuTaken', 'sku', `SKU ${input.sku} is already in the catalogue`);
  const id = insertServiceRow(ctx, input.sku, { ...input, active: true });
  const after = findService(ctx.db, id)!;
  ctx.audit({ entity: ENTITY.service, entityId: id, action: 'created', after });
  return after;
}

function updateService(ctx: Ctx, input: Input<typeof C.servicesUpdate>) {
  const before = findService(ctx.db, input.id);
  if (!before) throw notFound('Service', input.id);
  if (before.version !== input.version) throw conflict('Someone changed this service meanwhile; reload and try again');
  updateServiceRow(ctx, input.id, input);
  const after = findService(ctx.db, input.id)!;
  ctx.audit({ entity: ENTITY.service, entityId: input.id, action: 'updated', before, after });
  return after;
}

/* ---------------- customers ---------------- */

function checkZone(ctx: Ctx, zoneId: string | undefined): void {
  if (zoneId && !sqlGet(ctx.db, 'SELECT 1 FROM hs_zones WHERE id = ?', zoneId)) throw fieldIssue('customer.unknownZone', 'zoneId', 'Pick an existing zone');
}

function nextCustomerNo(ctx: Ctx): string {
  let n = sqlGet<{ n: number }>(ctx.db, 'SELECT count(*) AS n FROM hs_customers')!.n + 1;
  for (;;) {
    const candidate = `C-${String(n).padStart(6, '0')}`;
    if (!sqlGet(ctx.db, 'SELECT 1 FROM hs_customers WHERE customer_no = ?', candidate)) return candidate;
    n += 1;
  }
}

function createCustomer(ctx: Ctx, input: Input<typeof C.customersCreate>) {
  checkZone(ctx, input.zoneId);
  const customerNo = input.customerNo ?? nextCustomerNo(ctx);
  if (sqlGet(ctx.db, 'SELECT 1 FROM hs_customers WHERE customer_no = ?', customerNo)) {
    throw fieldIssue('customer.numberTaken', 'customerNo', `Customer number ${customerNo} is already in use`);
  }
  const id = newId();
  sqlRun(
    ctx.db,
    `INSERT INTO hs_customers (id, branch_id, customer_no, name, phone, email, address, lat, lng, zone_id, notes, active, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, ?, ?)`,
    id,
    ctx.branch.id,
    customerNo,
    input.name,
    input.phone || null,
    input.email || null,
    input.address,
    input.lat ?? null,
    input.lng ?? null,
    input.zoneId ?? null,
    input.notes || null,
    ctx.nowIso,
    ctx.nowIso,
  );
  const after = findCustomer(ctx.db, id)!;
  ctx.audit({ entity: ENTITY.customer, entityId: id, action: 'created', after });
  return after;
}

function updateCustomer(ctx: Ctx, input: Input<typeof C.customersUpdate>) {
  const before = findCustomer(ctx.db, input.id);
  if (!before) throw notFound('Customer', input.id);
  if (before.version !== input.version) throw conflict('Someone changed this customer meanwhile; reload and try again');
  checkZone(ctx, input.zoneId);
  sqlRun(
    ctx.db,
    `UPDATE hs_customers SET name = ?, phone = ?, email = ?, address = ?, lat = ?, lng = ?, zone_id = ?, notes = ?, active = ?,
       version = version + 1, updated_at = ? WHERE id = ?`,
    input.name,
    input.phone || null,
    input.email || null,
    input.address,
    input.lat ?? null,
    input.lng ?? null,
    input.zoneId ?? null,
    input.notes || null,
    input.active ? 1 : 0,
    ctx.nowIso,
    input.id,
  );
  const after = findCustomer(ctx.db, input.id)!;
  ctx.audit({ entity: ENTITY.customer, entityId: input.id, action: 'updated', before, after });
  return after;
}

/* ---------------- registration ---------------- */

export function registerMasterData(registry: Registry): void {
  registry
    .add(C.zonesList, (ctx) => listZones(ctx.db))
    .add(C.zonesCreate, createZone)
    .add(C.zonesUpdate, updateZone)
    .add(C.techniciansList, (ctx, input) => listTechnicians(ctx.db, { includeInactive: input.includeInactive }))
    .add(C.techniciansCreate, createTechnician)
    .add(C.techniciansUpdate, updateTechnician)
    .add(C.timeOffList, (ctx, input) => listTimeOff(ctx.db, { technicianId: input.technicianId, from: normalize(input.from), to: normalize(input.to) }))
    .add(C.timeOffAdd, addTimeOff)
    .add(C.timeOffRemove, removeTimeOff)
    .add(C.servicesList, (ctx, input) => listServices(ctx.db, input))
    .add(C.servicesCreate, createService)
    .add(C.servicesUpdate, updateService)
    .add(C.customersList, (ctx, input) => listCustomers(ctx.db, input))
    .add(C.customersGet, (ctx, input) => {
      const customer = findCustomer(ctx.db, input.id);
      if (!customer) throw notFound('Customer', input.id);
      return customer;
    })
    .add(C.customersCreate, createCustomer)
    .add(C.customersUpdate, updateCustomer);
}
