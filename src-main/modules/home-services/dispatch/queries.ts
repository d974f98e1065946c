import type { z } from 'zod';
import type { Job, jobFilters } from '../../../../src-shared/contracts/home-services/dispatch';
import { sqlAll, sqlGet, type SqliteDb } from '../../../core/db/store';
import { containsPattern, decodeCursor, encodeCursor } from '../master-data/queries';
import { appointmentNumber } from '../scheduling/queries';
import { ms } from '../time';
import { slaStatus } from './rules';
import type { HsJobsTable } from './tables';

/** Reads of dispatch jobs and the row → DTO mapping. */

export type JobRow = HsJobsTable & {
  appointment_number: number;
  appointment_status: string;
  customer_id: string;
  customer_name: string;
  customer_address: string;
  lat: number | null;
  lng: number | null;
  zone_id: string | null;
  zone_code: string | null;
  service_id: string;
  service_sku: string;
  service_name: string;
  duration_minutes: number;
  buffer_minutes: number;
  starts_at: string;
  ends_at: string;
  local_date: string;
  technician_name: string | null;
  visit_id: string | null;
};

export const JOB_SELECT = `
  SELECT j.*, a.number AS appointment_number, a.status AS appointment_status, a.customer_id, c.name AS customer_name,
    c.address AS customer_address, c.lat, c.lng, c.zone_id, z.code AS zone_code, a.service_id, s.sku AS service_sku,
    s.name AS service_name, a.duration_minutes, a.buffer_minutes, a.starts_at, a.ends_at, a.local_date,
    t.name AS technician_name, v.id AS visit_id
  FROM hs_jobs j
    JOIN hs_appointments a ON a.id = j.appointment_id
    JOIN hs_customers c ON c.id = a.customer_id
    LEFT JOIN hs_zones z ON z.id = c.zone_id
    JOIN hs_services s ON s.id = a.service_id
    LEFT JOIN hs_technicians t ON t.id = j.technician_id
    LEFT JOIN hs_visits v ON v.job_id = j.id`;

export function toJob(r: JobRow, now: number, atRiskMinutes: number): Job {
  return {
    id: r.id,
    appointmentId: r.appointment_id,
    appointmentNumber: appointmentNumber(r.appointment_number),
    appointmentStatus: r.appointment_status,
    customerId: r.customer_id,
    customerName: r.customer_name,
    customerAddress: r.customer_address,
    lat: r.lat,
    lng: r.lng,
    zoneCode: r.zone_code,
    serviceId: r.service_id,
    serviceSku: r.service_sku,
    serviceName: r.service_name,
    durationMinutes: r.duration_minutes,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    localDate: r.local_date,
    technicianId: r.technician_id,
    technicianName: r.technician_name,
    state: r.state,
    priority: r.priority,
    slaDueAt: r.sla_due_at,
    slaStatus: slaStatus(ms(r.sla_due_at), r.on_site_at ? ms(r.on_site_at) : null, now, atRiskMinutes, r.state === 'cancelled'),
    assignedAt: r.assigned_at,
    enRouteAt: r.en_route_at,
    onSiteAt: r.on_site_at,
    completedAt: r.completed_at,
    reassignCount: r.reassign_count,
    lastReasonCode: r.last_reason_code,
    lastReason: r.last_reason,
    visitId: r.visit_id,
    version: r.version,
  };
}

export const findJobRow = (db: SqliteDb, id: string): JobRow | undefined => sqlGet<JobRow>(db, `${JOB_SELECT} WHERE j.id = ?`, id);

export const jobOfAppointment = (db: SqliteDb, appointmentId: string): JobRow | undefined =>
  sqlGet<JobRow>(db, `${JOB_SELECT} WHERE j.appointment_id = ?`, appointmentId);

/** Open jobs (not completed or cancelled) starting in [from, to), by start. */
export function jobsBetween(db: SqliteDb, from: string, to: string, includeClosed = false): JobRow[] {
  return sqlAll<JobRow>(
    db,
    `${JOB_SELECT} WHERE a.starts_at >= ? AND a.starts_at < ? ${includeClosed ? "AND j.state <> 'cancelled'" : "AND j.state NOT IN ('completed', 'cancelled')"}
     ORDER BY a.starts_at, j.id`,
    from,
    to,
  );
}

/** A technician's open jobs overlapping [from, to). */
export function technicianJobs(db: SqliteDb, technicianId: string, from: string, to: string): JobRow[] {
  return sqlAll<JobRow>(
    db,
    `${JOB_SELECT} WHERE j.technician_id = ? AND j.state IN ('assigned', 'en_route', 'on_site', 'completed') AND a.starts_at < ? AND a.ends_at > ?
     ORDER BY a.starts_at`,
    technicianId,
    to,
    from,
  );
}

export type JobFilters = { [K in keyof typeof jobFilters]?: z.output<(typeof jobFilters)[K]> };

