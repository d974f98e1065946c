import { sqlAll, sqlGet } from '../../core/db/store';
import { defineFunctionReporting } from '../definitions';

/**
 * Service installation tracking in the report engine. Two views of the same orders: by the day a
 * request was received (intake, and how that intake fared), and by the day it was commissioned
 * (throughput, deadlines met or breached, time to connect). Deadline breaches and orders close to
 * their deadline are the dashboard's exceptions.
 */
const BASE = '/energy/installations';
const LIST = `${BASE}/orders`;
const orderLink = (id: string) => `${BASE}/${encodeURIComponent(id)}`;

const OPEN = "o.stage IN ('requested','surveyed','approved','scheduled','installed')";
/**
 * Open and past the deadline (frozen at the hold while on hold), as of `now`: an SQL expression
 * giving the call's clock (exception sources) or, where the engine composes SQL without
 * parameters (measures, heatmap occurrences), SQLite's own UTC now in the form the rows store.
 */
const breachedOpen = (now: string) =>
  `(o.sla_met IS NULL AND ${OPEN} AND ((o.on_hold = 0 AND o.sla_due_at < ${now}) OR (o.on_hold = 1 AND o.hold_started_at > o.sla_due_at)))`;
const atRisk = (now: string) =>
  `(${OPEN} AND o.on_hold = 0 AND o.sla_due_at >= ${now} AND (julianday(o.sla_due_at) - julianday(${now})) * 24 < o.sla_hours * 0.25)`;
const SQLITE_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

const TYPE_LABEL =
  "CASE o.type WHEN 'new_connection' THEN 'New connection' WHEN 'upgrade' THEN 'Upgrade' WHEN 'relocation' THEN 'Relocation' WHEN 'disconnection' THEN 'Disconnection' ELSE 'Reconnection' END";
const PRIORITY_LABEL = "CASE o.priority WHEN 'urgent' THEN 'Urgent' WHEN 'high' THEN 'High' WHEN 'normal' THEN 'Normal' ELSE 'Low' END";
const STAGE_LABEL = "upper(substr(o.stage, 1, 1)) || substr(o.stage, 2)";
/** Working hours from receipt to commissioning (time on hold left out). */
const HOURS_TO_COMMISSION = '((julianday(o.commissioned_at) - julianday(o.received_at)) * 24 - o.paused_ms / 3600000.0)';

const JOINS = [
  { alias: 't', sql: 'LEFT JOIN users t ON t.id = o.installed_by' },
  { alias: 'a', sql: 'LEFT JOIN accounts a ON a.id = o.account_id' },
  { alias: 'ro', sql: 'LEFT JOIN routes ro ON ro.id = o.route_id' },
];

const dimensions = [
  { key: 'category', label: 'Order type', value: 'o.type', display: TYPE_LABEL },
  { key: 'user', label: 'Installed by', value: "coalesce(o.installed_by, '')", display: "coalesce(t.display_name, 'Not installed yet')" },
  { key: 'priority', label: 'Priority', value: 'o.priority', display: PRIORITY_LABEL },
  { key: 'stage', label: 'Current stage', value: 'o.stage', display: STAGE_LABEL },
  { key: 'route', label: 'Route', value: "coalesce(o.route_id, '')", display: "coalesce(ro.code || ' ' || ro.name, 'No route')" },
];

const recordColumns = [
  { key: 'orderNo', header: 'Order', sql: 'o.order_no', kind: 'text' as const, width: 12 },
  { key: 'type', header: 'Type', sql: TYPE_LABEL, kind: 'text' as const, width: 16 },
  { key: 'priority', header: 'Priority', sql: PRIORITY_LABEL, kind: 'text' as const },
  { key: 'stage', header: 'Stage', sql: STAGE_LABEL, kind: 'text' as const, width: 14 },
  { key: 'customer', header: 'Customer', sql: 'o.customer_name', kind: 'text' as const, width: 26 },
  { key: 'address', header: 'Address', sql: 'o.address', kind: 'text' as const, width: 30 },
  { key: 'account', header: 'Account', sql: 'a.account_no', kind: 'text' as const, width: 14 },
  { key: 'receivedAt', header: 'Received', sql: 'o.received_at', kind: 'datetime' as const, width: 17 },
  { key: 'dueAt', header: 'Deadline', sql: 'o.sla_due_at', kind: 'datetime' as const, width: 17 },
  { key: 'commissionedAt', header: 'Commissioned', sql: 'o.commissioned_at', kind: 'datetime' as const, width: 17 },
  { key: 'slaMet', header: 'Deadline met', sql: "CASE o.sla_met WHEN 1 THEN 'yes' WHEN 0 THEN 'no' END", kind: 'text' as const },
  { key: 'meter', header: 'Meter', sql: 'o.meter_serial', kind: 'text' as const, width: 14 },
];

