import { sqlAll, sqlGet } from '../../core/db/store';
import { defineFunctionReporting } from '../definitions';

/**
 * Service appointment scheduling, mobile technician dispatch and home visit tracking in the report
 * engine. All three count by the appointment's local day. Their screens are not built yet: the
 * links point where the functions' routes will live (`/home-services/<function>/<id>`); adjust
 * them here when the screens land.
 */
const SCHEDULING = '/home-services/scheduling';
const DISPATCH = '/home-services/dispatch';
const VISITS = '/home-services/visits';
const link = (base: string) => (id: string) => `${base}/${encodeURIComponent(id)}`;

const STATUS_LABEL =
  "CASE ap.status WHEN 'requested' THEN 'Requested' WHEN 'confirmed' THEN 'Confirmed' WHEN 'rescheduled' THEN 'Rescheduled' WHEN 'completed' THEN 'Completed' WHEN 'cancelled' THEN 'Cancelled' ELSE 'No-show' END";
const OPEN_APPOINTMENT = "ap.status IN ('requested', 'confirmed', 'rescheduled')";

export const schedulingReporting = defineFunctionReporting({
  functionKey: 'homeServices.scheduling',
  reports: [
    {
      key: 'homeServices.scheduling.appointments',
      label: 'Appointments',
      description: 'Appointments by the day they are for: booked, completed, cancelled, no-shows, hours and value booked.',
      recordLabel: 'appointment',
      from: 'hs_appointments ap',
      joins: [
        { alias: 'sv', sql: 'LEFT JOIN hs_services sv ON sv.id = ap.service_id' },
        { alias: 'cu', sql: 'LEFT JOIN hs_customers cu ON cu.id = ap.customer_id' },
        { alias: 'z', sql: 'LEFT JOIN hs_zones z ON z.id = cu.zone_id' },
        { alias: 'u', sql: 'LEFT JOIN users u ON u.id = ap.booked_by' },
      ],
      time: { column: 'ap.local_date', kind: 'date', label: 'Appointment day' },
      id: 'ap.id',
      branch: 'ap.branch_id',
      dimensions: [
        { key: 'user', label: 'Booked by', value: 'ap.booked_by', display: 'u.display_name' },
        { key: 'category', label: 'Service category', value: 'sv.category', display: 'sv.category' },
        { key: 'service', label: 'Service (SKU)', value: 'ap.service_id', display: "sv.sku || ' ' || sv.name" },
        { key: 'zone', label: 'Zone', value: "coalesce(cu.zone_id, '')", display: "coalesce(z.code || ' ' || z.name, 'No zone')" },
        { key: 'status', label: 'Status', value: 'ap.status', display: STATUS_LABEL },
      ],
      measures: [
        { key: 'appointments', label: 'Appointments', unit: 'count', aggregate: 'count(*)' },
        { key: 'completed', label: 'Completed', unit: 'count', aggregate: "sum(ap.status = 'completed')" },
        { key: 'cancelled', label: 'Cancelled', unit: 'count', aggregate: "sum(ap.status = 'cancelled')" },
        { key: 'noShows', label: 'No-shows', unit: 'count', aggregate: "sum(ap.status = 'no_show')" },
        { key: 'rescheduled', label: 'Rescheduled', unit: 'count', aggregate: 'sum(ap.reschedule_count > 0)' },
        { key: 'hours', label: 'Hours booked', unit: 'hours', aggregate: "sum(CASE WHEN ap.status <> 'cancelled' THEN ap.duration_minutes ELSE 0 END) / 60.0" },
        { key: 'value', label: 'Value booked', unit: 'money', aggregate: "sum(CASE WHEN ap.status <> 'cancelled' THEN ap.price_minor ELSE 0 END)" },
        { key: 'noShowRate', label: 'No-show rate', unit: 'percent', ratio: { numerator: 'noShows', denominator: 'appointments', scale: 100 } },
      ],
      defaultMeasure: 'appointments',
      records: {
        columns: [
          { key: 'day', header: 'Day', sql: 'ap.local_date', kind: 'date', width: 12 },
          { key: 'number', header: 'Number', sql: 'ap.number', kind: 'integer' },
          { key: 'startsAt', header: 'Starts', sql: 'ap.starts_at', kind: 'datetime' },
          { key: 'customer', header: 'Customer', sql: 'cu.name', kind: 'text', width: 24 },
          { key: 'service', header: 'Service', sql: 'sv.name', kind: 'text', width: 22 },
          { key: 'minutes', header: 'Minutes', sql: 'ap.duration_minutes', kind: 'integer' },
          { key: 'price', header: 'Price', sql: 'ap.price_minor', kind: 'money' },
          { key: 'status', header: 'Status', sql: STATUS_LABEL, kind: 'text' },
          { key: 'bookedBy', header: 'Booked by', sql: 'u.display_name', kind: 'text', width: 18 },
        ],
        link: link(SCHEDULING),
      },
    },
  ],
  kpis: [
    {
      key: 'homeServices.scheduling.bookings',
      label: 'Appointments booked',
      description: 'Appointments for the days of the period, whatever became of them.',
      report: 'homeServices.scheduling.appointments',
      measure: 'appointments',
      goodDirection: 'up',
    },
    {
      key: 'homeServices.scheduling.noShows',
      label: 'No-shows',
      description: 'Appointments the customer was not there for.',
      report: 'homeServices.scheduling.appointments',
      measure: 'noShows',
      goodDirection: 'down',
    },
  ],
  exceptions: [
    {
      kind: 'noOutcome',
      label: 'Appointments past their time without an outcome',
      severity: 'warning',
      criticalAfterHours: 48,
      link: SCHEDULING,
      open(db, limit, clock) {
        const where = `${OPEN_APPOINTMENT} AND ap.ends_at < ?`;
        const summary = sqlGet<{ total: number; oldest: string | null }>(db, `SELECT count(*) AS total, min(ap.ends_at) AS oldest FROM hs_appointments ap WHERE ${where}`, clock.nowIso)!;
        const items = sqlAll<{ id: string; number: number; ends_at: string; customer: string; service: string }>(
          db,
          `SELECT ap.id, ap.number, ap.ends_at, cu.name AS customer, sv.name AS service FROM hs_appointments ap
             JOIN hs_customers cu ON cu.id = ap.customer_id JOIN hs_services sv ON sv.id = ap.service_id
           WHERE ${where} ORDER BY ap.ends_at LIMIT ?`,
          clock.nowIso,
          limit,
        );
        return {
          total: summary.total,
          oldestAt: summary.oldest,
          items: items.map((a) => ({ id: a.id, title: `#${a.number} ${a.service} for ${a.customer}`, detail: 'Complete it, or record a no-show', since: a.ends_at, link: link(SCHEDULING)(a.id) })),
        };
      },
      occurrences: {
        from: 'hs_appointments ap',
        where: "ap.status IN ('no_show', 'cancelled')",
        at: 'ap.starts_at',
        category: "CASE ap.status WHEN 'no_show' THEN 'NO_SHOW' ELSE 'CANCELLED' END",
        branch: 'ap.branch_id',
      },
    },
  ],
  entityLinks: { hsAppointment: link(SCHEDULING) },
});

