import { PACKAGE_REPORTS } from '../../../../src-shared/contracts/home-services/packages';
import { sqlAll, sqlGet } from '../../../core/db/store';
import { addDays } from '../time';
import { defineFunctionReporting } from '../../../reporting/definitions';

/**
 * Service package billing in the report engine (daily / weekly / monthly, drilldowns, Excel):
 * packages sold by the day of sale with what is still outstanding from them (sessions and value
 * at the package rate), redemptions by the day they happened (refusals too), and breakage by the
 * day packages expired with sessions unused. Packages expiring soon with sessions left and
 * refused redemptions are the dashboard's exceptions.
 *
 * Measures are SQL the engine composes without parameters, so "now" figures read SQLite's own
 * date (UTC): at worst a package on its very last day counts as expired for two hours.
 */
const BASE = '/home-services/packages';
const holdingLink = (id: string) => `${BASE}/holdings/${encodeURIComponent(id)}`;
const TODAY = "date('now')";
const IN_USE = `h.status = 'active' AND (h.expires_on IS NULL OR h.expires_on >= ${TODAY})`;
const PACKAGE_LABEL = "pt.code || ' ' || pt.name";
const STATUS_LABEL = "CASE h.status WHEN 'active' THEN 'Active' WHEN 'expired' THEN 'Expired' WHEN 'used_up' THEN 'Used up' WHEN 'refunded' THEN 'Refunded' ELSE 'Transferred' END";
const REASON_LABEL = "CASE r.reason WHEN 'visit' THEN 'Visit completed' WHEN 'late_cancel' THEN 'Late cancellation' ELSE 'No-show' END";
const OUTCOME_LABEL = "CASE r.outcome WHEN 'redeemed' THEN 'Redeemed' ELSE 'Refused' END";
/** Records (and their Excel sheet) read as the screens do, not as stored codes. */
const TENDER_LABEL = "coalesce(upper(substr(h.tender, 1, 1)) || substr(h.tender, 2), 'Transfer')";
const EXPIRY_WARNING_DAYS = 14;

