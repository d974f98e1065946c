import type { z } from 'zod';
import { formatNumber } from '../../../../src-shared/contracts/home-services/common';
import type { Appointment, appointmentFilters } from '../../../../src-shared/contracts/home-services/scheduling';
import type { Statement } from 'better-sqlite3';
import { sqlAll, sqlGet, type SqliteDb } from '../../../core/db/store';
import { containsPattern, decodeCursor, encodeCursor } from '../master-data/queries';
import { iso, ms } from '../time';
import type { HsAppointmentsTable } from './tables';

/** Reads of appointments and the row → DTO mapping, shared by handlers, jobs and reports. */

export type AppointmentRow = HsAppointmentsTable & {
  customer_no: string;
  customer_name: string;
  customer_address: string;
  customer_phone: string | null;
  customer_email: string | null;
  zone_id: string | null;
  zone_code: string | null;
  service_sku: string;
  service_name: string;
  service_category: string;
  job_id: string;
  job_state: string;
  job_version: number;
  priority: Appointment['priority'];
  technician_id: string | null;
  technician_name: string | null;
  visit_id: string | null;
  visit_status: string | null;
  booked_by_name: string;
  closed_by_name: string | null;
};

export const APPOINTMENT_SELECT = `
  SELECT a.*, c.customer_no, c.name AS customer_name, c.address AS customer_address, c.phone AS customer_phone,
    c.email AS customer_email, c.zone_id, z.code AS zone_code,
    s.sku AS service_sku, s.name AS service_name, s.category AS service_category,
    j.id AS job_id, j.state AS job_state, j.version AS job_version, j.priority, j.technician_id, t.name AS technician_name,
    v.id AS visit_id, v.status AS visit_status, ub.display_name AS booked_by_name, uc.display_name AS closed_by_name
  FROM hs_appointments a
    JOIN hs_customers c ON c.id = a.customer_id
    LEFT JOIN hs_zones z ON z.id = c.zone_id
    JOIN hs_services s ON s.id = a.service_id
    JOIN hs_jobs j ON j.appointment_id = a.id
    LEFT JOIN hs_technicians t ON t.id = j.technician_id
    LEFT JOIN hs_visits v ON v.appointment_id = a.id
    JOIN users ub ON ub.id = a.booked_by
    LEFT JOIN users uc ON uc.id = a.closed_by`;

export const appointmentNumber = (n: number): string => formatNumber('BK', n);

export const toAppointment = (r: AppointmentRow): Appointment => ({
  id: r.id,
  number: appointmentNumber(r.number),
  customerId: r.customer_id,
  customerNo: r.customer_no,
  customerName: r.customer_name,
  customerAddress: r.customer_address,
  customerPhone: r.customer_phone,
  zoneCode: r.zone_code,
  serviceId: r.service_id,
  serviceSku: r.service_sku,
  serviceName: r.service_name,
  serviceCategory: r.service_category,
  durationMinutes: r.duration_minutes,
  priceMinor: r.price_minor,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  localDate: r.local_date,
  technicianId: r.technician_id,
  technicianName: r.technician_name,
  status: r.status,
  channel: r.channel,
  priority: r.priority,
  notes: r.notes,
  seriesId: r.series_id,
  seriesIndex: r.series_index,
  detached: r.detached === 1,
  rescheduleCount: r.reschedule_count,
  lateCancel: r.late_cancel === 1,
  cancelReasonCode: r.cancel_reason_code as Appointment['cancelReasonCode'],
  cancelReason: r.cancel_reason,
  closedAt: r.closed_at,
  closedByName: r.closed_by_name,
  jobId: r.job_id,
  jobState: r.job_state,
  jobVersion: r.job_version,
  visitId: r.visit_id,
  visitStatus: r.visit_status,
  bookedByName: r.booked_by_name,
  createdAt: r.created_at,
  version: r.version,
});

export function findAppointmentRow(db: SqliteDb, id: string): AppointmentRow | undefined {
  return sqlGet<AppointmentRow>(db, `${APPOINTMENT_SELECT} WHERE a.id = ?`, id);
}

export function findAppointment(db: SqliteDb, id: string): Appointment | undefined {
  const row = findAppointmentRow(db, id);
  return row && toAppointment(row);
}

