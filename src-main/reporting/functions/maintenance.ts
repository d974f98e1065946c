import { sqlAll, sqlGet } from '../../core/db/store';
import { defineFunctionReporting } from '../definitions';

/**
 * Equipment maintenance in the report engine: work orders by the day they were raised (volume,
 * type, labour and cost) and downtime by the day each stop began (hours, failures, MTTR).
 * Overdue preventive work, assets down and parts at their minimum are the dashboard's exceptions.
 */
const BASE = '/energy/maintenance';
const workOrderLink = (id: string) => `${BASE}/work-orders/${encodeURIComponent(id)}`;
const assetLink = (id: string) => `${BASE}/assets/${encodeURIComponent(id)}`;
const partLink = (id: string) => `${BASE}/parts/${encodeURIComponent(id)}`;

/**
 * Measures and heatmap occurrences are SQL the engine composes without parameters, so they read
 * SQLite's own now (in the forms the rows store); exception sources use the call's clock.
 */
const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
const TODAY = "date('now')";
const UNFINISHED = "w.status IN ('open','in_progress','on_hold')";

const CLASS_LABEL =
  "CASE a.asset_class WHEN 'transformer' THEN 'Transformer' WHEN 'pump' THEN 'Pump' WHEN 'vehicle' THEN 'Vehicle' WHEN 'tool' THEN 'Tool' ELSE 'Meters in stock' END";
const SITE_LABEL = "s.code || ' ' || s.name";
const STOP_HOURS = `((julianday(coalesce(d.ended_at, ${NOW})) - julianday(d.started_at)) * 24)`;

