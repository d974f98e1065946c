import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import type { z } from 'zod';
import type { Checkpoint, Visit, visitFilters } from '../../../../src-shared/contracts/home-services/visits';
import { sqlAll, sqlGet, type SqliteDb } from '../../../core/db/store';
import { containsPattern, decodeCursor, encodeCursor } from '../master-data/queries';
import { appointmentNumber } from '../scheduling/queries';
import { missingEvv, minutesBetween } from './rules';
import type { HsVisitsTable } from './tables';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Reads of visits and the row → DTO mapping (the EVV elements worked out from what was stored). */

export type VisitRow = HsVisitsTable & {
  appointment_number: number;
  customer_name: string;
  customer_address: string;
  service_sku: string;
  service_name: string;
  technician_name: string | null;
  starts_at: string;
  ends_at: string;
};

export const VISIT_SELECT = `
  SELECT v.*, a.number AS appointment_number, c.name AS customer_name, c.address AS customer_address, s.sku AS service_sku,
    s.name AS service_name, t.name AS technician_name, a.starts_at, a.ends_at
  FROM hs_visits v
    JOIN hs_appointments a ON a.id = v.appointment_id
    JOIN hs_customers c ON c.id = v.customer_id
    JOIN hs_services s ON s.id = v.service_id
    LEFT JOIN hs_technicians t ON t.id = v.technician_id`;

function checkpoint(row: VisitRow, side: 'in' | 'out'): Checkpoint | null {
  const at = side === 'in' ? row.check_in_at : row.check_out_at;
  if (!at) return null;
  const p = side === 'in'
    ? { lat: row.check_in_lat, lng: row.check_in_lng, accuracyM: row.check_in_accuracy_m, distanceM: row.check_in_distance_m, level: row.check_in_level, explanation: row.check_in_explanation }
    : { lat: row.check_out_lat, lng: row.check_out_lng, accuracyM: row.check_out_accuracy_m, distanceM: row.check_out_distance_m, level: row.check_out_level, explanation: row.check_out_explanation };
  return { at, lat: p.lat, lng: p.lng, accuracyM: p.accuracyM, distanceM: p.distanceM, level: p.level ?? 'exception', explanation: p.explanation ?? '' };
}

export interface CorrectionRow {
  visit_id: string;
  corrected_at: string;
  by_name: string;
  reason_code: string;
  reason: string;
  changes_json: string;
}

export function toVisit(row: VisitRow, corrections: readonly CorrectionRow[], timeZone: string): Visit {
  const checkIn = checkpoint(row, 'in');
  const checkOut = checkpoint(row, 'out');
  const local = (instant: string | null) => (instant ? dayjs(instant).tz(timeZone).format('HH:mm') : null);
  const evvFacts = {
    serviceType: row.evv_service_type,
    recipient: row.evv_recipient,
    provider: row.evv_provider,
    date: row.check_in_at ? row.local_date : null,
    location: checkIn?.lat != null && checkIn.lng != null ? `${checkIn.lat.toFixed(5)}, ${checkIn.lng.toFixed(5)}` : null,
    startTime: local(row.check_in_at),
    endTime: local(row.check_out_at),
  };
  return {
    id: row.id,
    jobId: row.job_id,
    appointmentId: row.appointment_id,
    appointmentNumber: appointmentNumber(row.appointment_number),
    customerId: row.customer_id,
    customerName: row.customer_name,
    customerAddress: row.customer_address,
    serviceId: row.service_id,
    serviceSku: row.service_sku,
    serviceName: row.service_name,
    technicianId: row.technician_id,
    technicianName: row.technician_name,
    scheduledStart: row.starts_at,
    scheduledEnd: row.ends_at,
    localDate: row.local_date,
    status: row.status,
    verification: row.verification,
    checkIn,
    checkOut,
    minutesOnSite: row.check_in_at && row.check_out_at ? minutesBetween(Date.parse(row.check_in_at), Date.parse(row.check_out_at)) : null,
    note: row.note,
    outcome: row.outcome,
    signedBy: row.signed_by,
    hasSignature: row.signature_png !== null,
    photoRefs: JSON.parse(row.photo_refs_json) as string[],
    evv: { ...evvFacts, missing: missingEvv(evvFacts) },
    corrected: row.corrected === 1,
    corrections: corrections.map((c) => ({
      at: c.corrected_at,
      byName: c.by_name,
      reasonCode: c.reason_code as Visit['corrections'][number]['reasonCode'],
      reason: c.reason,
      changes: JSON.parse(c.changes_json) as Record<string, unknown>,
    })),
    missedAt: row.missed_at,
    version: row.version,
  };
}

function correctionsOf(db: SqliteDb, visitIds: readonly string[]): Map<string, CorrectionRow[]> {
  const map = new Map<string, CorrectionRow[]>();
  if (visitIds.length === 0) return map;
  const rows = sqlAll<CorrectionRow>(
    db,
    `SELECT k.visit_id, k.corrected_at, u.display_name AS by_name, k.reason_code, k.reason, k.changes_json
     FROM hs_visit_corrections k JOIN users u ON u.id = k.corrected_by
     WHERE k.visit_id IN (SELECT value FROM json_each(?)) ORDER BY k.corrected_at`,
    JSON.stringify(visitIds),
  );
  for (const r of rows) {
    let list = map.get(r.visit_id);
    if (!list) map.set(r.visit_id, (list = []));
    list.push(r);
  }
  return map;
}

