import { sqlAll, sqlGet } from '../../core/db/store';
import { defineFunctionReporting } from '../definitions';
import { instantRange } from '../periods';

/**
 * The cashier counter in the report engine: every money movement of the counter ledger (payments,
 * vends, reversals, and whatever else later sells at the counter) by the local day it happened, by
 * cashier, shift, transaction type or tender; shifts left open and shifts closed short or over as
 * exceptions; the cashier's own open shift as work to continue.
 */
const PATH = '/energy/counter';
const shiftLink = (id: string) => `${PATH}/shifts/${encodeURIComponent(id)}`;

/** Every kind of counter transaction in words, those other functions sell at the counter too. */
const TYPE_NAMES: Record<string, string> = {
  payment: 'Bill payments',
  payment_reversal: 'Payment reversals',
  vend: 'Prepaid vends',
  vend_reversal: 'Vend reversals',
  emergency_credit: 'Emergency credit',
  package_sale: 'Package sales',
  package_refund: 'Package refunds',
  subscription_payment: 'Subscription payments',
};
// A type added later still reads as words ("Gift card sale"), never as its code.
const TYPE_LABEL = `CASE t.type ${Object.entries(TYPE_NAMES)
  .map(([code, name]) => `WHEN '${code}' THEN '${name}'`)
  .join(' ')} ELSE upper(substr(t.type, 1, 1)) || replace(substr(t.type, 2), '_', ' ') END`;
const TENDER_LABEL = "CASE t.tender WHEN 'cash' THEN 'Cash' WHEN 'card' THEN 'Card' WHEN 'cheque' THEN 'Cheque' WHEN 'transfer' THEN 'Transfer' ELSE 'No money' END";
const SHIFT_LABEL = "'Shift #' || s.shift_no || ' · ' || u.display_name";

