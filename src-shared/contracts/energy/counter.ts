import { z } from 'zod';
import { allow, id, localDate, minorUnits, mutation, page, pageInput, query, reason, version } from '../../rpc';
import { REPORT_PERIODS } from './meter-readings';

/**
 * The cashier counter: shifts (open with a float, X report during, close with counted cash per
 * tender, Z report after), account search and card (balance, open bills, aging), payments with
 * change due and oldest-first settlement, receipts, reversals. Every counter transaction belongs
 * to the cashier's open shift and carries an idempotency key.
 */

export const TENDERS = {
  cash: { label: 'Cash', key: 'F1' },
  card: { label: 'Card', key: 'F2' },
  cheque: { label: 'Cheque', key: 'F3' },
  transfer: { label: 'Transfer', key: 'F4' },
} as const;
export type Tender = keyof typeof TENDERS;
export const TENDER_KEYS = Object.keys(TENDERS) as [Tender, ...Tender[]];
export const tenderSchema = z.enum(TENDER_KEYS);

/** Counter transaction types as the X/Z reports list them; other functions add theirs (package sales, ...). */
export const TRANSACTION_TYPE_LABELS: Record<string, string> = {
  payment: 'Bill payments',
  payment_reversal: 'Payment reversals',
  vend: 'Prepaid vends',
  vend_reversal: 'Vend reversals',
  emergency_credit: 'Emergency credit',
};

export const tenderAmounts = z.strictObject({
  cash: minorUnits.nonnegative(),
  card: minorUnits.nonnegative(),
  cheque: minorUnits.nonnegative(),
  transfer: minorUnits.nonnegative(),
});
export type TenderAmounts = z.infer<typeof tenderAmounts>;
const signedTenderAmounts = z.object({ cash: z.number().int(), card: z.number().int(), cheque: z.number().int(), transfer: z.number().int() });

export const SHIFT_STATUSES = ['open', 'closed'] as const;

export const shiftSchema = z.object({
  id: z.string(),
  shiftNo: z.number().int(),
  cashierId: z.string(),
  cashierName: z.string(),
  status: z.enum(SHIFT_STATUSES),
  openedAt: z.string(),
  openingFloat: z.number().int(),
  closedAt: z.string().nullable(),
  expected: signedTenderAmounts.nullable(),
  counted: signedTenderAmounts.nullable(),
  variance: z.number().int().nullable(),
  closeNote: z.string().nullable(),
  /** A close waiting for a supervisor: no new transactions until it is decided. */
  pendingCloseApprovalId: z.string().nullable(),
  version: z.number().int(),
});
export type Shift = z.infer<typeof shiftSchema>;

export const shiftReportSchema = z.object({
  /** X during the shift (a reading, changes nothing), Z once closed (final). */
  kind: z.enum(['X', 'Z']),
  generatedAt: z.string(),
  byTender: z.array(z.object({ tender: z.string(), count: z.number().int(), amount: z.number().int() })),
  byType: z.array(z.object({ type: z.string(), label: z.string(), count: z.number().int(), amount: z.number().int() })),
  /** Cash expected in the drawer includes the opening float; other tenders are what was taken. */
  expected: signedTenderAmounts,
  counted: signedTenderAmounts.nullable(),
  variance: signedTenderAmounts.nullable(),
  totalTaken: z.number().int(),
  transactions: z.number().int(),
});
export type ShiftReport = z.infer<typeof shiftReportSchema>;

export const shiftsOpen = mutation({
  name: 'energy.counter.shifts.open',
  description: 'Open your cashier shift with the float in the drawer.',
  access: allow('energy.counter', 'create'),
  input: z.strictObject({ openingFloat: minorUnits.nonnegative().max(100_000_000) }),
  output: shiftSchema,
});

export const shiftsCurrent = query({
  name: 'energy.counter.shifts.current',
  description: 'Your open shift, if any, with its X report.',
  access: allow('energy.counter', 'view'),
  input: z.strictObject({}),
  output: z.object({ shift: shiftSchema.nullable(), report: shiftReportSchema.nullable() }),
});