function jobWhere(f: JobFilters, nowIso: string, atRiskMinutes: number): { where: string[]; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    args.push(...values);
  };
  if (f.state) add('j.state = ?', f.state);
  if (f.technicianId) add('j.technician_id = ?', f.technicianId);
  if (f.priority) add('j.priority = ?', f.priority);
  if (f.from) add('a.local_date >= ?', f.from);
  if (f.to) add('a.local_date <= ?', f.to);
  if (f.sla) {
    // The same rule as slaStatus, in SQL, so the filter and the badge never disagree.
    const riskFrom = new Date(Date.parse(nowIso) + atRiskMinutes * 60_000).toISOString();
    const clause = {
      met: `(j.state = 'cancelled' OR (j.on_site_at IS NOT NULL AND j.on_site_at <= j.sla_due_at))`,
      breached: `(j.state <> 'cancelled' AND ((j.on_site_at IS NOT NULL AND j.on_site_at > j.sla_due_at) OR (j.on_site_at IS NULL AND ? > j.sla_due_at)))`,
      at_risk: `(j.state <> 'cancelled' AND j.on_site_at IS NULL AND ? <= j.sla_due_at AND ? > j.sla_due_at)`,
      open: `(j.state <> 'cancelled' AND j.on_site_at IS NULL AND ? <= j.sla_due_at)`,
    }[f.sla];
    const values = { met: [], breached: [nowIso], at_risk: [nowIso, riskFrom], open: [riskFrom] }[f.sla];
    add(clause, ...values);
  }
  if (f.search) {
    const pattern = containsPattern(f.search);
    const numeric = /^(?:BK-?)?0*(\d+)$/i.exec(f.search.trim());
    add(
      `(c.name LIKE ? ESCAPE '\\' OR c.address LIKE ? ESCAPE '\\' OR s.sku LIKE ? ESCAPE '\\' OR a.number = ?)`,
      pattern,
      pattern,
      pattern,
      numeric ? Number(numeric[1]) : -1,
    );
  }
  return { where, args };
}

export function listJobs(db: SqliteDb, f: JobFilters & { cursor?: string; limit: number }, now: Date, atRiskMinutes: number) {
  const nowIso = now.toISOString();
  const { where, args } = jobWhere(f, nowIso, atRiskMinutes);
  const from = `FROM hs_jobs j JOIN hs_appointments a ON a.id = j.appointment_id JOIN hs_customers c ON c.id = a.customer_id
    JOIN hs_services s ON s.id = a.service_id ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
  const totals = sqlGet<{ total: number; breached: number | null; unassigned: number | null }>(
    db,
    `SELECT count(*) AS total,
       sum(j.state <> 'cancelled' AND ((j.on_site_at IS NOT NULL AND j.on_site_at > j.sla_due_at) OR (j.on_site_at IS NULL AND ? > j.sla_due_at))) AS breached,
       sum(j.state = 'unassigned') AS unassigned ${from}`,
    nowIso,
    ...args,
  )!;
  const keyset = [...where];
  const keyArgs = [...args];
  if (f.cursor) {
    const [start, id] = decodeCursor(f.cursor, ['string', 'string']) as [string, string];
    keyset.push('(a.starts_at, j.id) > (?, ?)');
    keyArgs.push(start, id);
  }
  const rows = sqlAll<JobRow>(db, `${JOB_SELECT} ${keyset.length ? `WHERE ${keyset.join(' AND ')}` : ''} ORDER BY a.starts_at, j.id LIMIT ?`, ...keyArgs, f.limit + 1);
  const more = rows.length > f.limit;
  const pageRows = rows.slice(0, f.limit);
  const last = pageRows.at(-1);
  return {
    rows: pageRows.map((r) => toJob(r, now.getTime(), atRiskMinutes)),
    nextCursor: more && last ? encodeCursor([last.starts_at, last.id]) : null,
    total: totals.total,
    totals: { breached: totals.breached ?? 0, unassigned: totals.unassigned ?? 0 },
  };
}

/** Every matching job in start order, in chunks (exports). */
export function* iterateJobs(db: SqliteDb, f: JobFilters, now: Date, atRiskMinutes: number, chunk = 1000): Generator<Job> {
  let after: [string, string] | null = null;
  for (;;) {
    const { where, args } = jobWhere(f, now.toISOString(), atRiskMinutes);
    if (after) {
      where.push('(a.starts_at, j.id) > (?, ?)');
      args.push(...after);
    }
    const rows = sqlAll<JobRow>(db, `${JOB_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.starts_at, j.id LIMIT ?`, ...args, chunk);
    for (const row of rows) yield toJob(row, now.getTime(), atRiskMinutes);
    if (rows.length < chunk) return;
    const last = rows[rows.length - 1]!;
    after = [last.starts_at, last.id];
  }
}