export const packagesReporting = defineFunctionReporting({
  functionKey: 'homeServices.packages',
  reports: [
    {
      key: PACKAGE_REPORTS.sales,
      label: 'Packages sold and outstanding',
      description:
        'Packages by the day they were sold (or received by transfer): sales, sessions sold and redeemed since, and what is still outstanding now — sessions and their value at the package rate — plus refunds and breakage.',
      recordLabel: 'package',
      from: 'hs_package_holdings h',
      joins: [
        { alias: 'c', sql: 'JOIN hs_customers c ON c.id = h.customer_id' },
        { alias: 'pt', sql: 'JOIN hs_package_types pt ON pt.id = h.package_type_id' },
        { alias: 'u', sql: 'LEFT JOIN users u ON u.id = h.cashier_id' },
        { alias: 'sh', sql: 'LEFT JOIN cashier_shifts sh ON sh.id = h.shift_id' },
      ],
      time: { column: 'h.purchased_at', kind: 'instant', label: 'Sold' },
      id: 'h.id',
      branch: 'h.branch_id',
      dimensions: [
        { key: 'user', label: 'Cashier', value: "coalesce(h.cashier_id, '')", display: "coalesce(u.display_name, 'Transfer')" },
        { key: 'shift', label: 'Shift', value: "coalesce(h.shift_id, '')", display: "coalesce('#' || sh.shift_no || ' ' || u.display_name, 'Transfer')" },
        { key: 'category', label: 'Package', value: 'h.package_type_id', display: PACKAGE_LABEL },
        { key: 'tender', label: 'Tender', value: "coalesce(h.tender, 'none')", display: TENDER_LABEL },
        { key: 'status', label: 'Status', value: 'h.status', display: STATUS_LABEL },
        { key: 'customer', label: 'Customer', value: 'h.customer_id', display: "c.customer_no || ' ' || c.name" },
      ],
      measures: [
        { key: 'sold', label: 'Packages sold', unit: 'count', aggregate: "sum(h.source = 'sale')" },
        { key: 'salesValue', label: 'Sales', unit: 'money', aggregate: "sum(CASE WHEN h.source = 'sale' THEN h.price_minor ELSE 0 END)" },
        { key: 'sessionsSold', label: 'Sessions sold', unit: 'count', aggregate: "sum(CASE WHEN h.source = 'sale' THEN h.sessions_total ELSE 0 END)" },
        { key: 'sessionsRedeemed', label: 'Sessions redeemed since', unit: 'count', aggregate: 'sum(h.sessions_used)' },
        {
          key: 'outstandingSessions',
          label: 'Outstanding sessions now',
          unit: 'count',
          aggregate: `sum(CASE WHEN ${IN_USE} THEN h.sessions_total - h.sessions_used ELSE 0 END)`,
          description: 'Sessions customers can still use: the branch owes them this service.',
        },
        {
          key: 'liability',
          label: 'Outstanding liability now',
          unit: 'money',
          aggregate: `sum(CASE WHEN ${IN_USE} THEN h.price_minor - h.value_used_minor ELSE 0 END)`,
          description: 'The outstanding sessions at each package’s own rate (price ÷ sessions).',
        },
        { key: 'refunds', label: 'Refunded', unit: 'count', aggregate: "sum(h.status = 'refunded')" },
        { key: 'refundValue', label: 'Refunds paid', unit: 'money', aggregate: 'sum(coalesce(h.refund_minor, 0))' },
        { key: 'breakageSessions', label: 'Expired unused (sessions)', unit: 'count', aggregate: 'sum(coalesce(h.breakage_sessions, 0))' },
        { key: 'breakageValue', label: 'Breakage', unit: 'money', aggregate: 'sum(coalesce(h.breakage_minor, 0))' },
        {
          key: 'redemptionRate',
          label: 'Sessions redeemed',
          unit: 'percent',
          ratio: { numerator: 'sessionsRedeemed', denominator: 'sessionsSold', scale: 100 },
          description: 'Sessions redeemed per 100 sold.',
        },
      ],
      defaultMeasure: 'salesValue',
      records: {
        columns: [
          { key: 'holdingNo', header: 'Package no.', sql: 'h.holding_no', kind: 'text', width: 12 },
          { key: 'package', header: 'Package', sql: 'h.name', kind: 'text', width: 26 },
          { key: 'customerNo', header: 'Customer', sql: 'c.customer_no', kind: 'text', width: 12 },
          { key: 'customerName', header: 'Name', sql: 'c.name', kind: 'text', width: 24 },
          { key: 'purchasedAt', header: 'Sold', sql: 'h.purchased_at', kind: 'datetime' },
          { key: 'receiptNo', header: 'Receipt', sql: 'h.receipt_no', kind: 'text', width: 12 },
          { key: 'tender', header: 'Tender', sql: TENDER_LABEL, kind: 'text' },
          { key: 'price', header: 'Price', sql: 'h.price_minor', kind: 'money' },
          { key: 'sessions', header: 'Sessions', sql: 'h.sessions_total', kind: 'integer' },
          { key: 'used', header: 'Used', sql: 'h.sessions_used', kind: 'integer' },
          { key: 'expiresOn', header: 'Last day', sql: 'h.expires_on', kind: 'date', width: 12 },
          { key: 'status', header: 'Status', sql: STATUS_LABEL, kind: 'text' },
          { key: 'liability', header: 'Outstanding', sql: `CASE WHEN ${IN_USE} THEN h.price_minor - h.value_used_minor ELSE 0 END`, kind: 'money' },
          { key: 'cashier', header: 'Cashier', sql: 'u.display_name', kind: 'text', width: 18 },
        ],
        link: holdingLink,
      },
      listLink: ({ filters }) => {
        const params = new URLSearchParams();
        if (filters.category) params.set('packageTypeId', filters.category);
        if (filters.status) params.set('status', filters.status);
        if (filters.customer) params.set('customerId', filters.customer);
        const query = params.toString();
        return query ? `${BASE}?${query}` : BASE;
      },
    },
    {
      key: PACKAGE_REPORTS.redemptions,
      label: 'Package redemptions',
      description: 'Sessions redeemed by the day they were used (visits, and late cancellations or no-shows where the terms say so), and redemptions refused.',
      recordLabel: 'redemption',
      from: 'hs_package_redemptions r',
      joins: [
        { alias: 'h', sql: 'LEFT JOIN hs_package_holdings h ON h.id = r.holding_id' },
        { alias: 'pt', sql: 'LEFT JOIN hs_package_types pt ON pt.id = h.package_type_id' },
        { alias: 's', sql: 'JOIN hs_services s ON s.id = r.service_id' },
        { alias: 'c', sql: 'JOIN hs_customers c ON c.id = r.customer_id' },
        { alias: 'a', sql: 'JOIN hs_appointments a ON a.id = r.appointment_id' },
        { alias: 'v', sql: 'LEFT JOIN hs_visits v ON v.id = r.visit_id' },
        { alias: 'tech', sql: 'LEFT JOIN hs_technicians tech ON tech.id = v.technician_id' },
      ],
      time: { column: 'r.at', kind: 'instant', label: 'Redeemed' },
      id: 'r.id',
      branch: 'r.branch_id',
      dimensions: [
        { key: 'user', label: 'Technician', value: "coalesce(v.technician_id, '')", display: "coalesce(tech.name, 'No visit')" },
        { key: 'category', label: 'Package', value: "coalesce(h.package_type_id, '')", display: `coalesce(${PACKAGE_LABEL}, 'Refused')` },
        { key: 'service', label: 'Service', value: 'r.service_id', display: "s.sku || ' ' || s.name" },
        { key: 'reason', label: 'Reason', value: 'r.reason', display: REASON_LABEL },
        { key: 'outcome', label: 'Outcome', value: 'r.outcome', display: OUTCOME_LABEL },
      ],
      measures: [
        { key: 'redeemed', label: 'Sessions redeemed', unit: 'count', aggregate: 'sum(r.sessions)' },
        { key: 'value', label: 'Value redeemed', unit: 'money', aggregate: 'sum(r.value_minor)' },
        { key: 'refused', label: 'Refused', unit: 'count', aggregate: "sum(r.outcome = 'refused')" },
        { key: 'lateCancels', label: 'Used by late cancellations', unit: 'count', aggregate: "sum(r.outcome = 'redeemed' AND r.reason = 'late_cancel')" },
        { key: 'noShows', label: 'Used by no-shows', unit: 'count', aggregate: "sum(r.outcome = 'redeemed' AND r.reason = 'no_show')" },
        { key: 'attempts', label: 'Redemptions and refusals', unit: 'count', aggregate: 'count(*)' },
        { key: 'refusalRate', label: 'Refusal rate', unit: 'percent', ratio: { numerator: 'refused', denominator: 'attempts', scale: 100 } },
      ],
      defaultMeasure: 'redeemed',
      records: {
        columns: [
          { key: 'at', header: 'When', sql: 'r.at', kind: 'datetime' },
          { key: 'outcome', header: 'Outcome', sql: OUTCOME_LABEL, kind: 'text' },
          { key: 'reason', header: 'Reason', sql: REASON_LABEL, kind: 'text', width: 18 },
          { key: 'holdingNo', header: 'Package no.', sql: 'h.holding_no', kind: 'text', width: 12 },
          { key: 'package', header: 'Package', sql: 'h.name', kind: 'text', width: 24 },
          { key: 'customer', header: 'Customer', sql: "c.customer_no || ' ' || c.name", kind: 'text', width: 26 },
          { key: 'service', header: 'Service', sql: 's.name', kind: 'text', width: 20 },
          { key: 'appointment', header: 'Booking', sql: "printf('BK-%06d', a.number)", kind: 'text', width: 12 },
          { key: 'value', header: 'Value', sql: 'r.value_minor', kind: 'money' },
          { key: 'message', header: 'Refusal', sql: 'r.message', kind: 'text', width: 40 },
        ],
        link: () => null,
      },
    },
    {
      key: PACKAGE_REPORTS.breakage,
      label: 'Package breakage',
      description: 'Packages that expired with sessions unused, by their last day: the sessions and the value the branch keeps.',
      recordLabel: 'expired package',
      from: 'hs_package_holdings h',
      joins: [
        { alias: 'c', sql: 'JOIN hs_customers c ON c.id = h.customer_id' },
        { alias: 'pt', sql: 'JOIN hs_package_types pt ON pt.id = h.package_type_id' },
        { alias: 'u', sql: 'LEFT JOIN users u ON u.id = h.cashier_id' },
      ],
      where: "h.status = 'expired'",
      time: { column: 'h.expires_on', kind: 'date', label: 'Last day' },
      id: 'h.id',
      branch: 'h.branch_id',
      dimensions: [
        { key: 'user', label: 'Sold by', value: "coalesce(h.cashier_id, '')", display: "coalesce(u.display_name, 'Transfer')" },
        { key: 'category', label: 'Package', value: 'h.package_type_id', display: PACKAGE_LABEL },
      ],
      measures: [
        { key: 'packages', label: 'Packages expired', unit: 'count', aggregate: 'count(*)' },
        { key: 'sessions', label: 'Sessions unused', unit: 'count', aggregate: 'sum(coalesce(h.breakage_sessions, 0))' },
        { key: 'value', label: 'Breakage', unit: 'money', aggregate: 'sum(coalesce(h.breakage_minor, 0))' },
        { key: 'sessionsSold', label: 'Sessions they held', unit: 'count', aggregate: 'sum(h.sessions_total)' },
        { key: 'breakageRate', label: 'Share unused', unit: 'percent', ratio: { numerator: 'sessions', denominator: 'sessionsSold', scale: 100 } },
      ],
      defaultMeasure: 'value',
      records: {
        columns: [
          { key: 'holdingNo', header: 'Package no.', sql: 'h.holding_no', kind: 'text', width: 12 },
          { key: 'package', header: 'Package', sql: 'h.name', kind: 'text', width: 24 },
          { key: 'customer', header: 'Customer', sql: "c.customer_no || ' ' || c.name", kind: 'text', width: 26 },
          { key: 'purchasedOn', header: 'Bought', sql: 'h.purchased_on', kind: 'date' },
          { key: 'expiresOn', header: 'Last day', sql: 'h.expires_on', kind: 'date' },
          { key: 'sessions', header: 'Unused', sql: 'h.breakage_sessions', kind: 'integer' },
          { key: 'value', header: 'Breakage', sql: 'h.breakage_minor', kind: 'money' },
        ],
        link: holdingLink,
      },
      listLink: ({ filters }) => (filters.category ? `${BASE}?status=expired&packageTypeId=${encodeURIComponent(filters.category)}` : `${BASE}?status=expired`),
    },
  ],
  kpis: [
    { key: 'homeServices.packages.sold', label: 'Packages sold', description: 'Packages sold at the counter.', report: PACKAGE_REPORTS.sales, measure: 'sold', goodDirection: 'up' },
    { key: 'homeServices.packages.sales', label: 'Package sales', description: 'Money taken for packages.', report: PACKAGE_REPORTS.sales, measure: 'salesValue', goodDirection: 'up' },
    {
      key: 'homeServices.packages.redeemed',
      label: 'Sessions redeemed',
      description: 'Package sessions used by visits (and charged late cancellations and no-shows).',
      report: PACKAGE_REPORTS.redemptions,
      measure: 'redeemed',
      goodDirection: 'up',
    },
    {
      key: 'homeServices.packages.breakage',
      label: 'Package breakage',
      description: 'Value of sessions that expired unused.',
      report: PACKAGE_REPORTS.breakage,
      measure: 'value',
      goodDirection: 'down',
    },
  ],
  exceptions: [
    {
      kind: 'expiringSoon',
      label: `Packages expiring within ${EXPIRY_WARNING_DAYS} days with sessions left`,
      severity: 'info',
      link: `${BASE}?status=active&expiringSoon=1`,
      open(db, limit, clock) {
        const until = addDays(clock.today, EXPIRY_WARNING_DAYS);
        const where = `h.status = 'active' AND h.expires_on >= @today AND h.expires_on <= @until AND h.sessions_used < h.sessions_total`;
        const summary = sqlGet<{ total: number; oldest: string | null }>(db, `SELECT count(*) AS total, min(h.purchased_at) AS oldest FROM hs_package_holdings h WHERE ${where}`, {
          today: clock.today,
          until,
        })!;
        const items = sqlAll<{ id: string; holding_no: string; name: string; customer: string; left: number; expires_on: string; purchased_at: string }>(
          db,
          `SELECT h.id, h.holding_no, h.name, c.customer_no || ' ' || c.name AS customer, h.sessions_total - h.sessions_used AS left, h.expires_on, h.purchased_at
           FROM hs_package_holdings h JOIN hs_customers c ON c.id = h.customer_id WHERE ${where} ORDER BY h.expires_on, h.id LIMIT @limit`,
          { today: clock.today, until, limit },
        );
        return {
          total: summary.total,
          oldestAt: summary.oldest,
          items: items.map((h) => ({
            id: h.id,
            title: `${h.holding_no} ${h.name} — ${h.customer}`,
            detail: `${h.left} session${h.left === 1 ? '' : 's'} left, last day ${h.expires_on}: offer a booking`,
            since: h.purchased_at,
            link: holdingLink(h.id),
          })),
        };
      },
      occurrences: { from: 'hs_package_holdings h', where: "h.status = 'expired' AND h.breakage_sessions > 0", at: 'h.expires_on', atKind: 'date', category: 'h.package_type_id', branch: 'h.branch_id' },
    },
    {
      kind: 'refusedRedemption',
      label: 'Redemptions refused in the last 7 days',
      severity: 'warning',
      link: `${BASE}/redemptions?outcome=refused`,
      open(db, limit, clock) {
        const since = new Date(clock.now.getTime() - 7 * 86_400_000).toISOString();
        const summary = sqlGet<{ total: number; oldest: string | null }>(db, `SELECT count(*) AS total, min(at) AS oldest FROM hs_package_redemptions WHERE outcome = 'refused' AND at >= ?`, since)!;
        const items = sqlAll<{ id: string; message: string; customer: string; customer_id: string; at: string }>(
          db,
          `SELECT r.id, r.message, c.customer_no || ' ' || c.name AS customer, r.customer_id, r.at FROM hs_package_redemptions r JOIN hs_customers c ON c.id = r.customer_id
           WHERE r.outcome = 'refused' AND r.at >= ? ORDER BY r.at, r.id LIMIT ?`,
          since,
          limit,
        );
        return {
          total: summary.total,
          oldestAt: summary.oldest,
          items: items.map((r) => ({ id: r.id, title: r.customer, detail: r.message, since: r.at, link: `${BASE}/customers/${encodeURIComponent(r.customer_id)}` })),
        };
      },
      occurrences: { from: 'hs_package_redemptions r', where: "r.outcome = 'refused'", at: 'r.at', category: 'r.refusal_rule', branch: 'r.branch_id' },
    },
  ],
  entityLinks: {
    packageHolding: holdingLink,
    packageType: (id) => `${BASE}/types/${encodeURIComponent(id)}`,
  },
});