export const shiftsClose = mutation({
  name: 'energy.counter.shifts.close',
  description: 'Close your shift with the counted money per tender; a variance above the set threshold needs a supervisor.',
  access: allow('energy.counter', 'submit'),
  input: z.strictObject({ id, version, counted: tenderAmounts, note: z.string().trim().max(300).optional() }),
  output: z.object({ shift: shiftSchema, report: shiftReportSchema }),
});

export const shiftsList = query({
  name: 'energy.counter.shifts.list',
  description: 'Cashier shifts, newest first.',
  access: allow('energy.counter', 'view'),
  input: z.strictObject({
    status: z.enum(SHIFT_STATUSES).optional(),
    cashierId: id.optional(),
    from: localDate.optional(),
    to: localDate.optional(),
    ...pageInput,
  }),
  output: page(shiftSchema),
});

export const shiftsGet = query({
  name: 'energy.counter.shifts.get',
  description: 'A shift with its X (open) or Z (closed) report.',
  access: allow('energy.counter', 'view'),
  input: z.strictObject({ id }),
  output: z.object({ shift: shiftSchema, report: shiftReportSchema }),
});

/* ---------------- account search and card ---------------- */

export const accountHitSchema = z.object({
  accountId: z.string(),
  accountNo: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  address: z.string(),
  meterSerial: z.string().nullable(),
  prepaid: z.boolean(),
  /** What the account owes (negative: in credit). */
  balance: z.number().int(),
});
export type AccountHit = z.infer<typeof accountHitSchema>;

export const accountsFind = query({
  name: 'energy.counter.accounts.find',
  description: 'Find an account fast: exact account or meter number first, then name, phone and number prefixes.',
  access: allow('energy.counter', 'view'),
  input: z.strictObject({ query: z.string().trim().min(1).max(80), limit: z.number().int().min(1).max(50).default(10) }),
  output: z.array(accountHitSchema),
});

export const openBillSchema = z.object({
  billId: z.string(),
  billNo: z.string(),
  issueDate: z.string(),
  dueDate: z.string(),
  periodEnd: z.string(),
  total: z.number().int(),
  open: z.number().int(),
  ageDays: z.number().int(),
});
export type OpenBill = z.infer<typeof openBillSchema>;

export const agingSchema = z.object({
  current: z.number().int(),
  days30: z.number().int(),
  days60: z.number().int(),
  days90: z.number().int(),
});
export type Aging = z.infer<typeof agingSchema>;

export const accountCard = query({
  name: 'energy.counter.accounts.card',
  description: 'The account card at the counter: balance, open bills oldest first, aging, credit, recent payments.',
  access: allow('energy.counter', 'view'),
  input: z.strictObject({ accountId: id }),
  output: z.object({
    account: accountHitSchema.extend({ category: z.string(), status: z.string() }),
    openBills: z.array(openBillSchema),
    aging: agingSchema,
    /** Paid ahead of any bill, waiting for the next one. */
    credit: z.number().int(),
    recentPayments: z.array(
      z.object({ id: z.string(), receiptNo: z.string(), at: z.string(), tender: tenderSchema, amount: z.number().int(), status: z.string() }),
    ),
  }),
});

/* ---------------- payments ---------------- */

export const PAYMENT_STATUSES = ['completed', 'reversed'] as const;

export const settledLineSchema = z.object({
  billId: z.string(),
  billNo: z.string(),
  amount: z.number().int(),
  openAfter: z.number().int(),
});

export const receiptSchema = z.object({
  paymentId: z.string(),
  receiptNo: z.string(),
  branchName: z.string(),
  at: z.string(),
  accountId: z.string(),
  accountNo: z.string(),
  accountName: z.string(),
  tender: tenderSchema,
  reference: z.string().nullable(),
  amount: z.number().int(),
  tendered: z.number().int(),
  change: z.number().int(),
  settled: z.array(settledLineSchema),
  unapplied: z.number().int(),
  balanceAfter: z.number().int(),
  cashierName: z.string(),
  shiftNo: z.number().int(),
  status: z.enum(PAYMENT_STATUSES),
  version: z.number().int(),
});
export type Receipt = z.infer<typeof receiptSchema>;