export const counterReporting = defineFunctionReporting({
  functionKey: 'energy.counter',
  reports: [
    {
      key: 'energy.counter.collections',
      label: 'Collections',
      description: 'Every counter transaction by the day it happened: money taken and refunded, payments, vends and reversals.',
      recordLabel: 'transaction',
      from: 'counter_transactions t',
      joins: [
        { alias: 'u', sql: 'LEFT JOIN users u ON u.id = t.cashier_id' },
        { alias: 's', sql: 'LEFT JOIN cashier_shifts s ON s.id = t.shift_id' },
        { alias: 'a', sql: 'LEFT JOIN accounts a ON a.id = t.account_id' },
      ],
      time: { column: 't.created_at', kind: 'instant', label: 'At' },
      id: 't.id',
      branch: 't.branch_id',
      dimensions: [
        { key: 'user', label: 'Cashier', value: 't.cashier_id', display: 'u.display_name' },
        // Dated by the shift's opening: "Shift #12 · Cara Cashier" alone does not say which day it was.
        { key: 'shift', label: 'Shift', value: 't.shift_id', display: SHIFT_LABEL, datedBy: 's.opened_at' },
        { key: 'category', label: 'Transaction type', value: 't.type', display: TYPE_LABEL },
        { key: 'tender', label: 'Tender', value: 't.tender', display: TENDER_LABEL },
      ],
      measures: [
        { key: 'transactions', label: 'Transactions', unit: 'count', aggregate: 'count(*)' },
        { key: 'taken', label: 'Taken', unit: 'money', aggregate: 'sum(CASE WHEN t.amount_minor > 0 THEN t.amount_minor ELSE 0 END)' },
        { key: 'refunded', label: 'Refunded', unit: 'money', aggregate: '-sum(CASE WHEN t.amount_minor < 0 THEN t.amount_minor ELSE 0 END)' },
        { key: 'net', label: 'Net collected', unit: 'money', aggregate: 'sum(t.amount_minor)' },
        { key: 'payments', label: 'Bill payments', unit: 'count', aggregate: "sum(t.type = 'payment')" },
        { key: 'vends', label: 'Vends', unit: 'count', aggregate: "sum(t.type IN ('vend', 'emergency_credit'))" },
        { key: 'reversals', label: 'Reversals', unit: 'count', aggregate: "sum(t.type LIKE '%reversal')" },
        { key: 'takings', label: 'Takings', unit: 'count', aggregate: 'sum(t.amount_minor > 0)' },
        { key: 'averageTicket', label: 'Average ticket', unit: 'money', ratio: { numerator: 'taken', denominator: 'takings' } },
      ],
      defaultMeasure: 'net',
      records: {
        columns: [
          { key: 'at', header: 'At', sql: 't.created_at', kind: 'datetime' },
          { key: 'type', header: 'Type', sql: TYPE_LABEL, kind: 'text', width: 18 },
          { key: 'tender', header: 'Tender', sql: TENDER_LABEL, kind: 'text' },
          { key: 'amount', header: 'Amount', sql: 't.amount_minor', kind: 'money' },
          { key: 'receipt', header: 'Receipt', sql: 't.receipt_no', kind: 'text', width: 14 },
          { key: 'account', header: 'Account', sql: 'a.account_no', kind: 'text', width: 14 },
          { key: 'cashier', header: 'Cashier', sql: 'u.display_name', kind: 'text', width: 20 },
          { key: 'shift', header: 'Shift', sql: 's.shift_no', kind: 'integer' },
          { key: 'shiftId', header: 'Shift id', sql: 't.shift_id', kind: 'text', hidden: true },
        ],
        link: (_id, values) => (values.shiftId ? shiftLink(String(values.shiftId)) : null),
      },
      // The payments list filters by shift only; other drilldowns stay in the report's records.
      listLink: ({ filters }) => (filters.shift ? `${PATH}/payments?${new URLSearchParams({ shiftId: filters.shift }).toString()}` : null),
    },
  ],
  kpis: [
    {
      key: 'energy.counter.net',
      label: 'Collected at the counter',
      description: 'Money taken at the counter less refunds and reversals.',
      report: 'energy.counter.collections',
      measure: 'net',
      goodDirection: 'up',
    },
    {
      key: 'energy.counter.transactions',
      label: 'Counter transactions',
      description: 'Payments, vends and reversals served at the counter.',
      report: 'energy.counter.collections',
      measure: 'transactions',
      goodDirection: 'up',
    },
  ],
  exceptions: [
    {
      kind: 'openShift',
      label: 'Shifts left open from an earlier day',
      severity: 'warning',
      criticalAfterHours: 24,
      link: `${PATH}/shifts`,
      open(db, limit, clock) {
        const today = instantRange(clock.today, clock.today, clock.timeZone).fromInstant;
        const where = "s.status = 'open' AND s.opened_at < ?";
        const summary = sqlGet<{ total: number; oldest: string | null }>(db, `SELECT count(*) AS total, min(s.opened_at) AS oldest FROM cashier_shifts s WHERE ${where}`, today)!;
        const items = sqlAll<{ id: string; shift_no: number; opened_at: string; cashier: string }>(
          db,
          `SELECT s.id, s.shift_no, s.opened_at, u.display_name AS cashier FROM cashier_shifts s JOIN users u ON u.id = s.cashier_id
           WHERE ${where} ORDER BY s.opened_at LIMIT ?`,
          today,
          limit,
        );
        return {
          total: summary.total,
          oldestAt: summary.oldest,
          items: items.map((s) => ({ id: s.id, title: `Shift #${s.shift_no} of ${s.cashier} is still open`, detail: 'Close it with a cash count', since: s.opened_at, link: shiftLink(s.id) })),
        };
      },
      occurrences: { from: 'cashier_shifts s', where: "s.status = 'open'", at: 's.opened_at', category: "'OPEN_SHIFT'", branch: 's.branch_id' },
    },
    {
      kind: 'variance',
      label: 'Shifts closed short or over (last 7 days)',
      severity: 'warning',
      link: `${PATH}/shifts`,
      open(db, limit, clock) {
        const since = new Date(clock.now.getTime() - 7 * 86_400_000).toISOString();
        const where = "s.status = 'closed' AND s.variance_minor <> 0 AND s.closed_at >= ?";
        const summary = sqlGet<{ total: number; oldest: string | null }>(db, `SELECT count(*) AS total, min(s.closed_at) AS oldest FROM cashier_shifts s WHERE ${where}`, since)!;
        const items = sqlAll<{ id: string; shift_no: number; closed_at: string; variance_minor: number; cashier: string }>(
          db,
          `SELECT s.id, s.shift_no, s.closed_at, s.variance_minor, u.display_name AS cashier FROM cashier_shifts s JOIN users u ON u.id = s.cashier_id
           WHERE ${where} ORDER BY s.closed_at LIMIT ?`,
          since,
          limit,
        );
        return {
          total: summary.total,
          oldestAt: summary.oldest,
          items: items.map((s) => ({
            id: s.id,
            title: `Shift #${s.shift_no} of ${s.cashier} closed ${s.variance_minor < 0 ? 'short' : 'over'} by ${(Math.abs(s.variance_minor) / 100).toFixed(2)}`,
            since: s.closed_at,
            link: shiftLink(s.id),
          })),
        };
      },
      occurrences: {
        from: 'cashier_shifts s',
        where: "s.status = 'closed' AND s.variance_minor <> 0",
        at: 's.closed_at',
        category: "CASE WHEN s.variance_minor < 0 THEN 'SHORT' ELSE 'OVER' END",
        branch: 's.branch_id',
      },
    },
  ],
  inProgress(db, who) {
    return sqlAll<{ id: string; shift_no: number; opened_at: string }>(
      db,
      "SELECT id, shift_no, opened_at FROM cashier_shifts WHERE cashier_id = ? AND status = 'open'",
      who.userId,
    ).map((s) => ({
      id: s.id,
      title: `Your shift #${s.shift_no} is open`,
      detail: 'Serve the next customer, or close it with a cash count',
      since: s.opened_at,
      link: PATH,
      actionLabel: 'Back to the counter',
    }));
  },
  entityLinks: { cashierShift: shiftLink },
});