export function seriesAppointments(db: SqliteDb, seriesId: string): AppointmentRow[] {
  return sqlAll<AppointmentRow>(db, `${APPOINTMENT_SELECT} WHERE a.series_id = ? ORDER BY a.series_index`, seriesId);
}

export const nextAppointmentNumber = (db: SqliteDb): number =>
  (sqlGet<{ n: number | null }>(db, 'SELECT max(number) AS n FROM hs_appointments')!.n ?? 0) + 1;

/* ---------------- held bookings (availability) ---------------- */

export interface HeldRow {
  id: string;
  start: number;
  end: number;
  bufferMinutes: number;
  serviceId: string;
  technicianId: string | null;
  /** The customer's zone, for pool bookings only. */
  zoneId: string | null;
  eligibleTechnicianIds?: ReadonlySet<string>;
}

/**
 * The longest a held booking can run: a service lasts at most 12 hours (the catalogue contract),
 * and a booking keeps its service's duration. The read below uses it as a lower bound on the
 * start, so it walks the index from just before the range instead of from the first booking ever.
 */
export const LONGEST_BOOKING_MS = 24 * 60 * 60_000;

const HELD_COLUMNS = `SELECT a.id, round(unixepoch(a.starts_at, 'subsec') * 1000), round(unixepoch(a.ends_at, 'subsec') * 1000),
     a.buffer_minutes, a.service_id, j.technician_id,
     CASE WHEN j.technician_id IS NULL THEN (SELECT c.zone_id FROM hs_customers c WHERE c.id = a.customer_id) END
   FROM hs_appointments a INDEXED BY hs_appointments_active
     JOIN hs_jobs j INDEXED BY hs_jobs_appointment_technician ON j.appointment_id = a.id
   WHERE a.status IN ('requested', 'confirmed', 'rescheduled')`;
const HELD_OVERLAPPING = `${HELD_COLUMNS} AND a.starts_at >= ? AND a.starts_at < ? AND a.ends_at > ?`;
const HELD_STARTING = `${HELD_COLUMNS} AND a.starts_at >= ? AND a.starts_at < ?`;

type HeldRaw = [string, number, number, number, string, string | null, string | null];

/*
 * Read as arrays, not objects: better-sqlite3 builds an object per row through the V8 API, which
 * costs more than the read itself on the availability search's thousands of rows.
 */
const rawStatements = new WeakMap<SqliteDb, Map<string, Statement>>();

function heldRows(db: SqliteDb, sql: string, ...args: string[]): HeldRow[] {
  let cache = rawStatements.get(db);
  if (!cache) rawStatements.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = db.prepare(sql).raw(true)));
  const rows = stmt.all(...args) as HeldRaw[];
  const out: HeldRow[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i += 1) {
    const r = rows[i]!;
    out[i] = { id: r[0], start: r[1], end: r[2], bufferMinutes: r[3], serviceId: r[4], technicianId: r[5], zoneId: r[6] };
  }
  return out;
}

/**
 * Bookings that hold a slot and overlap [from, to): on a technician (assigned jobs) or in the
 * unassigned pool. Cancelled, completed and no-show ones free their time. This is the
 * availability search's largest read (thousands of rows per call): it runs on indexes that carry
 * every column it needs, answers the instants already in milliseconds, and only pool bookings
 * look up their customer's zone.
 */
export function heldBookings(db: SqliteDb, from: string, to: string): HeldRow[] {
  return heldRows(db, HELD_OVERLAPPING, iso(ms(from) - LONGEST_BOOKING_MS), to, from);
}

/** Bookings that hold a slot and start in [from, to): extends an earlier `heldBookings(…, from)` read without reading a row twice. */
export function heldBookingsStarting(db: SqliteDb, from: string, to: string): HeldRow[] {
  return heldRows(db, HELD_STARTING, from, to);
}

/* ---------------- lists ---------------- */

export type AppointmentFilters = { [K in keyof typeof appointmentFilters]?: z.output<(typeof appointmentFilters)[K]> };