const JOB_STATE_LABEL =
  "CASE j.state WHEN 'unassigned' THEN 'Unassigned' WHEN 'assigned' THEN 'Assigned' WHEN 'en_route' THEN 'En route' WHEN 'on_site' THEN 'On site' WHEN 'completed' THEN 'Completed' ELSE 'Cancelled' END";
const OPEN_JOB = "j.state NOT IN ('completed', 'cancelled')";

export const dispatchReporting = defineFunctionReporting({
  functionKey: 'homeServices.dispatch',
  reports: [
    {
      key: 'homeServices.dispatch.jobs',
      label: 'Dispatch jobs',
      description: 'Jobs by the day of their appointment: assigned, completed, completed past the deadline, reassigned, hours on site.',
      recordLabel: 'job',
      from: 'hs_jobs j',
      joins: [
        // Inner: every job has its appointment, and the day index lets SQLite start from it.
        { alias: 'ap', sql: 'JOIN hs_appointments ap ON ap.id = j.appointment_id' },
        { alias: 't', sql: 'LEFT JOIN hs_technicians t ON t.id = j.technician_id' },
        { alias: 'sv', sql: 'LEFT JOIN hs_services sv ON sv.id = ap.service_id' },
        { alias: 'cu', sql: 'LEFT JOIN hs_customers cu ON cu.id = ap.customer_id' },
        { alias: 'z', sql: 'LEFT JOIN hs_zones z ON z.id = cu.zone_id' },
      ],
      time: { column: 'ap.local_date', kind: 'date', label: 'Appointment day' },
      id: 'j.id',
      branch: 'j.branch_id',
      dimensions: [
        { key: 'user', label: 'Technician', value: "coalesce(j.technician_id, '')", display: "coalesce(t.name, 'Unassigned')" },
        {
          key: 'shift',
          label: 'Technician day',
          value: "coalesce(j.technician_id, '') || '|' || ap.local_date",
          display: "coalesce(t.name, 'Unassigned') || ' · ' || ap.local_date",
        },
        { key: 'category', label: 'Service category', value: 'sv.category', display: 'sv.category' },
        { key: 'zone', label: 'Zone', value: "coalesce(cu.zone_id, '')", display: "coalesce(z.code || ' ' || z.name, 'No zone')" },
        { key: 'state', label: 'State', value: 'j.state', display: JOB_STATE_LABEL },
      ],
      measures: [
        { key: 'jobs', label: 'Jobs', unit: 'count', aggregate: 'count(*)' },
        { key: 'completed', label: 'Completed', unit: 'count', aggregate: "sum(j.state = 'completed')" },
        { key: 'late', label: 'Completed late', unit: 'count', aggregate: "sum(j.state = 'completed' AND j.completed_at > j.sla_due_at)" },
        { key: 'cancelled', label: 'Cancelled', unit: 'count', aggregate: "sum(j.state = 'cancelled')" },
        { key: 'unassigned', label: 'Unassigned', unit: 'count', aggregate: "sum(j.state = 'unassigned')" },
        { key: 'reassigned', label: 'Reassigned', unit: 'count', aggregate: 'sum(j.reassign_count > 0)' },
        {
          key: 'hoursOnSite',
          label: 'Hours on site',
          unit: 'hours',
          aggregate: "sum(CASE WHEN j.completed_at IS NOT NULL AND j.on_site_at IS NOT NULL THEN (julianday(j.completed_at) - julianday(j.on_site_at)) * 24 ELSE 0 END)",
        },
        { key: 'lateRate', label: 'Late rate', unit: 'percent', ratio: { numerator: 'late', denominator: 'completed', scale: 100 } },
      ],
      defaultMeasure: 'jobs',
      records: {
        columns: [
          { key: 'day', header: 'Day', sql: 'ap.local_date', kind: 'date', width: 12 },
          { key: 'appointment', header: 'Appointment', sql: 'ap.number', kind: 'integer' },
          { key: 'service', header: 'Service', sql: 'sv.name', kind: 'text', width: 22 },
          { key: 'customer', header: 'Customer', sql: 'cu.name', kind: 'text', width: 24 },
          { key: 'technician', header: 'Technician', sql: 't.name', kind: 'text', width: 18 },
          { key: 'state', header: 'State', sql: JOB_STATE_LABEL, kind: 'text' },
          { key: 'deadline', header: 'Deadline', sql: 'j.sla_due_at', kind: 'datetime' },
          { key: 'completedAt', header: 'Completed', sql: 'j.completed_at', kind: 'datetime' },
        ],
        link: link(DISPATCH),
      },
    },
  ],
  kpis: [
    {
      key: 'homeServices.dispatch.completed',
      label: 'Jobs completed',
      description: 'Dispatched jobs finished on site.',
      report: 'homeServices.dispatch.jobs',
      measure: 'completed',
      goodDirection: 'up',
    },
    {
      key: 'homeServices.dispatch.late',
      label: 'Jobs completed late',
      description: 'Completed after their service-level deadline.',
      report: 'homeServices.dispatch.jobs',
      measure: 'late',
      goodDirection: 'down',
    },
  ],
  exceptions: [
    {
      kind: 'slaBreach',
      label: 'Jobs past their deadline',
      severity: 'warning',
      criticalAfterHours: 24,
      link: DISPATCH,
      open(db, limit, clock) {
        const where = `${OPEN_JOB} AND j.sla_due_at < ?`;
        const summary = sqlGet<{ total: number; oldest: string | null }>(db, `SELECT count(*) AS total, min(j.sla_due_at) AS oldest FROM hs_jobs j WHERE ${where}`, clock.nowIso)!;
        const items = sqlAll<{ id: string; sla_due_at: string; number: number; service: string; technician: string | null }>(
          db,
          `SELECT j.id, j.sla_due_at, ap.number, sv.name AS service, t.name AS technician FROM hs_jobs j
             JOIN hs_appointments ap ON ap.id = j.appointment_id JOIN hs_services sv ON sv.id = ap.service_id
             LEFT JOIN hs_technicians t ON t.id = j.technician_id
           WHERE ${where} ORDER BY j.sla_due_at LIMIT ?`,
          clock.nowIso,
          limit,
        );
        return {
          total: summary.total,
          oldestAt: summary.oldest,
          items: items.map((j) => ({
            id: j.id,
            title: `#${j.number} ${j.service}: ${j.technician ?? 'unassigned'}`,
            detail: 'Past its service-level deadline',
            since: j.sla_due_at,
            link: link(DISPATCH)(j.id),
          })),
        };
      },
      occurrences: {
        from: 'hs_jobs j',
        where: "j.state = 'completed' AND j.completed_at > j.sla_due_at",
        at: 'j.sla_due_at',
        category: "'SLA_BREACH'",
        branch: 'j.branch_id',
      },
    },
  ],
  inProgress(db, who) {
    return sqlAll<{ id: string; number: number; service: string; starts_at: string; state: string }>(
      db,
      `SELECT j.id, ap.number, sv.name AS service, ap.starts_at, j.state FROM hs_jobs j
         JOIN hs_technicians t ON t.id = j.technician_id JOIN hs_appointments ap ON ap.id = j.appointment_id
         JOIN hs_services sv ON sv.id = ap.service_id
       WHERE t.user_id = ? AND j.state IN ('en_route', 'on_site') ORDER BY ap.starts_at LIMIT 5`,
      who.userId,
    ).map((j) => ({
      id: j.id,
      title: `#${j.number} ${j.service}: ${j.state === 'on_site' ? 'on site' : 'en route'}`,
      since: j.starts_at,
      link: link(DISPATCH)(j.id),
      actionLabel: 'Continue the job',
    }));
  },
  entityLinks: { hsJob: link(DISPATCH) },
});

