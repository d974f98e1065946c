import { sqlAll, sqlGet } from '../../core/db/store';
import { defineFunctionReporting } from '../definitions';
import { instantRange } from '../periods';

/**
 * Utility billing cycles in the report engine: posted bills and credit notes by issue date (what
 * the function's own billing report counts), overdue bills and held trial bills as exceptions, and
 * trial runs waiting to be posted as the clerk's work in progress.
 */
const PATH = '/energy/billing';
const billLink = (id: string) => `${PATH}/bills/${encodeURIComponent(id)}`;
const EXCEPTION_CODES = "(SELECT group_concat(json_extract(je.value, '$.code'), ', ') FROM json_each(b.exceptions_json) je)";
const localMidnight = (date: string, timeZone: string) => instantRange(date, date, timeZone).fromInstant;

export const billingReporting = defineFunctionReporting({
  functionKey: 'energy.billing',
  reports: [
    {
      key: 'energy.billing.bills',
      label: 'Bills posted',
      description: 'Bills and credit notes by issue date: how many, consumption, amount billed and credited, estimated reads and exceptions.',
      recordLabel: 'bill',
      from: 'bills b',
      joins: [
        { alias: 'r', sql: 'LEFT JOIN billing_runs r ON r.id = b.run_id' },
        { alias: 'c', sql: 'LEFT JOIN billing_cycles c ON c.id = r.cycle_id' },
        { alias: 'pu', sql: 'LEFT JOIN users pu ON pu.id = r.posted_by' },
        { alias: 'a', sql: 'LEFT JOIN accounts a ON a.id = b.account_id' },
      ],
      where: "b.status IN ('posted','cancelled') AND b.issue_date IS NOT NULL",
      time: { column: 'b.issue_date', kind: 'date', label: 'Issue date' },
      id: 'b.id',
      branch: 'b.branch_id',
      dimensions: [
        { key: 'category', label: 'Customer category', value: 'b.category', display: 'b.category' },
        { key: 'user', label: 'Posted by', value: "coalesce(r.posted_by, '')", display: "coalesce(pu.display_name, 'Not in a run')" },
        {
          key: 'shift',
          label: 'Billing run',
          value: "coalesce(b.run_id, '')",
          display: "coalesce(c.code || ' · ' || r.period_start || ' – ' || r.period_end, 'Not in a run (rebill or credit)')",
        },
        { key: 'kind', label: 'Document', value: 'b.kind', display: "CASE b.kind WHEN 'bill' THEN 'Bill' ELSE 'Credit note' END" },
        { key: 'read', label: 'Read', value: 'b.estimated', display: "CASE b.estimated WHEN 1 THEN 'Estimated' ELSE 'Actual' END" },
      ],
      measures: [
        { key: 'bills', label: 'Bills', unit: 'count', aggregate: "sum(b.kind = 'bill')" },
        { key: 'amount', label: 'Billed', unit: 'money', aggregate: "sum(CASE WHEN b.kind = 'bill' THEN b.total_minor ELSE 0 END)" },
        { key: 'tax', label: 'Tax', unit: 'money', aggregate: "sum(CASE WHEN b.kind = 'bill' THEN b.tax_minor ELSE 0 END)" },
        { key: 'consumption', label: 'Consumption', unit: 'units', aggregate: "sum(CASE WHEN b.kind = 'bill' THEN b.consumption ELSE 0 END)" },
        { key: 'estimated', label: 'Estimated reads', unit: 'count', aggregate: "sum(b.kind = 'bill' AND b.estimated = 1)" },
        { key: 'exceptions', label: 'With exceptions', unit: 'count', aggregate: "sum(b.kind = 'bill' AND b.exceptions_json <> '[]')" },
        { key: 'creditNotes', label: 'Credit notes', unit: 'count', aggregate: "sum(b.kind = 'credit_note')" },
        { key: 'credited', label: 'Credited', unit: 'money', aggregate: "-sum(CASE WHEN b.kind = 'credit_note' THEN b.total_minor ELSE 0 END)" },
        { key: 'open', label: 'Still owed', unit: 'money', aggregate: "sum(CASE WHEN b.kind = 'bill' AND b.status = 'posted' THEN b.open_minor ELSE 0 END)" },
        { key: 'averageBill', label: 'Average bill', unit: 'money', ratio: { numerator: 'amount', denominator: 'bills' } },
      ],
      defaultMeasure: 'amount',
      records: {
        columns: [
          { key: 'issueDate', header: 'Issue date', sql: 'b.issue_date', kind: 'date', width: 12 },
          { key: 'billNo', header: 'Number', sql: 'b.bill_no', kind: 'text', width: 14 },
          { key: 'kind', header: 'Document', sql: "CASE b.kind WHEN 'bill' THEN 'Bill' ELSE 'Credit note' END", kind: 'text' },
          { key: 'account', header: 'Account', sql: 'b.account_no', kind: 'text', width: 14 },
          { key: 'name', header: 'Customer', sql: 'a.name', kind: 'text', width: 26 },
          { key: 'category', header: 'Category', sql: 'b.category', kind: 'text' },
          { key: 'period', header: 'Period', sql: "b.billed_from || ' – ' || b.billed_to", kind: 'text', width: 24 },
          { key: 'consumption', header: 'Consumption', sql: 'b.consumption', kind: 'decimal' },
          { key: 'total', header: 'Total', sql: 'b.total_minor', kind: 'money' },
          { key: 'open', header: 'Open', sql: 'b.open_minor', kind: 'money' },
          { key: 'dueDate', header: 'Due', sql: 'b.due_date', kind: 'date', width: 12 },
          { key: 'status', header: 'Status', sql: 'b.status', kind: 'text' },
          { key: 'exceptions', header: 'Exceptions', sql: EXCEPTION_CODES, kind: 'text', width: 26 },
        ],
        link: billLink,
      },
    },
  ],
  kpis: [
    {
      key: 'energy.billing.amount',
      label: 'Amount billed',
      description: 'Total of the bills issued (credit notes not deducted).',
      report: 'energy.billing.bills',
      measure: 'amount',
      goodDirection: 'up',
    },
    {
      key: 'energy.billing.bills',
      label: 'Bills posted',
      description: 'Bills issued by posted billing runs and rebills.',
      report: 'energy.billing.bills',
      measure: 'bills',
      goodDirection: 'up',
    },
  ],
  exceptions: [
    {
      kind: 'overdue',
      label: 'Bills past their due date',
      severity: 'warning',
      criticalAfterHours: 30 * 24,
      link: `${PATH}/bills`,
      open(db, limit, clock) {
        const where = "b.kind = 'bill' AND b.status = 'posted' AND b.open_minor > 0 AND b.due_date < ?";
        const summary = sqlGet<{ total: number; oldest: string | null }>(db, `SELECT count(*) AS total, min(b.due_date) AS oldest FROM bills b WHERE ${where}`, clock.today)!;
        const items = sqlAll<{ id: string; bill_no: string; account_no: string; open_minor: number; due_date: string }>(
          db,
          `SELECT b.id, b.bill_no, b.account_no, b.open_minor, b.due_date FROM bills b WHERE ${where} ORDER BY b.due_date, b.id LIMIT ?`,
          clock.today,
          limit,
        );
        return {
          total: summary.total,
          oldestAt: summary.oldest ? localMidnight(summary.oldest, clock.timeZone) : null,
          items: items.map((b) => ({
            id: b.id,
            title: `Bill ${b.bill_no} (account ${b.account_no}): ${(b.open_minor / 100).toFixed(2)} unpaid`,
            detail: `Due ${b.due_date}`,
            since: localMidnight(b.due_date, clock.timeZone),
            link: billLink(b.id),
          })),
        };
      },
      occurrences: {
        from: 'bills b',
        // Bills still unpaid, by the day they fell due (the range ends today, so all are overdue but today's).
        where: "b.kind = 'bill' AND b.status = 'posted' AND b.open_minor > 0 AND b.due_date IS NOT NULL",
        at: 'b.due_date',
        atKind: 'date',
        category: "'OVERDUE'",
        branch: 'b.branch_id',
      },
    },
    {
      kind: 'held',
      label: 'Bills held in trial runs',
      severity: 'warning',
      criticalAfterHours: 72,
      link: PATH,
      open(db, limit) {
        const summary = sqlGet<{ total: number; oldest: string | null }>(db, "SELECT count(*) AS total, min(created_at) AS oldest FROM bills WHERE status = 'held'")!;
        const items = sqlAll<{ id: string; account_no: string; created_at: string; codes: string | null; run_id: string | null }>(
          db,
          `SELECT b.id, b.account_no, b.created_at, b.run_id, ${EXCEPTION_CODES} AS codes FROM bills b WHERE b.status = 'held' ORDER BY b.created_at, b.id LIMIT ?`,
          limit,
        );
        return {
          total: summary.total,
          oldestAt: summary.oldest,
          items: items.map((b) => ({
            id: b.id,
            title: `Account ${b.account_no}: ${b.codes ?? 'held'}`,
            detail: 'Held out of a trial run',
            since: b.created_at,
            link: b.run_id ? `${PATH}/runs/${encodeURIComponent(b.run_id)}` : billLink(b.id),
          })),
        };
      },
      occurrences: {
        from: 'bills b, json_each(b.exceptions_json) je',
        where: "b.exceptions_json <> '[]'",
        at: 'b.created_at',
        category: "json_extract(je.value, '$.code')",
        branch: 'b.branch_id',
      },
    },
  ],
  inProgress(db, who) {
    return sqlAll<{ id: string; code: string; period_end: string; created_at: string; bills_count: number; held_count: number }>(
      db,
      `SELECT r.id, c.code, r.period_end, r.created_at, r.bills_count, r.held_count FROM billing_runs r JOIN billing_cycles c ON c.id = r.cycle_id
       WHERE r.status = 'trial' AND r.created_by = ? ORDER BY r.created_at LIMIT 5`,
      who.userId,
    ).map((r) => ({
      id: r.id,
      title: `Trial run ${r.code} to ${r.period_end}: ${r.bills_count} bills, ${r.held_count} held`,
      detail: 'Review the exceptions, then post',
      since: r.created_at,
      link: `${PATH}/runs/${encodeURIComponent(r.id)}`,
      actionLabel: 'Continue the run',
    }));
  },
  entityLinks: {
    bill: billLink,
    billingRun: (id) => `${PATH}/runs/${encodeURIComponent(id)}`,
  },
});