export function visitsOf(db: SqliteDb, rows: readonly VisitRow[], timeZone: string): Visit[] {
  const corrections = correctionsOf(
    db,
    rows.filter((r) => r.corrected === 1).map((r) => r.id),
  );
  return rows.map((r) => toVisit(r, corrections.get(r.id) ?? [], timeZone));
}

export const findVisitRow = (db: SqliteDb, id: string): VisitRow | undefined => sqlGet<VisitRow>(db, `${VISIT_SELECT} WHERE v.id = ?`, id);
export const visitOfJob = (db: SqliteDb, jobId: string): VisitRow | undefined => sqlGet<VisitRow>(db, `${VISIT_SELECT} WHERE v.job_id = ?`, jobId);

export function findVisit(db: SqliteDb, id: string, timeZone: string): Visit | undefined {
  const row = findVisitRow(db, id);
  return row && visitsOf(db, [row], timeZone)[0];
}

export type VisitFilters = { [K in keyof typeof visitFilters]?: z.output<(typeof visitFilters)[K]> };

function visitWhere(f: VisitFilters): { where: string[]; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    args.push(...values);
  };
  if (f.status) add('v.status = ?', f.status);
  if (f.verification) add('v.verification = ?', f.verification);
  if (f.technicianId) add('v.technician_id = ?', f.technicianId);
  if (f.serviceId) add('v.service_id = ?', f.serviceId);
  if (f.customerId) add('v.customer_id = ?', f.customerId);
  if (f.corrected !== undefined) add('v.corrected = ?', f.corrected ? 1 : 0);
  if (f.from) add('v.local_date >= ?', f.from);
  if (f.to) add('v.local_date <= ?', f.to);
  if (f.search) {
    const pattern = containsPattern(f.search);
    const numeric = /^(?:BK-?)?0*(\d+)$/i.exec(f.search.trim());
    add(`(c.name LIKE ? ESCAPE '\\' OR s.sku LIKE ? ESCAPE '\\' OR t.name LIKE ? ESCAPE '\\' OR a.number = ?)`, pattern, pattern, pattern, numeric ? Number(numeric[1]) : -1);
  }
  return { where, args };
}

/** Visits newest first, keyset on (local_date DESC, id DESC). */
export function listVisits(db: SqliteDb, f: VisitFilters & { cursor?: string; limit: number }, timeZone: string) {
  const { where, args } = visitWhere(f);
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const totals = sqlGet<{ total: number; verified: number | null; warnings: number | null; exceptions: number | null; missed: number | null }>(
    db,
    `SELECT count(*) AS total, sum(v.verification = 'verified' AND v.status <> 'missed') AS verified, sum(v.verification = 'warning') AS warnings,
       sum(v.verification = 'exception' AND v.status <> 'missed') AS exceptions, sum(v.status = 'missed') AS missed
     FROM hs_visits v JOIN hs_appointments a ON a.id = v.appointment_id JOIN hs_customers c ON c.id = v.customer_id
       JOIN hs_services s ON s.id = v.service_id LEFT JOIN hs_technicians t ON t.id = v.technician_id ${filter}`,
    ...args,
  )!;
  const keyset = [...where];
  const keyArgs = [...args];
  if (f.cursor) {
    const [date, id] = decodeCursor(f.cursor, ['string', 'string']) as [string, string];
    keyset.push('(v.local_date, v.id) < (?, ?)');
    keyArgs.push(date, id);
  }
  const rows = sqlAll<VisitRow>(db, `${VISIT_SELECT} ${keyset.length ? `WHERE ${keyset.join(' AND ')}` : ''} ORDER BY v.local_date DESC, v.id DESC LIMIT ?`, ...keyArgs, f.limit + 1);
  const more = rows.length > f.limit;
  const pageRows = rows.slice(0, f.limit);
  const last = pageRows.at(-1);
  return {
    rows: visitsOf(db, pageRows, timeZone),
    nextCursor: more && last ? encodeCursor([last.local_date, last.id]) : null,
    total: totals.total,
    totals: { verified: totals.verified ?? 0, warnings: totals.warnings ?? 0, exceptions: totals.exceptions ?? 0, missed: totals.missed ?? 0 },
  };
}

export function* iterateVisits(db: SqliteDb, f: VisitFilters, timeZone: string, chunk = 500): Generator<Visit> {
  let after: [string, string] | null = null;
  for (;;) {
    const { where, args } = visitWhere(f);
    if (after) {
      where.push('(v.local_date, v.id) > (?, ?)');
      args.push(...after);
    }
    const rows = sqlAll<VisitRow>(db, `${VISIT_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY v.local_date, v.id LIMIT ?`, ...args, chunk);
    yield* visitsOf(db, rows, timeZone);
    if (rows.length < chunk) return;
    const last = rows[rows.length - 1]!;
    after = [last.local_date, last.id];
  }
}

/** Appointments still expected whose window ended before `before` and nobody checked in: missed-visit candidates. */
export function missedCandidates(db: SqliteDb, before: string): { id: string; ends_at: string }[] {
  return sqlAll<{ id: string; ends_at: string }>(
    db,
    `SELECT a.id, a.ends_at FROM hs_appointments a JOIN hs_jobs j ON j.appointment_id = a.id
     WHERE a.status IN ('requested', 'confirmed', 'rescheduled') AND a.ends_at < ? AND j.state IN ('unassigned', 'assigned', 'en_route')
       AND NOT EXISTS (SELECT 1 FROM hs_visits v WHERE v.appointment_id = a.id)
     ORDER BY a.ends_at`,
    before,
  );
}