export function appointmentWhere(f: AppointmentFilters): { where: string[]; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    args.push(...values);
  };
  if (f.status) add('a.status = ?', f.status);
  if (f.serviceId) add('a.service_id = ?', f.serviceId);
  if (f.technicianId) add('j.technician_id = ?', f.technicianId);
  if (f.customerId) add('a.customer_id = ?', f.customerId);
  if (f.channel) add('a.channel = ?', f.channel);
  if (f.category) add('s.category = ?', f.category);
  if (f.seriesId) add('a.series_id = ?', f.seriesId);
  if (f.lateCancel !== undefined) add('a.late_cancel = ?', f.lateCancel ? 1 : 0);
  if (f.from) add('a.local_date >= ?', f.from);
  if (f.to) add('a.local_date <= ?', f.to);
  if (f.search) {
    const pattern = containsPattern(f.search);
    const numeric = /^(?:BK-?)?0*(\d+)$/i.exec(f.search.trim());
    add(
      `(c.name LIKE ? ESCAPE '\\' OR c.customer_no LIKE ? ESCAPE '\\' OR c.phone LIKE ? ESCAPE '\\' OR s.sku LIKE ? ESCAPE '\\' OR a.number = ?)`,
      pattern,
      pattern,
      pattern,
      pattern,
      numeric ? Number(numeric[1]) : -1,
    );
  }
  return { where, args };
}

export function listAppointments(db: SqliteDb, f: AppointmentFilters & { cursor?: string; limit: number }) {
  const { where, args } = appointmentWhere(f);
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const totals = sqlGet<{ total: number; booked: number | null; cancelled: number | null; no_shows: number | null }>(
    db,
    `SELECT count(*) AS total, sum(CASE WHEN a.status NOT IN ('cancelled', 'no_show') THEN a.duration_minutes END) AS booked,
       sum(a.status = 'cancelled') AS cancelled, sum(a.status = 'no_show') AS no_shows
     FROM hs_appointments a JOIN hs_customers c ON c.id = a.customer_id JOIN hs_services s ON s.id = a.service_id
       JOIN hs_jobs j ON j.appointment_id = a.id ${filter}`,
    ...args,
  )!;
  const keyset = [...where];
  const keyArgs = [...args];
  if (f.cursor) {
    const [start, id] = decodeCursor(f.cursor, ['string', 'string']) as [string, string];
    keyset.push('(a.starts_at, a.id) > (?, ?)');
    keyArgs.push(start, id);
  }
  const rows = sqlAll<AppointmentRow>(
    db,
    `${APPOINTMENT_SELECT} ${keyset.length ? `WHERE ${keyset.join(' AND ')}` : ''} ORDER BY a.starts_at, a.id LIMIT ?`,
    ...keyArgs,
    f.limit + 1,
  );
  const more = rows.length > f.limit;
  const pageRows = rows.slice(0, f.limit);
  const last = pageRows.at(-1);
  return {
    rows: pageRows.map(toAppointment),
    nextCursor: more && last ? encodeCursor([last.starts_at, last.id]) : null,
    total: totals.total,
    totals: { bookedMinutes: totals.booked ?? 0, cancelled: totals.cancelled ?? 0, noShows: totals.no_shows ?? 0 },
  };
}

/** Every matching appointment in start order, in chunks (exports). */
export function* iterateAppointments(db: SqliteDb, f: AppointmentFilters, chunk = 1000): Generator<Appointment> {
  let after: [string, string] | null = null;
  for (;;) {
    const { where, args } = appointmentWhere(f);
    if (after) {
      where.push('(a.starts_at, a.id) > (?, ?)');
      args.push(...after);
    }
    const rows = sqlAll<AppointmentRow>(db, `${APPOINTMENT_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.starts_at, a.id LIMIT ?`, ...args, chunk);
    for (const row of rows) yield toAppointment(row);
    if (rows.length < chunk) return;
    const last = rows[rows.length - 1]!;
    after = [last.starts_at, last.id];
  }
}

/** Appointments (every status) whose start falls in [from, to): calendars and reminders. */
export function appointmentsBetween(db: SqliteDb, from: number, to: number, activeOnly = false): AppointmentRow[] {
  return sqlAll<AppointmentRow>(
    db,
    `${APPOINTMENT_SELECT} WHERE a.starts_at >= ? AND a.starts_at < ? ${activeOnly ? "AND a.status IN ('requested', 'confirmed', 'rescheduled')" : ''}
     ORDER BY a.starts_at, a.id`,
    new Date(from).toISOString(),
    new Date(to).toISOString(),
  );
}

export const startOf = (row: Pick<HsAppointmentsTable, 'starts_at'>): number => ms(row.starts_at);
