import type { Customer, Service, Technician, TimeOff, Zone } from '../../../../src-shared/contracts/home-services/master-data';
import { wallClockOf } from '../../../../src-shared/contracts/home-services/common';
import { AppError } from '../../../../src-shared/errors';
import { sqlAll, sqlGet, type SqliteDb } from '../../../core/db/store';
import type { TechnicianCalendar, ServiceNeeds, WeeklyPattern } from '../scheduling/rules';
import { ms, type Interval } from '../time';
import type { HsCustomersTable, HsServicesTable, HsTechnicianHoursTable, HsTechniciansTable, HsTimeOffTable } from './tables';

/**
 * Reads of the master data and the row → DTO mapping, plus the shapes the pure rules take
 * (technician calendars, service needs). Plain functions of a connection.
 */

/* ---------------- cursors ---------------- */

export const encodeCursor = (key: readonly (string | number)[]): string => Buffer.from(JSON.stringify(key)).toString('base64url');

export function decodeCursor(cursor: string, shape: readonly ('string' | 'number')[]): (string | number)[] {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === shape.length && key.every((k, i) => typeof k === shape[i])) return key as (string | number)[];
  } catch {
    // fall through to the validation error
  }
  throw new AppError('VALIDATION', 'cursor: This page link is not valid; start from the first page', {
    issues: [{ path: 'cursor', message: 'Not a cursor this list handed out' }],
  });
}

/** `%term%` with LIKE's wildcards taken literally (used with ESCAPE '\'). */
export const containsPattern = (term: string): string => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/* ---------------- zones ---------------- */

export function listZones(db: SqliteDb, id?: string): Zone[] {
  return sqlAll<{ id: string; code: string; name: string; version: number; technician_count: number; customer_count: number }>(
    db,
    `SELECT z.id, z.code, z.name, z.version,
       (SELECT count(*) FROM hs_technician_zones tz JOIN hs_technicians t ON t.id = tz.technician_id WHERE tz.zone_id = z.id AND t.active = 1) AS technician_count,
       (SELECT count(*) FROM hs_customers c WHERE c.zone_id = z.id) AS customer_count
     FROM hs_zones z ${id ? 'WHERE z.id = ?' : ''} ORDER BY z.code`,
    ...(id ? [id] : []),
  ).map((z) => ({ id: z.id, code: z.code, name: z.name, technicianCount: z.technician_count, customerCount: z.customer_count, version: z.version }));
}

/* ---------------- technicians ---------------- */

interface TechnicianParts {
  skills: Map<string, { technician_id: string; skill: string; level: number }[]>;
  zones: Map<string, { technician_id: string; id: string; code: string; name: string }[]>;
  hours: Map<string, HsTechnicianHoursTable[]>;
}

function group<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    let list = map.get(k);
    if (!list) map.set(k, (list = []));
    list.push(row);
  }
  return map;
}

function technicianParts(db: SqliteDb): TechnicianParts {
  return {
    skills: group(
      sqlAll<{ technician_id: string; skill: string; level: number }>(db, 'SELECT technician_id, skill, level FROM hs_technician_skills ORDER BY skill'),
      (r) => r.technician_id,
    ),
    zones: group(
      sqlAll<{ technician_id: string; id: string; code: string; name: string }>(
        db,
        'SELECT tz.technician_id, z.id, z.code, z.name FROM hs_technician_zones tz JOIN hs_zones z ON z.id = tz.zone_id ORDER BY z.code',
      ),
      (r) => r.technician_id,
    ),
    hours: group(sqlAll<HsTechnicianHoursTable>(db, 'SELECT * FROM hs_technician_hours ORDER BY weekday, start_minute'), (r) => r.technician_id),
  };
}

type TechnicianRow = HsTechniciansTable & { user_name: string | null };

function toTechnician(row: TechnicianRow, parts: TechnicianParts): Technician {
  const hours = parts.hours.get(row.id) ?? [];
  const asWeekly = (kind: 'work' | 'break') =>
    hours.filter((h) => h.kind === kind).map((h) => ({ weekday: h.weekday, start: wallClockOf(h.start_minute), end: wallClockOf(h.end_minute) }));
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    phone: row.phone,
    userId: row.user_id,
    userName: row.user_name,
    homeLat: row.home_lat,
    homeLng: row.home_lng,
    color: row.color,
    active: row.active === 1,
    skills: (parts.skills.get(row.id) ?? []).map((s) => ({ skill: s.skill, level: s.level })),
    zones: (parts.zones.get(row.id) ?? []).map((z) => ({ id: z.id, code: z.code, name: z.name })),
    hours: asWeekly('work'),
    breaks: asWeekly('break'),
    version: row.version,
  };
}