export const maintenanceReporting = defineFunctionReporting({
  functionKey: 'energy.maintenance',
  reports: [
    {
      key: 'energy.maintenance.workOrders',
      label: 'Work orders',
      description: 'Work orders by the day they were raised: corrective and preventive, closed since, labour hours and cost.',
      recordLabel: 'work order',
      from: 'work_orders w',
      joins: [
        { alias: 'a', sql: 'LEFT JOIN assets a ON a.id = w.asset_id' },
        { alias: 's', sql: 'LEFT JOIN maintenance_sites s ON s.id = a.site_id' },
        { alias: 'u', sql: 'LEFT JOIN users u ON u.id = w.assigned_to' },
      ],
      time: { column: 'w.created_at', kind: 'instant', label: 'Raised' },
      id: 'w.id',
      branch: 'w.branch_id',
      dimensions: [
        { key: 'user', label: 'Assigned to', value: "coalesce(w.assigned_to, '')", display: "coalesce(u.display_name, 'Unassigned')" },
        { key: 'category', label: 'Asset class', value: 'a.asset_class', display: CLASS_LABEL },
        { key: 'type', label: 'Work type', value: 'w.type', display: "CASE w.type WHEN 'corrective' THEN 'Corrective' ELSE 'Preventive' END" },
        { key: 'site', label: 'Site', value: 'a.site_id', display: SITE_LABEL },
        { key: 'status', label: 'Status', value: 'w.status', display: "upper(substr(replace(w.status, '_', ' '), 1, 1)) || substr(replace(w.status, '_', ' '), 2)" },
        { key: 'asset', label: 'Asset', value: 'w.asset_id', display: "a.code || ' ' || a.name" },
      ],
      measures: [
        { key: 'opened', label: 'Raised', unit: 'count', aggregate: 'count(*)' },
        { key: 'corrective', label: 'Corrective', unit: 'count', aggregate: "sum(w.type = 'corrective')" },
        { key: 'preventive', label: 'Preventive', unit: 'count', aggregate: "sum(w.type = 'preventive')" },
        { key: 'closed', label: 'Closed since', unit: 'count', aggregate: 'sum(w.closed_at IS NOT NULL)' },
        { key: 'overdue', label: 'Overdue now', unit: 'count', aggregate: `sum(${UNFINISHED} AND w.due_on < ${TODAY})` },
        { key: 'labourHours', label: 'Labour hours', unit: 'hours', aggregate: 'sum(w.labour_hours)' },
        { key: 'partsCost', label: 'Parts used', unit: 'money', aggregate: 'sum(w.parts_cost)' },
        { key: 'totalCost', label: 'Total cost', unit: 'money', aggregate: 'sum(w.labour_cost + w.parts_cost)' },
        {
          key: 'preventiveShare',
          label: 'Preventive share',
          unit: 'percent',
          ratio: { numerator: 'preventive', denominator: 'opened', scale: 100 },
          description: 'Preventive work orders per 100 raised.',
        },
      ],
      defaultMeasure: 'opened',
      records: {
        columns: [
          { key: 'woNo', header: 'Work order', sql: 'w.wo_no', kind: 'text', width: 12 },
          { key: 'type', header: 'Type', sql: 'w.type', kind: 'text' },
          { key: 'status', header: 'Status', sql: 'w.status', kind: 'text' },
          { key: 'title', header: 'Title', sql: 'w.title', kind: 'text', width: 34 },
          { key: 'asset', header: 'Asset', sql: 'a.code', kind: 'text', width: 14 },
          { key: 'site', header: 'Site', sql: 's.code', kind: 'text' },
          { key: 'dueOn', header: 'Due', sql: 'w.due_on', kind: 'date', width: 12 },
          { key: 'assignedTo', header: 'Assigned to', sql: 'u.display_name', kind: 'text', width: 18 },
          { key: 'labourHours', header: 'Labour hours', sql: 'w.labour_hours', kind: 'decimal' },
          { key: 'totalCost', header: 'Total cost', sql: 'w.labour_cost + w.parts_cost', kind: 'money', width: 14 },
          { key: 'createdAt', header: 'Raised', sql: 'w.created_at', kind: 'datetime', width: 17 },
          { key: 'closedAt', header: 'Closed', sql: 'w.closed_at', kind: 'datetime', width: 17 },
        ],
        link: workOrderLink,
      },
      listLink: ({ filters }) => {
        const params = new URLSearchParams();
        if (filters.user) params.set('assignedTo', filters.user);
        if (filters.category) params.set('assetClass', filters.category);
        if (filters.type) params.set('type', filters.type);
        if (filters.site) params.set('siteId', filters.site);
        if (filters.status) params.set('status', filters.status);
        if (filters.asset) params.set('assetId', filters.asset);
        const query = params.toString();
        return query ? `${BASE}/work-orders?${query}` : `${BASE}/work-orders`;
      },
    },
    {
      key: 'energy.maintenance.downtime',
      label: 'Downtime',
      description: 'Asset stops by the day they began: hours down, failures, and mean time to repair.',
      recordLabel: 'stop',
      from: 'asset_downtime d',
      joins: [
        { alias: 'a', sql: 'LEFT JOIN assets a ON a.id = d.asset_id' },
        { alias: 's', sql: 'LEFT JOIN maintenance_sites s ON s.id = a.site_id' },
        { alias: 'u', sql: 'LEFT JOIN users u ON u.id = d.recorded_by' },
      ],
      time: { column: 'd.started_at', kind: 'instant', label: 'Stopped' },
      id: 'd.id',
      branch: 'd.branch_id',
      dimensions: [
        { key: 'user', label: 'Logged by', value: 'd.recorded_by', display: 'u.display_name' },
        { key: 'category', label: 'Asset class', value: 'a.asset_class', display: CLASS_LABEL },
        { key: 'reason', label: 'Reason', value: 'd.reason', display: "upper(substr(replace(d.reason, '_', ' '), 1, 1)) || substr(replace(d.reason, '_', ' '), 2)" },
        { key: 'site', label: 'Site', value: 'a.site_id', display: SITE_LABEL },
        { key: 'asset', label: 'Asset', value: 'd.asset_id', display: "a.code || ' ' || a.name" },
      ],
      measures: [
        { key: 'stops', label: 'Stops', unit: 'count', aggregate: 'count(*)' },
        { key: 'failures', label: 'Failures', unit: 'count', aggregate: 'sum(d.failure)' },
        { key: 'downtimeHours', label: 'Downtime hours', unit: 'hours', aggregate: `sum(${STOP_HOURS})` },
        { key: 'repairs', label: 'Repairs finished', unit: 'count', aggregate: 'sum(d.failure = 1 AND d.ended_at IS NOT NULL)' },
        {
          key: 'repairHours',
          label: 'Repair hours',
          unit: 'hours',
          aggregate: 'sum(CASE WHEN d.failure = 1 AND d.ended_at IS NOT NULL THEN (julianday(d.ended_at) - julianday(d.started_at)) * 24 END)',
        },
        {
          key: 'mttr',
          label: 'MTTR',
          unit: 'hours',
          ratio: { numerator: 'repairHours', denominator: 'repairs' },
          description: 'Mean time to repair: total repair time over finished repairs (DOMAIN.md).',
        },
      ],
      defaultMeasure: 'downtimeHours',
      records: {
        columns: [
          { key: 'asset', header: 'Asset', sql: 'a.code', kind: 'text', width: 14 },
          { key: 'assetName', header: 'Asset name', sql: 'a.name', kind: 'text', width: 26 },
          { key: 'reason', header: 'Reason', sql: 'd.reason', kind: 'text', width: 18 },
          { key: 'failure', header: 'Failure', sql: "CASE d.failure WHEN 1 THEN 'yes' ELSE '' END", kind: 'text' },
          { key: 'startedAt', header: 'Stopped', sql: 'd.started_at', kind: 'datetime', width: 17 },
          { key: 'endedAt', header: 'Back', sql: 'd.ended_at', kind: 'datetime', width: 17 },
          { key: 'hours', header: 'Hours', sql: STOP_HOURS, kind: 'decimal' },
          { key: 'notes', header: 'Notes', sql: 'd.notes', kind: 'text', width: 30 },
        ],
        // A stop has no page of its own: it is read in its asset's downtime log.
        link: () => null,
      },
    },
  ],
  kpis: [
    {
      key: 'energy.maintenance.workOrders',
      label: 'Work orders raised',
      description: 'Corrective and preventive work orders raised.',
      report: 'energy.maintenance.workOrders',
      measure: 'opened',
      goodDirection: 'down',
    },
    {
      key: 'energy.maintenance.downtimeHours',
      label: 'Equipment downtime',
      description: 'Hours assets were down, whatever the reason.',
      report: 'energy.maintenance.downtime',
      measure: 'downtimeHours',
      goodDirection: 'down',
    },
    {
      key: 'energy.maintenance.mttr',
      label: 'Mean time to repair',
      description: 'Hours from failure to back in operation, per repair.',
      report: 'energy.maintenance.downtime',
      measure: 'mttr',
      goodDirection: 'down',
    },
  ],
  exceptions: [
    {
      kind: 'overduePm',
      label: 'Preventive work overdue',
      severity: 'warning',
      criticalAfterHours: 24 * 7,
      link: `${BASE}/work-orders?overdue=true&type=preventive`,
      open(db, limit, clock) {
        const where = `w.type = 'preventive' AND ${UNFINISHED} AND w.due_on < @today`;
        const summary = sqlGet<{ total: number; oldest: string | null }>(db, `SELECT count(*) AS total, min(w.due_on) AS oldest FROM work_orders w WHERE ${where}`, {
          today: clock.today,
        })!;
        const items = sqlAll<{ id: string; wo_no: string; title: string; code: string; due_on: string }>(
          db,
          `SELECT w.id, w.wo_no, w.title, a.code, w.due_on FROM work_orders w JOIN assets a ON a.id = w.asset_id WHERE ${where} ORDER BY w.due_on, w.id LIMIT @limit`,
          { today: clock.today, limit },
        );
        return {
          total: summary.total,
          oldestAt: summary.oldest ? `${summary.oldest}T00:00:00.000Z` : null,
          items: items.map((w) => ({ id: w.id, title: `${w.wo_no} ${w.title} (${w.code})`, detail: `Due ${w.due_on}`, since: `${w.due_on}T00:00:00.000Z`, link: workOrderLink(w.id) })),
        };
      },
      occurrences: {
        from: 'work_orders w JOIN assets a ON a.id = w.asset_id',
        where: `w.type = 'preventive' AND w.due_on IS NOT NULL AND ((${UNFINISHED} AND w.due_on < ${TODAY}) OR substr(w.completed_at, 1, 10) > w.due_on)`,
        at: 'w.due_on',
        atKind: 'date',
        category: 'a.asset_class',
        branch: 'w.branch_id',
      },
    },
    {
      kind: 'assetDown',
      label: 'Assets down',
      severity: 'warning',
      criticalAfterHours: 24,
      link: `${BASE}/assets?status=down`,
      open(db, limit) {
        // Open stops and parts below minimum are states, not deadlines: no clock needed.
        const summary = sqlGet<{ total: number; oldest: string | null }>(db, 'SELECT count(*) AS total, min(started_at) AS oldest FROM asset_downtime WHERE ended_at IS NULL')!;
        const items = sqlAll<{ asset_id: string; code: string; name: string; reason: string; started_at: string }>(
          db,
          `SELECT d.asset_id, a.code, a.name, d.reason, d.started_at FROM asset_downtime d JOIN assets a ON a.id = d.asset_id
           WHERE d.ended_at IS NULL ORDER BY d.started_at LIMIT ?`,
          limit,
        );
        return {
          total: summary.total,
          oldestAt: summary.oldest,
          items: items.map((d) => ({ id: d.asset_id, title: `${d.code} ${d.name}`, detail: d.reason.replace(/_/g, ' '), since: d.started_at, link: assetLink(d.asset_id) })),
        };
      },
      occurrences: {
        from: 'asset_downtime d JOIN assets a ON a.id = d.asset_id',
        where: 'd.failure = 1',
        at: 'd.started_at',
        category: 'a.asset_class',
        branch: 'd.branch_id',
      },
    },
    {
      kind: 'lowStock',
      label: 'Parts at or below minimum',
      severity: 'info',
      link: `${BASE}/parts?low=true`,
      open(db, limit) {
        const where = 'min_quantity > 0 AND on_hand <= min_quantity';
        const total = sqlGet<{ n: number }>(db, `SELECT count(*) AS n FROM parts WHERE ${where}`)!.n;
        const items = sqlAll<{ id: string; code: string; name: string; on_hand: number; min_quantity: number; unit: string; updated_at: string }>(
          db,
          `SELECT id, code, name, on_hand, min_quantity, unit, updated_at FROM parts WHERE ${where} ORDER BY on_hand - min_quantity, code LIMIT ?`,
          limit,
        );
        return {
          total,
          oldestAt: items.reduce<string | null>((a, p) => (a === null || p.updated_at < a ? p.updated_at : a), null),
          items: items.map((p) => ({ id: p.id, title: `${p.code} ${p.name}`, detail: `${p.on_hand} ${p.unit} left, minimum ${p.min_quantity}`, since: p.updated_at, link: partLink(p.id) })),
        };
      },
      occurrences: {
        from: 'part_movements m JOIN parts p ON p.id = m.part_id',
        where: "m.kind = 'issue' AND p.min_quantity > 0 AND m.balance_after <= p.min_quantity",
        at: 'm.at',
        category: 'p.code',
        branch: 'm.branch_id',
      },
    },
  ],
  inProgress(db, who) {
    const rows = sqlAll<{ id: string; wo_no: string; title: string; code: string; status: string; updated_at: string }>(
      db,
      `SELECT w.id, w.wo_no, w.title, a.code, w.status, w.updated_at FROM work_orders w JOIN assets a ON a.id = w.asset_id
       WHERE w.assigned_to = ? AND w.status IN ('in_progress','on_hold') ORDER BY w.due_on, w.id LIMIT 5`,
      who.userId,
    );
    return rows.map((w) => ({
      id: w.id,
      title: `${w.wo_no} ${w.title} (${w.code})`,
      detail: w.status === 'on_hold' ? 'On hold' : 'In progress',
      since: w.updated_at,
      link: workOrderLink(w.id),
      actionLabel: 'Continue the work',
    }));
  },
  entityLinks: {
    workOrder: workOrderLink,
    asset: assetLink,
    part: partLink,
    maintenanceSite: (id) => `${BASE}/assets?siteId=${encodeURIComponent(id)}`,
  },
});
