import { sqlAll, sqlGet } from '../../core/db/store';
import { defineFunctionReporting } from '../definitions';

/**
 * Prepaid credit management in the report engine: vends (sales and emergency credit) by the day
 * they were sold, where the money went (debt, service charges, tax, credit) and the units vended;
 * accounts running on emergency credit as an exception, reversed vends in the heatmap.
 */
const PATH = '/energy/prepaid';
const accountLink = (accountId: string) => `${PATH}/${encodeURIComponent(accountId)}`;

export const prepaidReporting = defineFunctionReporting({
  functionKey: 'energy.prepaid',
  reports: [
    {
      key: 'energy.prepaid.vends',
      label: 'Prepaid vends',
      description: 'Tokens sold by the day: amount paid, debt recovered, charges, value and units vended, emergency credit and reversals.',
      recordLabel: 'vend',
      from: 'vends v',
      joins: [
        { alias: 'u', sql: 'LEFT JOIN users u ON u.id = v.cashier_id' },
        { alias: 's', sql: 'LEFT JOIN cashier_shifts s ON s.id = v.shift_id' },
        { alias: 'a', sql: 'LEFT JOIN accounts a ON a.id = v.account_id' },
        { alias: 'tf', sql: 'LEFT JOIN tariffs tf ON tf.id = v.tariff_id' },
      ],
      time: { column: 'v.created_at', kind: 'instant', label: 'Sold at' },
      id: 'v.id',
      branch: 'v.branch_id',
      dimensions: [
        { key: 'user', label: 'Cashier', value: 'v.cashier_id', display: 'u.display_name' },
        { key: 'shift', label: 'Shift', value: 'v.shift_id', display: "'Shift #' || s.shift_no || ' · ' || u.display_name", datedBy: 's.opened_at' },
        { key: 'category', label: 'Tariff', value: 'v.tariff_id', display: "tf.code || ' ' || tf.name" },
        { key: 'kind', label: 'Kind', value: 'v.kind', display: "CASE v.kind WHEN 'sale' THEN 'Sale' ELSE 'Emergency credit' END" },
        { key: 'status', label: 'State', value: 'v.status', display: "CASE v.status WHEN 'completed' THEN 'Completed' ELSE 'Reversed' END" },
      ],
      measures: [
        { key: 'vends', label: 'Vends', unit: 'count', aggregate: "sum(v.status = 'completed')" },
        { key: 'amount', label: 'Amount paid', unit: 'money', aggregate: "sum(CASE WHEN v.status = 'completed' THEN v.amount_minor ELSE 0 END)" },
        { key: 'debt', label: 'Debt recovered', unit: 'money', aggregate: "sum(CASE WHEN v.status = 'completed' THEN v.debt_minor ELSE 0 END)" },
        { key: 'charges', label: 'Service charges', unit: 'money', aggregate: "sum(CASE WHEN v.status = 'completed' THEN v.service_charge_minor ELSE 0 END)" },
        { key: 'tax', label: 'Tax', unit: 'money', aggregate: "sum(CASE WHEN v.status = 'completed' THEN v.tax_minor ELSE 0 END)" },
        { key: 'value', label: 'Value vended', unit: 'money', aggregate: "sum(CASE WHEN v.status = 'completed' THEN v.value_minor ELSE 0 END)" },
        { key: 'units', label: 'Units vended', unit: 'units', aggregate: "sum(CASE WHEN v.status = 'completed' THEN v.units ELSE 0 END)" },
        { key: 'emergency', label: 'Emergency credit', unit: 'count', aggregate: "sum(v.kind = 'emergency' AND v.status = 'completed')" },
        { key: 'reversed', label: 'Reversed', unit: 'count', aggregate: "sum(v.status = 'reversed')" },
        { key: 'averageVend', label: 'Average vend', unit: 'money', ratio: { numerator: 'amount', denominator: 'vends' } },
      ],
      defaultMeasure: 'amount',
      records: {
        columns: [
          { key: 'at', header: 'Sold at', sql: 'v.created_at', kind: 'datetime' },
          { key: 'receipt', header: 'Receipt', sql: 'v.receipt_no', kind: 'text', width: 14 },
          { key: 'account', header: 'Account', sql: 'a.account_no', kind: 'text', width: 14 },
          { key: 'kind', header: 'Kind', sql: 'v.kind', kind: 'text' },
          { key: 'amount', header: 'Paid', sql: 'v.amount_minor', kind: 'money' },
          { key: 'debt', header: 'Debt', sql: 'v.debt_minor', kind: 'money' },
          { key: 'value', header: 'Value', sql: 'v.value_minor', kind: 'money' },
          { key: 'units', header: 'Units', sql: 'v.units', kind: 'decimal' },
          { key: 'status', header: 'State', sql: 'v.status', kind: 'text' },
          { key: 'cashier', header: 'Cashier', sql: 'u.display_name', kind: 'text', width: 20 },
          { key: 'accountId', header: 'Account id', sql: 'v.account_id', kind: 'text', hidden: true },
        ],
        link: (_id, values) => (values.accountId ? accountLink(String(values.accountId)) : null),
      },
    },
  ],
  kpis: [
    {
      key: 'energy.prepaid.amount',
      label: 'Prepaid sold',
      description: 'Money paid for tokens (reversed vends left out).',
      report: 'energy.prepaid.vends',
      measure: 'amount',
      goodDirection: 'up',
    },
    {
      key: 'energy.prepaid.vends',
      label: 'Vends',
      description: 'Tokens issued, emergency credit included.',
      report: 'energy.prepaid.vends',
      measure: 'vends',
      goodDirection: 'up',
    },
  ],
  exceptions: [
    {
      kind: 'emergency',
      label: 'Prepaid accounts on emergency credit',
      severity: 'info',
      link: PATH,
      open(db, limit) {
        const total = sqlGet<{ n: number }>(db, "SELECT count(*) AS n FROM prepaid_accounts WHERE emergency_minor > 0 AND status = 'active'")!.n;
        const items = sqlAll<{ account_id: string; account_no: string; emergency_minor: number; updated_at: string }>(
          db,
          `SELECT p.account_id, a.account_no, p.emergency_minor, p.updated_at FROM prepaid_accounts p JOIN accounts a ON a.id = p.account_id
           WHERE p.emergency_minor > 0 AND p.status = 'active' ORDER BY p.updated_at LIMIT ?`,
          limit,
        );
        return {
          total,
          oldestAt: items[0]?.updated_at ?? null,
          items: items.map((p) => ({
            id: p.account_id,
            title: `Account ${p.account_no}: ${(p.emergency_minor / 100).toFixed(2)} emergency credit to recover`,
            since: p.updated_at,
            link: accountLink(p.account_id),
          })),
        };
      },
      occurrences: { from: 'vends v', where: "v.status = 'reversed' AND v.reversed_at IS NOT NULL", at: 'v.reversed_at', category: "'VEND_REVERSED'", branch: 'v.branch_id' },
    },
  ],
  entityLinks: { prepaidAccount: accountLink },
});