export const paymentsCreate = mutation({
  name: 'energy.counter.payments.create',
  description:
    'Take a payment in the open shift: settles open bills oldest first unless allocated, gives change for cash, returns the receipt. Idempotent on its key.',
  access: allow('energy.counter', 'create'),
  idempotent: true,
  input: z
    .strictObject({
      accountId: id,
      tender: tenderSchema,
      amount: minorUnits.positive().max(100_000_000),
      /** Cash handed over; change = tendered − amount. Other tenders are taken exactly. */
      tendered: minorUnits.positive().max(100_000_000).optional(),
      reference: z.string().trim().max(60).optional(),
      allocations: z.array(z.strictObject({ billId: id, amount: minorUnits.positive() })).max(50).optional(),
    })
    .refine((p) => p.tendered === undefined || p.tendered >= p.amount, { path: ['tendered'], message: 'Less than the amount paid' })
    .refine((p) => p.tender === 'cash' || p.tendered === undefined || p.tendered === p.amount, {
      path: ['tendered'],
      message: 'Only cash gives change',
    })
    .refine((p) => !(p.tender === 'cheque' || p.tender === 'transfer') || (p.reference ?? '').length > 0, {
      path: ['reference'],
      message: 'Enter the cheque or transfer reference',
    }),
  output: receiptSchema,
});

export const paymentsReverse = mutation({
  name: 'energy.counter.payments.reverse',
  description: 'Reverse a payment: its settlements are undone and the money goes back out of the shift. Approval-gated.',
  access: allow('energy.counter', 'void'),
  input: z.strictObject({ id, version, reason }),
  output: receiptSchema,
});

export const paymentRowSchema = receiptSchema.omit({ settled: true, branchName: true, balanceAfter: true }).extend({
  shiftId: z.string(),
  cashierId: z.string(),
  reversalReason: z.string().nullable(),
});

export const paymentsList = query({
  name: 'energy.counter.payments.list',
  description: 'Counter payments, newest first.',
  access: allow('energy.counter', 'view'),
  input: z.strictObject({
    shiftId: id.optional(),
    accountId: id.optional(),
    cashierId: id.optional(),
    tender: tenderSchema.optional(),
    status: z.enum(PAYMENT_STATUSES).optional(),
    from: localDate.optional(),
    to: localDate.optional(),
    ...pageInput,
  }),
  output: page(paymentRowSchema).extend({ totals: z.object({ amount: z.number().int() }) }),
});

export const paymentsGet = query({
  name: 'energy.counter.payments.get',
  description: 'A payment’s receipt, for reprint.',
  access: allow('energy.counter', 'view'),
  input: z.strictObject({ id }),
  output: receiptSchema,
});

/* ---------------- report ---------------- */

export const COLLECTION_GROUPS = ['period', 'tender', 'cashier', 'shift', 'type'] as const;

export const collectionsReportInput = z.strictObject({
  period: z.enum(REPORT_PERIODS).default('day'),
  from: localDate,
  to: localDate,
  groupBy: z.enum(COLLECTION_GROUPS).default('period'),
  cashierId: id.optional(),
  tender: tenderSchema.optional(),
});

export const collectionsReportRow = z.object({
  key: z.string(),
  label: z.string(),
  transactions: z.number().int(),
  taken: z.number().int(),
  refunded: z.number().int(),
  net: z.number().int(),
  payments: z.number().int(),
  vends: z.number().int(),
  reversals: z.number().int(),
});
export type CollectionsReportRow = z.infer<typeof collectionsReportRow>;

export const collectionsReport = query({
  name: 'energy.counter.report',
  description: 'Collections by day, week or month (branch time zone), tender, cashier, shift or transaction type.',
  access: allow('energy.counter', 'view'),
  input: collectionsReportInput,
  output: z.object({ rows: z.array(collectionsReportRow), totals: collectionsReportRow }),
});

export const collectionsExport = mutation({
  name: 'energy.counter.export',
  description: 'Export the collections report and its transactions to Excel (or CSV) as a job.',
  access: allow('energy.counter', 'export'),
  input: collectionsReportInput.extend({ format: z.enum(['xlsx', 'csv']).default('xlsx') }),
  output: z.object({ jobId: z.string() }),
});

export const counterContracts = [
  shiftsOpen,
  shiftsCurrent,
  shiftsClose,
  shiftsList,
  shiftsGet,
  accountsFind,
  accountCard,
  paymentsCreate,
  paymentsReverse,
  paymentsList,
  paymentsGet,
  collectionsReport,
  collectionsExport,
] as const;