export function listTechnicians(db: SqliteDb, options: { includeInactive?: boolean; id?: string } = {}): Technician[] {
  const rows = sqlAll<TechnicianRow>(
    db,
    `SELECT t.*, u.display_name AS user_name FROM hs_technicians t LEFT JOIN users u ON u.id = t.user_id
     WHERE (? = 1 OR t.active = 1) AND (? IS NULL OR t.id = ?) ORDER BY t.name, t.id`,
    options.includeInactive || options.id ? 1 : 0,
    options.id ?? null,
    options.id ?? null,
  );
  if (rows.length === 0) return [];
  const parts = technicianParts(db);
  return rows.map((r) => toTechnician(r, parts));
}

export const findTechnician = (db: SqliteDb, id: string): Technician | undefined => listTechnicians(db, { id })[0];

export const findTechnicianRow = (db: SqliteDb, id: string): HsTechniciansTable | undefined =>
  sqlGet(db, 'SELECT * FROM hs_technicians WHERE id = ?', id);

export const technicianOfUser = (db: SqliteDb, userId: string): HsTechniciansTable | undefined =>
  sqlGet(db, 'SELECT * FROM hs_technicians WHERE user_id = ? AND active = 1', userId);

function weekly(rows: readonly HsTechnicianHoursTable[], kind: 'work' | 'break'): WeeklyPattern {
  const map = new Map<number, { start: number; end: number }[]>();
  for (const r of rows) {
    if (r.kind !== kind) continue;
    let list = map.get(r.weekday);
    if (!list) map.set(r.weekday, (list = []));
    list.push({ start: r.start_minute, end: r.end_minute });
  }
  return map;
}

export interface TechnicianFacts extends TechnicianCalendar {
  code: string;
  name: string;
  color: string;
  zoneCodes: string[];
  home: { lat: number; lng: number } | null;
  timeOffRows: { start: number; end: number; reason: string }[];
}

/**
 * What the rules need of every active technician: skills, zones, weekly pattern, and the time
 * off overlapping [from, to).
 */
export function technicianFacts(db: SqliteDb, from: string, to: string, technicianId?: string): TechnicianFacts[] {
  const rows = sqlAll<HsTechniciansTable>(
    db,
    'SELECT * FROM hs_technicians WHERE active = 1 AND (? IS NULL OR id = ?) ORDER BY name, id',
    technicianId ?? null,
    technicianId ?? null,
  );
  if (rows.length === 0) return [];
  const parts = technicianParts(db);
  const timeOff = group(
    sqlAll<HsTimeOffTable>(db, 'SELECT * FROM hs_time_off WHERE removed_at IS NULL AND starts_at < ? AND ends_at > ? ORDER BY starts_at', to, from),
    (r) => r.technician_id,
  );
  return rows.map((t) => {
    const off = (timeOff.get(t.id) ?? []).map((o) => ({ start: ms(o.starts_at), end: ms(o.ends_at), reason: o.reason }));
    const hours = parts.hours.get(t.id) ?? [];
    const zones = parts.zones.get(t.id) ?? [];
    return {
      id: t.id,
      code: t.code,
      name: t.name,
      color: t.color,
      skills: new Map((parts.skills.get(t.id) ?? []).map((s) => [s.skill, s.level])),
      zoneIds: new Set(zones.map((z) => z.id)),
      zoneCodes: zones.map((z) => z.code),
      work: weekly(hours, 'work'),
      breaks: weekly(hours, 'break'),
      timeOff: off.map((o): Interval => ({ start: o.start, end: o.end })),
      timeOffRows: off,
      home: t.home_lat !== null && t.home_lng !== null ? { lat: t.home_lat, lng: t.home_lng } : null,
    };
  });
}

/* ---------------- time off ---------------- */

export function listTimeOff(db: SqliteDb, f: { technicianId?: string; from: string; to: string; id?: string }): TimeOff[] {
  return sqlAll<HsTimeOffTable & { technician_name: string; created_by_name: string }>(
    db,
    `SELECT o.*, t.name AS technician_name, u.display_name AS created_by_name
     FROM hs_time_off o JOIN hs_technicians t ON t.id = o.technician_id JOIN users u ON u.id = o.created_by
     WHERE o.removed_at IS NULL AND (? IS NULL OR o.id = ?)
       AND (? IS NOT NULL OR (o.starts_at < ? AND o.ends_at > ? AND (? IS NULL OR o.technician_id = ?)))
     ORDER BY o.starts_at, o.id`,
    f.id ?? null,
    f.id ?? null,
    f.id ?? null,
    f.to,
    f.from,
    f.technicianId ?? null,
    f.technicianId ?? null,
  ).map((o) => ({
    id: o.id,
    technicianId: o.technician_id,
    technicianName: o.technician_name,
    startsAt: o.starts_at,
    endsAt: o.ends_at,
    reason: o.reason,
    createdAt: o.created_at,
    createdByName: o.created_by_name,
  }));
}

/* ---------------- services ---------------- */

