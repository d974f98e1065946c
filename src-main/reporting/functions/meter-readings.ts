import { sqlAll, sqlGet } from '../../core/db/store';
import { defineFunctionReporting } from '../definitions';

/**
 * Meter reading logging in the report engine: the reference registration every other function
 * copies (see docs/reporting.md). What counts is what the function's own report counts: regular
 * and removal reads whatever their review state, except reads sent back for re-reading and
 * install reads.
 */
const LIST = '/energy/meter-readings';
const readingLink = (id: string) => `${LIST}/${encodeURIComponent(id)}`;

/** A reader's walk of one route on one day is their shift: `route|date|reader`. */
const WALK_KEY = "coalesce(r.route_id, '') || '|' || r.read_date || '|' || r.reader_id";

/** Most readings pass VEE: only those that did not are worth opening their JSON for. */
const EXCEPTION_CODES_SQL =
  "CASE WHEN r.exceptions_json <> '[]' THEN (SELECT group_concat(json_extract(je.value, '$.code'), ', ') FROM json_each(r.exceptions_json) je) END";

export const meterReadingsReporting = defineFunctionReporting({
  functionKey: 'energy.meterReadings',
  reports: [
    {
      key: 'energy.meterReadings.readings',
      label: 'Meter readings',
      description: 'Readings logged per day, week or month: actual, estimated, skipped, exceptions raised and consumption.',
      recordLabel: 'reading',
      from: 'meter_readings r',
      joins: [
        { alias: 'a', sql: 'LEFT JOIN accounts a ON a.id = r.account_id' },
        { alias: 'ro', sql: 'LEFT JOIN routes ro ON ro.id = r.route_id' },
        { alias: 'u', sql: 'LEFT JOIN users u ON u.id = r.reader_id' },
        { alias: 'm', sql: 'LEFT JOIN meters m ON m.id = r.meter_id' },
      ],
      where: "r.status <> 'reread' AND r.purpose <> 'install'",
      time: { column: 'r.read_date', kind: 'date', label: 'Read date' },
      id: 'r.id',
      branch: 'r.branch_id',
      dimensions: [
        { key: 'user', label: 'Reader', value: 'r.reader_id', display: 'u.display_name' },
        { key: 'shift', label: 'Walk (route · day · reader)', value: WALK_KEY, display: "coalesce(ro.code, 'No route') || ' · ' || r.read_date || ' · ' || u.display_name" },
        { key: 'category', label: 'Customer category', value: 'a.category', display: 'a.category' },
        { key: 'route', label: 'Route', value: "coalesce(r.route_id, '')", display: "coalesce(ro.code || ' ' || ro.name, 'No route')" },
        {
          key: 'readType',
          label: 'Read type',
          value: 'r.read_type',
          display: "CASE r.read_type WHEN 'actual' THEN 'Actual' WHEN 'customer' THEN 'Customer' ELSE 'Estimated' END",
        },
        { key: 'status', label: 'Review state', value: 'r.status', display: "CASE r.status WHEN 'exception' THEN 'Awaiting review' ELSE 'Posted' END" },
      ],
      measures: [
        { key: 'readings', label: 'Readings', unit: 'count', aggregate: 'count(*)' },
        { key: 'actual', label: 'Actual', unit: 'count', aggregate: "sum(r.read_type <> 'estimated')" },
        { key: 'estimated', label: 'Estimated', unit: 'count', aggregate: "sum(r.read_type = 'estimated')" },
        { key: 'skipped', label: 'Skipped', unit: 'count', aggregate: 'sum(r.skip_code IS NOT NULL)' },
        {
          key: 'exceptions',
          label: 'Exceptions raised',
          unit: 'count',
          aggregate: "sum(r.exceptions_json <> '[]')",
          description: 'Readings VEE flagged when they were entered, whatever the review decided since.',
        },
        { key: 'awaitingReview', label: 'Awaiting review', unit: 'count', aggregate: "sum(r.status = 'exception')" },
        { key: 'consumption', label: 'Consumption', unit: 'units', aggregate: 'sum(r.consumption)' },
        {
          key: 'exceptionRate',
          label: 'Exception rate',
          unit: 'percent',
          ratio: { numerator: 'exceptions', denominator: 'readings', scale: 100 },
          description: 'Exceptions raised per 100 readings.',
        },
      ],
      defaultMeasure: 'readings',
      records: {
        columns: [
          { key: 'readDate', header: 'Read date', sql: 'r.read_date', kind: 'date', width: 12 },
          { key: 'route', header: 'Route', sql: 'ro.code', kind: 'text' },
          { key: 'accountNo', header: 'Account', sql: 'a.account_no', kind: 'text', width: 14 },
          { key: 'accountName', header: 'Account name', sql: 'a.name', kind: 'text', width: 28 },
          { key: 'category', header: 'Category', sql: 'a.category', kind: 'text', width: 14 },
          { key: 'meter', header: 'Meter', sql: 'm.serial', kind: 'text', width: 14 },
          { key: 'reader', header: 'Reader', sql: 'u.display_name', kind: 'text', width: 20 },
          { key: 'readType', header: 'Read type', sql: 'r.read_type', kind: 'text' },
          { key: 'value', header: 'Value', sql: 'r.value', kind: 'integer' },
          { key: 'consumption', header: 'Consumption', sql: 'r.consumption', kind: 'decimal', width: 14 },
          { key: 'status', header: 'Status', sql: 'r.status', kind: 'text' },
          { key: 'exceptions', header: 'Exceptions', sql: EXCEPTION_CODES_SQL, kind: 'text', width: 30 },
          { key: 'skipCode', header: 'Skip code', sql: 'r.skip_code', kind: 'text' },
          { key: 'enteredAt', header: 'Entered at', sql: 'r.created_at', kind: 'datetime', width: 17 },
        ],
        link: readingLink,
      },
      listLink: ({ from, to, filters }) => {
        const params = new URLSearchParams({ from, to });
        if (filters.user) params.set('readerId', filters.user);
        if (filters.category) params.set('category', filters.category);
        if (filters.route) params.set('routeId', filters.route);
        if (filters.readType) params.set('readType', filters.readType);
        if (filters.status) params.set('status', filters.status);
        if (filters.shift) {
          const [routeId, day, readerId] = filters.shift.split('|');
          if (routeId) params.set('routeId', routeId);
          if (day) {
            params.set('from', day);
            params.set('to', day);
          }
          if (readerId) params.set('readerId', readerId);
        }
        return `${LIST}?${params.toString()}`;
      },
    },
  ],
  kpis: [
    {
      key: 'energy.meterReadings.readings',
      label: 'Readings logged',
      description: 'Regular and removal readings entered, estimates included.',
      report: 'energy.meterReadings.readings',
      measure: 'readings',
      goodDirection: 'up',
    },
    {
      key: 'energy.meterReadings.exceptions',
      label: 'VEE exceptions raised',
      description: 'Readings that failed validation when entered.',
      report: 'energy.meterReadings.readings',
      measure: 'exceptions',
      goodDirection: 'down',
    },
    {
      key: 'energy.meterReadings.consumption',
      label: 'Consumption read',
      description: 'Units measured by the readings of the period.',
      report: 'energy.meterReadings.readings',
      measure: 'consumption',
      goodDirection: 'up',
    },
  ],
  exceptions: [
    {
      kind: 'vee',
      label: 'Meter readings awaiting review',
      severity: 'warning',
      criticalAfterHours: 72,
      link: `${LIST}/review`,
      open(db, limit) {
        const summary = sqlGet<{ total: number; oldest: string | null }>(
          db,
          "SELECT count(*) AS total, min(created_at) AS oldest FROM meter_readings WHERE status = 'exception'",
        )!;
        const items = sqlAll<{ id: string; created_at: string; read_date: string; serial: string; account_no: string; codes: string | null }>(
          db,
          `SELECT r.id, r.created_at, r.read_date, m.serial, a.account_no, ${EXCEPTION_CODES_SQL} AS codes
           FROM meter_readings r JOIN meters m ON m.id = r.meter_id JOIN accounts a ON a.id = r.account_id
           WHERE r.status = 'exception' ORDER BY r.read_date, r.id LIMIT ?`,
          limit,
        );
        return {
          total: summary.total,
          oldestAt: summary.oldest,
          items: items.map((r) => ({
            id: r.id,
            title: `Meter ${r.serial} (account ${r.account_no}): ${r.codes ?? 'exception'}`,
            detail: `Read on ${r.read_date}`,
            since: r.created_at,
            link: readingLink(r.id),
          })),
        };
      },
      occurrences: {
        from: 'meter_readings r, json_each(r.exceptions_json) je',
        where: "r.exceptions_json <> '[]'",
        at: 'r.created_at',
        category: "json_extract(je.value, '$.code')",
        branch: 'r.branch_id',
      },
    },
  ],
  inProgress(db, who) {
    // A route the user started walking in the last week and left with meters unread.
    const rows = sqlAll<{ route_id: string; code: string; name: string; read_date: string; done: number; started: string; meters: number }>(
      db,
      `SELECT w.route_id, ro.code, ro.name, w.read_date, w.done, w.started,
         (SELECT count(*) FROM accounts ac JOIN meters mt ON mt.account_id = ac.id AND mt.status = 'installed'
           WHERE ac.route_id = w.route_id) AS meters
       FROM (SELECT r.route_id, r.read_date, count(*) AS done, min(r.created_at) AS started
             FROM meter_readings r
             WHERE r.reader_id = ? AND r.read_date >= date(?, '-6 days') AND r.purpose = 'regular' AND r.status <> 'reread'
               AND r.route_id IS NOT NULL
             GROUP BY r.route_id, r.read_date) w
       JOIN routes ro ON ro.id = w.route_id
       WHERE w.done < meters
       ORDER BY w.read_date DESC, ro.code LIMIT 5`,
      who.userId,
      who.today,
    );
    return rows.map((r) => ({
      id: `${r.route_id}|${r.read_date}`,
      title: `Route ${r.code} ${r.name}: ${r.done} of ${r.meters} meters read`,
      detail: `Walk of ${r.read_date}`,
      since: r.started,
      link: `${LIST}/entry?route=${encodeURIComponent(r.route_id)}&date=${r.read_date}`,
      actionLabel: 'Continue the walk',
    }));
  },
  entityLinks: {
    meterReading: readingLink,
    route: (id) => `${LIST}?routeId=${encodeURIComponent(id)}`,
  },
});