const VERIFICATION_LABEL = "CASE v.verification WHEN 'verified' THEN 'Verified' WHEN 'warning' THEN 'Warning' ELSE 'Exception' END";

export const visitsReporting = defineFunctionReporting({
  functionKey: 'homeServices.visits',
  reports: [
    {
      key: 'homeServices.visits.visits',
      label: 'Home visits',
      description: 'Visits by day: completed, verified at the address, geofence warnings and exceptions, missed, hours on site.',
      recordLabel: 'visit',
      from: 'hs_visits v',
      joins: [
        { alias: 't', sql: 'LEFT JOIN hs_technicians t ON t.id = v.technician_id' },
        { alias: 'sv', sql: 'LEFT JOIN hs_services sv ON sv.id = v.service_id' },
        { alias: 'cu', sql: 'LEFT JOIN hs_customers cu ON cu.id = v.customer_id' },
      ],
      time: { column: 'v.local_date', kind: 'date', label: 'Visit day' },
      id: 'v.id',
      branch: 'v.branch_id',
      dimensions: [
        { key: 'user', label: 'Technician', value: "coalesce(v.technician_id, '')", display: "coalesce(t.name, 'No technician')" },
        { key: 'shift', label: 'Technician day', value: "coalesce(v.technician_id, '') || '|' || v.local_date", display: "coalesce(t.name, 'No technician') || ' · ' || v.local_date" },
        { key: 'category', label: 'Service category', value: 'sv.category', display: 'sv.category' },
        { key: 'verification', label: 'Verification', value: 'v.verification', display: VERIFICATION_LABEL },
        { key: 'status', label: 'Status', value: 'v.status', display: "CASE v.status WHEN 'completed' THEN 'Completed' WHEN 'missed' THEN 'Missed' ELSE 'In progress' END" },
      ],
      measures: [
        { key: 'visits', label: 'Visits', unit: 'count', aggregate: 'count(*)' },
        { key: 'completed', label: 'Completed', unit: 'count', aggregate: "sum(v.status = 'completed')" },
        { key: 'verified', label: 'Verified', unit: 'count', aggregate: "sum(v.status = 'completed' AND v.verification = 'verified')" },
        { key: 'warnings', label: 'Geofence warnings', unit: 'count', aggregate: "sum(v.verification = 'warning')" },
        { key: 'exceptions', label: 'Geofence exceptions', unit: 'count', aggregate: "sum(v.verification = 'exception' AND v.status <> 'missed')" },
        { key: 'missed', label: 'Missed', unit: 'count', aggregate: "sum(v.status = 'missed')" },
        {
          key: 'hoursOnSite',
          label: 'Hours on site',
          unit: 'hours',
          aggregate: 'sum(CASE WHEN v.check_out_at IS NOT NULL THEN (julianday(v.check_out_at) - julianday(v.check_in_at)) * 24 ELSE 0 END)',
        },
        { key: 'verifiedRate', label: 'Verified rate', unit: 'percent', ratio: { numerator: 'verified', denominator: 'completed', scale: 100 } },
      ],
      defaultMeasure: 'visits',
      records: {
        columns: [
          { key: 'day', header: 'Day', sql: 'v.local_date', kind: 'date', width: 12 },
          { key: 'customer', header: 'Customer', sql: 'cu.name', kind: 'text', width: 24 },
          { key: 'service', header: 'Service', sql: 'sv.name', kind: 'text', width: 22 },
          { key: 'technician', header: 'Technician', sql: 't.name', kind: 'text', width: 18 },
          { key: 'checkIn', header: 'Check-in', sql: 'v.check_in_at', kind: 'datetime' },
          { key: 'checkOut', header: 'Check-out', sql: 'v.check_out_at', kind: 'datetime' },
          { key: 'distance', header: 'Check-in distance (m)', sql: 'v.check_in_distance_m', kind: 'decimal' },
          { key: 'verification', header: 'Verification', sql: VERIFICATION_LABEL, kind: 'text' },
          { key: 'status', header: 'Status', sql: 'v.status', kind: 'text' },
        ],
        link: link(VISITS),
      },
    },
  ],
  kpis: [
    {
      key: 'homeServices.visits.verified',
      label: 'Visits verified',
      description: 'Completed visits checked in and out within the geofence.',
      report: 'homeServices.visits.visits',
      measure: 'verified',
      goodDirection: 'up',
    },
    {
      key: 'homeServices.visits.missed',
      label: 'Missed visits',
      description: 'Scheduled visits without a check-in by the end of their window and grace.',
      report: 'homeServices.visits.visits',
      measure: 'missed',
      goodDirection: 'down',
    },
  ],
  exceptions: [
    {
      kind: 'missed',
      label: 'Missed visits (last 30 days)',
      severity: 'critical',
      link: `${VISITS}?status=missed`,
      open(db, limit, clock) {
        const where = "v.status = 'missed' AND v.local_date >= date(?, '-29 days')";
        const summary = sqlGet<{ total: number; oldest: string | null }>(db, `SELECT count(*) AS total, min(v.missed_at) AS oldest FROM hs_visits v WHERE ${where}`, clock.today)!;
        const items = sqlAll<{ id: string; missed_at: string | null; created_at: string; customer: string; technician: string | null }>(
          db,
          `SELECT v.id, v.missed_at, v.created_at, cu.name AS customer, t.name AS technician FROM hs_visits v
             JOIN hs_customers cu ON cu.id = v.customer_id LEFT JOIN hs_technicians t ON t.id = v.technician_id
           WHERE ${where} ORDER BY v.missed_at LIMIT ?`,
          clock.today,
          limit,
        );
        return {
          total: summary.total,
          oldestAt: summary.oldest,
          items: items.map((v) => ({
            id: v.id,
            title: `Visit to ${v.customer} missed${v.technician ? ` (${v.technician})` : ''}`,
            detail: 'Reschedule it or record the reason',
            since: v.missed_at ?? v.created_at,
            link: link(VISITS)(v.id),
          })),
        };
      },
      occurrences: { from: 'hs_visits v', where: "v.status = 'missed' AND v.missed_at IS NOT NULL", at: 'v.missed_at', category: "'MISSED_VISIT'", branch: 'v.branch_id' },
    },
    {
      kind: 'geofence',
      label: 'Visits checked in away from the address (last 30 days)',
      severity: 'warning',
      link: `${VISITS}?verification=exception`,
      open(db, limit, clock) {
        const where = "v.verification = 'exception' AND v.status <> 'missed' AND v.local_date >= date(?, '-29 days')";
        const summary = sqlGet<{ total: number; oldest: string | null }>(db, `SELECT count(*) AS total, min(v.check_in_at) AS oldest FROM hs_visits v WHERE ${where}`, clock.today)!;
        const items = sqlAll<{ id: string; check_in_at: string; customer: string; distance: number | null }>(
          db,
          `SELECT v.id, v.check_in_at, cu.name AS customer, v.check_in_distance_m AS distance FROM hs_visits v JOIN hs_customers cu ON cu.id = v.customer_id
           WHERE ${where} ORDER BY v.check_in_at LIMIT ?`,
          clock.today,
          limit,
        );
        return {
          total: summary.total,
          oldestAt: summary.oldest,
          items: items.map((v) => ({
            id: v.id,
            title: `Visit to ${v.customer}: checked in ${v.distance === null ? 'away' : `${Math.round(v.distance)} m`} from the address`,
            since: v.check_in_at,
            link: link(VISITS)(v.id),
          })),
        };
      },
      occurrences: {
        from: 'hs_visits v',
        where: "v.verification IN ('warning', 'exception') AND v.check_in_at IS NOT NULL",
        at: 'v.check_in_at',
        category: "CASE v.verification WHEN 'warning' THEN 'GEOFENCE_WARNING' ELSE 'GEOFENCE_EXCEPTION' END",
        branch: 'v.branch_id',
      },
    },
  ],
  inProgress(db, who) {
    return sqlAll<{ id: string; check_in_at: string; customer: string }>(
      db,
      `SELECT v.id, v.check_in_at, cu.name AS customer FROM hs_visits v JOIN hs_technicians t ON t.id = v.technician_id
         JOIN hs_customers cu ON cu.id = v.customer_id
       WHERE t.user_id = ? AND v.status = 'in_progress' ORDER BY v.check_in_at LIMIT 5`,
      who.userId,
    ).map((v) => ({
      id: v.id,
      title: `Visit to ${v.customer}: checked in, not out`,
      since: v.check_in_at,
      link: link(VISITS)(v.id),
      actionLabel: 'Check out',
    }));
  },
  entityLinks: { hsVisit: link(VISITS) },
});