function serviceSkills(db: SqliteDb): Map<string, { skill: string; minLevel: number }[]> {
  const map = new Map<string, { skill: string; minLevel: number }[]>();
  for (const r of sqlAll<{ service_id: string; skill: string; min_level: number }>(db, 'SELECT service_id, skill, min_level FROM hs_service_skills ORDER BY skill')) {
    let list = map.get(r.service_id);
    if (!list) map.set(r.service_id, (list = []));
    list.push({ skill: r.skill, minLevel: r.min_level });
  }
  return map;
}

const toService = (s: HsServicesTable, skills: Map<string, { skill: string; minLevel: number }[]>): Service => ({
  id: s.id,
  sku: s.sku,
  name: s.name,
  category: s.category,
  durationMinutes: s.duration_minutes,
  bufferMinutes: s.buffer_minutes,
  priceMinor: s.price_minor,
  requiredSkills: skills.get(s.id) ?? [],
  slotCapacity: s.slot_capacity,
  active: s.active === 1,
  version: s.version,
});

export function listServices(db: SqliteDb, f: { includeInactive?: boolean; category?: string; id?: string } = {}): Service[] {
  const rows = sqlAll<HsServicesTable>(
    db,
    `SELECT * FROM hs_services WHERE (? = 1 OR active = 1) AND (? IS NULL OR category = ?) AND (? IS NULL OR id = ?) ORDER BY category, name`,
    f.includeInactive || f.id ? 1 : 0,
    f.category ?? null,
    f.category ?? null,
    f.id ?? null,
    f.id ?? null,
  );
  if (rows.length === 0) return [];
  const skills = serviceSkills(db);
  return rows.map((r) => toService(r, skills));
}

export const findService = (db: SqliteDb, id: string): Service | undefined => listServices(db, { id })[0];

/** Every service's needs by id (the availability search checks pool bookings of other services). */
export function serviceNeeds(db: SqliteDb): Map<string, ServiceNeeds> {
  return new Map(
    listServices(db, { includeInactive: true }).map((s) => [
      s.id,
      { id: s.id, durationMinutes: s.durationMinutes, bufferMinutes: s.bufferMinutes, requiredSkills: s.requiredSkills, slotCapacity: s.slotCapacity },
    ]),
  );
}

/* ---------------- customers ---------------- */

type CustomerRow = HsCustomersTable & { zone_code: string | null };

export const toCustomer = (c: CustomerRow): Customer => ({
  id: c.id,
  customerNo: c.customer_no,
  name: c.name,
  phone: c.phone,
  email: c.email,
  address: c.address,
  lat: c.lat,
  lng: c.lng,
  zoneId: c.zone_id,
  zoneCode: c.zone_code,
  notes: c.notes,
  active: c.active === 1,
  version: c.version,
});

const CUSTOMER_SELECT = 'SELECT c.*, z.code AS zone_code FROM hs_customers c LEFT JOIN hs_zones z ON z.id = c.zone_id';

export function findCustomer(db: SqliteDb, id: string): Customer | undefined {
  const row = sqlGet<CustomerRow>(db, `${CUSTOMER_SELECT} WHERE c.id = ?`, id);
  return row && toCustomer(row);
}

export function listCustomers(
  db: SqliteDb,
  f: { search?: string; zoneId?: string; cursor?: string; limit: number },
): { rows: Customer[]; nextCursor: string | null; total: number } {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.zoneId) {
    where.push('c.zone_id = ?');
    args.push(f.zoneId);
  }
  if (f.search) {
    const pattern = containsPattern(f.search);
    where.push(`(c.customer_no LIKE ? ESCAPE '\\' OR c.name LIKE ? ESCAPE '\\' OR c.phone LIKE ? ESCAPE '\\' OR c.address LIKE ? ESCAPE '\\')`);
    args.push(pattern, pattern, pattern, pattern);
  }
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = sqlGet<{ n: number }>(db, `SELECT count(*) AS n FROM hs_customers c ${filter}`, ...args)!.n;
  const keyset: string[] = [...where];
  const keyArgs = [...args];
  if (f.cursor) {
    const [name, id] = decodeCursor(f.cursor, ['string', 'string']) as [string, string];
    keyset.push('(c.name, c.id) > (?, ?)');
    keyArgs.push(name, id);
  }
  const rows = sqlAll<CustomerRow>(
    db,
    `${CUSTOMER_SELECT} ${keyset.length ? `WHERE ${keyset.join(' AND ')}` : ''} ORDER BY c.name, c.id LIMIT ?`,
    ...keyArgs,
    f.limit + 1,
  );
  const more = rows.length > f.limit;
  const pageRows = rows.slice(0, f.limit);
  const last = pageRows.at(-1);
  return { rows: pageRows.map(toCustomer), nextCursor: more && last ? encodeCursor([last.name, last.id]) : null, total };
}