export const installationsReporting = defineFunctionReporting({
  functionKey: 'energy.installations',
  reports: [
    {
      key: 'energy.installations.intake',
      label: 'Service requests received',
      description: 'Service orders by the day they were received: how many, of which type, and how they fared against their deadline.',
      recordLabel: 'service order',
      from: 'service_orders o',
      joins: JOINS,
      time: { column: 'o.received_at', kind: 'instant', label: 'Received' },
      id: 'o.id',
      branch: 'o.branch_id',
      dimensions,
      measures: [
        { key: 'opened', label: 'Orders received', unit: 'count', aggregate: 'count(*)' },
        { key: 'commissioned', label: 'Commissioned since', unit: 'count', aggregate: 'sum(o.commissioned_at IS NOT NULL)' },
        { key: 'cancelled', label: 'Cancelled', unit: 'count', aggregate: "sum(o.stage = 'cancelled')" },
        { key: 'open', label: 'Still open', unit: 'count', aggregate: `sum(${OPEN})` },
        { key: 'breached', label: 'Deadline breached', unit: 'count', aggregate: `sum(o.sla_met = 0 OR ${breachedOpen(SQLITE_NOW)})` },
      ],
      defaultMeasure: 'opened',
      records: { columns: recordColumns, link: orderLink },
      listLink: ({ from, to, filters }) => {
        const params = new URLSearchParams({ from, to });
        if (filters.category) params.set('type', filters.category);
        if (filters.priority) params.set('priority', filters.priority);
        if (filters.stage) params.set('stage', filters.stage);
        return `${LIST}?${params.toString()}`;
      },
    },
    {
      key: 'energy.installations.commissioned',
      label: 'Services commissioned',
      description: 'Service orders by the day they were commissioned: deadlines met and breached, and working hours from request to supply.',
      recordLabel: 'service order',
      from: 'service_orders o',
      joins: JOINS,
      where: 'o.commissioned_at IS NOT NULL',
      time: { column: 'o.commissioned_at', kind: 'instant', label: 'Commissioned' },
      id: 'o.id',
      branch: 'o.branch_id',
      dimensions,
      measures: [
        { key: 'commissioned', label: 'Commissioned', unit: 'count', aggregate: 'count(*)' },
        { key: 'slaMet', label: 'Deadline met', unit: 'count', aggregate: 'sum(o.sla_met = 1)' },
        { key: 'slaBreached', label: 'Deadline breached', unit: 'count', aggregate: 'sum(o.sla_met = 0)' },
        { key: 'hoursToCommission', label: 'Hours to commission (total)', unit: 'hours', aggregate: `sum(${HOURS_TO_COMMISSION})` },
        {
          key: 'slaMetRate',
          label: 'Deadline met rate',
          unit: 'percent',
          ratio: { numerator: 'slaMet', denominator: 'commissioned', scale: 100 },
          description: 'Orders commissioned within their deadline per 100 commissioned.',
        },
        {
          key: 'avgHoursToCommission',
          label: 'Average hours to commission',
          unit: 'hours',
          ratio: { numerator: 'hoursToCommission', denominator: 'commissioned' },
          description: 'Working hours from receipt to commissioning, time on hold left out.',
        },
      ],
      defaultMeasure: 'commissioned',
      records: { columns: recordColumns, link: orderLink },
    },
  ],
  kpis: [
    {
      key: 'energy.installations.received',
      label: 'Service requests received',
      description: 'New connections, upgrades, relocations, disconnections and reconnections requested.',
      report: 'energy.installations.intake',
      measure: 'opened',
      goodDirection: 'up',
    },
    {
      key: 'energy.installations.commissioned',
      label: 'Services commissioned',
      description: 'Orders that reached commissioning: accounts and meters live for billing.',
      report: 'energy.installations.commissioned',
      measure: 'commissioned',
      goodDirection: 'up',
    },
    {
      key: 'energy.installations.slaMetRate',
      label: 'Installation deadlines met',
      description: 'Share of commissioned orders that made their service-level deadline.',
      report: 'energy.installations.commissioned',
      measure: 'slaMetRate',
      goodDirection: 'up',
    },
  ],
  exceptions: [
    {
      kind: 'slaBreach',
      label: 'Service orders past their deadline',
      severity: 'critical',
      link: `${LIST}?sla=breached`,
      open(db, limit, clock) {
        const where = breachedOpen('@now');
        const summary = sqlGet<{ total: number; oldest: string | null }>(
          db,
          `SELECT count(*) AS total, min(o.sla_due_at) AS oldest FROM service_orders o WHERE ${where}`,
          { now: clock.nowIso },
        )!;
        const items = sqlAll<{ id: string; order_no: string; customer_name: string; stage: string; sla_due_at: string; on_hold: number }>(
          db,
          `SELECT o.id, o.order_no, o.customer_name, o.stage, o.sla_due_at, o.on_hold FROM service_orders o WHERE ${where}
           ORDER BY o.sla_due_at, o.id LIMIT @limit`,
          { now: clock.nowIso, limit },
        );
        return {
          total: summary.total,
          oldestAt: summary.oldest,
          items: items.map((o) => ({
            id: o.id,
            title: `${o.order_no} ${o.customer_name}: ${o.stage}${o.on_hold ? ' (on hold)' : ''}`,
            detail: 'Past its service-level deadline',
            since: o.sla_due_at,
            link: orderLink(o.id),
          })),
        };
      },
      occurrences: {
        from: 'service_orders o',
        where: `o.sla_met = 0 OR ${breachedOpen(SQLITE_NOW)}`,
        at: 'o.sla_due_at',
        category: 'o.type',
        branch: 'o.branch_id',
      },
    },
    {
      kind: 'slaAtRisk',
      label: 'Service orders close to their deadline',
      severity: 'warning',
      link: `${LIST}?sla=at_risk`,
      open(db, limit, clock) {
        const where = atRisk('@now');
        const summary = sqlGet<{ total: number; oldest: string | null }>(
          db,
          `SELECT count(*) AS total, min(o.stage_entered_at) AS oldest FROM service_orders o WHERE ${where}`,
          { now: clock.nowIso },
        )!;
        const items = sqlAll<{ id: string; order_no: string; customer_name: string; stage: string; sla_due_at: string; stage_entered_at: string }>(
          db,
          `SELECT o.id, o.order_no, o.customer_name, o.stage, o.sla_due_at, o.stage_entered_at FROM service_orders o WHERE ${where}
           ORDER BY o.sla_due_at, o.id LIMIT @limit`,
          { now: clock.nowIso, limit },
        );
        return {
          total: summary.total,
          oldestAt: summary.oldest,
          items: items.map((o) => ({
            id: o.id,
            title: `${o.order_no} ${o.customer_name}: ${o.stage}`,
            detail: `Deadline ${o.sla_due_at}`,
            since: o.stage_entered_at,
            link: orderLink(o.id),
          })),
        };
      },
      occurrences: {
        from: 'service_orders o',
        where: atRisk(SQLITE_NOW),
        at: 'o.stage_entered_at',
        category: 'o.type',
        branch: 'o.branch_id',
      },
    },
  ],
  inProgress(db, who) {
    // Orders this user moved last and that wait for the next step, soonest deadline first.
    const rows = sqlAll<{ id: string; order_no: string; customer_name: string; stage: string; stage_entered_at: string }>(
      db,
      `SELECT o.id, o.order_no, o.customer_name, o.stage, o.stage_entered_at FROM service_orders o
       WHERE ${OPEN} AND o.on_hold = 0 AND (SELECT e.actor_id FROM service_order_events e WHERE e.order_id = o.id ORDER BY e.at DESC, e.id DESC LIMIT 1) = ?
       ORDER BY o.sla_due_at LIMIT 5`,
      who.userId,
    );
    return rows.map((o) => ({
      id: o.id,
      title: `${o.order_no} ${o.customer_name}`,
      detail: `Waiting at ${o.stage}`,
      since: o.stage_entered_at,
      link: orderLink(o.id),
      actionLabel: 'Continue the order',
    }));
  },
  entityLinks: {
    serviceOrder: orderLink,
  },
});
