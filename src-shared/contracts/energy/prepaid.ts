import { z } from 'zod';
import { allow, id, localDate, minorUnits, mutation, page, pageInput, query, reason, version } from '../../rpc';
import { REPORT_PERIODS } from './meter-readings';
import { tenderSchema } from './counter';

/**
 * Prepaid credit management: prepaid accounts on STS meters, vends at the counter (amount paid →
 * debt recovery, fixed service charge, emergency credit recovery, tax → value → units → token),
 * token reprints (logged), reversals (approval-gated), emergency credit, daily vend limits and the
 * low-credit list. The token generator shipped is a development one: see docs.
 */

export const PREPAID_STATUSES = ['active', 'suspended'] as const;

export const creditEstimateSchema = z.object({
  /** Units estimated left on the meter now. */
  remainingUnits: z.number(),
  /** Average daily use, from the meter’s readings or else its vends. */
  dailyUse: z.number(),
  /** null when there is no use to measure yet. */
  daysToEmpty: z.number().nullable(),
  basis: z.enum(['readings', 'vends', 'none']),
});
export type CreditEstimate = z.infer<typeof creditEstimateSchema>;

export const prepaidAccountSchema = z.object({
  accountId: z.string(),
  accountNo: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  address: z.string(),
  meterId: z.string(),
  meterSerial: z.string(),
  stsMeterNo: z.string(),
  tariffCode: z.string(),
  status: z.enum(PREPAID_STATUSES),
  debt: z.number().int(),
  debtRecoveryBp: z.number().int(),
  credit: z.number().int(),
  emergencyOutstanding: z.number().int(),
  emergencyUnits: z.number(),
  /** The account’s own limit, else the branch setting. */
  dailyLimit: z.number().int(),
  vendedToday: z.number().int(),
  lastVendAt: z.string().nullable(),
  estimate: creditEstimateSchema,
  enrolledOn: z.string(),
  version: z.number().int(),
});
export type PrepaidAccount = z.infer<typeof prepaidAccountSchema>;

export const prepaidAccountsList = query({
  name: 'energy.prepaid.accounts.list',
  description: 'Prepaid accounts; lowCredit lists those estimated to run out within the set days, soonest first.',
  access: allow('energy.prepaid', 'view'),
  input: z.strictObject({ search: z.string().trim().max(80).optional(), lowCredit: z.boolean().optional(), ...pageInput }),
  output: page(prepaidAccountSchema),
});

export const prepaidAccountsGet = query({
  name: 'energy.prepaid.accounts.get',
  description: 'A prepaid account with its recent vends.',
  access: allow('energy.prepaid', 'view'),
  input: z.strictObject({ accountId: id }),
  output: z.object({ account: prepaidAccountSchema, vends: z.lazy(() => z.array(vendRowSchema)) }),
});

export const prepaidAccountsEnrol = mutation({
  name: 'energy.prepaid.accounts.enrol',
  description: 'Make an account prepaid on its installed meter, with any arrears to recover from its vends.',
  access: allow('energy.prepaid', 'admin'),
  input: z.strictObject({
    accountId: id,
    tariffCode: z.string().trim().min(2).max(20),
    debt: minorUnits.nonnegative().default(0),
    debtRecoveryBp: z.number().int().min(0).max(10_000).default(2500),
    dailyLimit: minorUnits.positive().optional(),
    enrolledOn: localDate,
  }),
  output: prepaidAccountSchema,
});

export const prepaidAccountsUpdate = mutation({
  name: 'energy.prepaid.accounts.update',
  description: 'Change a prepaid account’s recovery percentage, daily limit, tariff or status.',
  access: allow('energy.prepaid', 'edit'),
  input: z.strictObject({
    accountId: id,
    version,
    debtRecoveryBp: z.number().int().min(0).max(10_000).optional(),
    dailyLimit: minorUnits.positive().nullable().optional(),
    tariffCode: z.string().trim().min(2).max(20).optional(),
    status: z.enum(PREPAID_STATUSES).optional(),
    reason,
  }),
  output: prepaidAccountSchema,
});

/* ---------------- vends ---------------- */

export const vendSplitSchema = z.object({
  amount: z.number().int(),
  /** Credit left on the account by a reversed vend, added to what is paid now. */
  creditUsed: z.number().int(),
  debt: z.number().int(),
  serviceCharge: z.number().int(),
  serviceMonth: z.string().nullable(),
  emergencyRecovered: z.number().int(),
  tax: z.number().int(),
  value: z.number().int(),
  units: z.number(),
  tariffCode: z.string(),
  unit: z.string(),
});
export type VendSplit = z.infer<typeof vendSplitSchema>;

export const vendsPreview = query({
  name: 'energy.prepaid.vends.preview',
  description: 'How an amount would split and how many units it buys, and what the daily limit leaves; sells nothing.',
  access: allow('energy.prepaid', 'view'),
  input: z.strictObject({ accountId: id, amount: minorUnits.positive().max(100_000_000) }),
  output: z.object({ split: vendSplitSchema, debtAfter: z.number().int(), remainingToday: z.number().int() }),
});

export const VEND_STATUSES = ['completed', 'reversed'] as const;

export const vendReceiptSchema = z.object({
  vendId: z.string(),
  receiptNo: z.string(),
  kind: z.enum(['sale', 'emergency']),
  branchName: z.string(),
  at: z.string(),
  accountId: z.string(),
  accountNo: z.string(),
  accountName: z.string(),
  meterSerial: z.string(),
  stsMeterNo: z.string(),
  /** 20 digits in groups of four, as the customer keys it in. */
  token: z.string(),
  tokenId: z.number().int(),
  /** The token comes from the development generator (not STS-encrypted): never for real meters. */
  developmentToken: z.boolean(),
  tender: z.enum(['cash', 'card', 'cheque', 'transfer', 'none']),
  tendered: z.number().int(),
  change: z.number().int(),
  split: vendSplitSchema,
  debtAfter: z.number().int(),
  cashierName: z.string(),
  shiftNo: z.number().int(),
  reprints: z.number().int(),
  status: z.enum(VEND_STATUSES),
  version: z.number().int(),
});
export type VendReceipt = z.infer<typeof vendReceiptSchema>;

export const vendsCreate = mutation({
  name: 'energy.prepaid.vends.create',
  description: 'Sell prepaid credit in the open shift and issue the token. Idempotent on its key.',
  access: allow('energy.prepaid', 'create'),
  idempotent: true,
  input: z
    .strictObject({
      accountId: id,
      tender: tenderSchema,
      amount: minorUnits.positive().max(100_000_000),
      tendered: minorUnits.positive().max(100_000_000).optional(),
      reference: z.string().trim().max(60).optional(),
    })
    .refine((p) => p.tendered === undefined || p.tendered >= p.amount, { path: ['tendered'], message: 'Less than the amount paid' })
    .refine((p) => p.tender === 'cash' || p.tendered === undefined || p.tendered === p.amount, {
      path: ['tendered'],
      message: 'Only cash gives change',
    }),
  output: vendReceiptSchema,
});

export const emergencyIssue = mutation({
  name: 'energy.prepaid.emergency.issue',
  description: 'Issue emergency credit up to the set limit; it is recovered from the next vend. Idempotent on its key.',
  access: allow('energy.prepaid', 'create'),
  idempotent: true,
  input: z.strictObject({ accountId: id, amount: minorUnits.positive().max(10_000_000).optional() }),
  output: vendReceiptSchema,
});

export const vendsReprint = mutation({
  name: 'energy.prepaid.vends.reprint',
  description: 'Reprint a vend’s receipt and token; every reprint is logged.',
  access: allow('energy.prepaid', 'create'),
  input: z.strictObject({ id, reason: z.string().trim().max(200).optional() }),
  output: vendReceiptSchema,
});

export const vendsReverse = mutation({
  name: 'energy.prepaid.vends.reverse',
  description:
    'Reverse a vend. A token cannot be revoked at the meter: if it was loaded, its value becomes debt; the money paid is refunded or kept as credit. Approval-gated.',
  access: allow('energy.prepaid', 'void'),
  input: z.strictObject({
    id,
    version,
    tokenLoaded: z.boolean(),
    settlement: z.enum(['refund', 'credit']),
    reason,
  }),
  output: vendReceiptSchema,
});

export const vendRowSchema = z.object({
  id: z.string(),
  receiptNo: z.string(),
  kind: z.enum(['sale', 'emergency']),
  accountId: z.string(),
  accountNo: z.string(),
  accountName: z.string(),
  tender: z.string(),
  amount: z.number().int(),
  debt: z.number().int(),
  value: z.number().int(),
  units: z.number(),
  tariffCode: z.string(),
  token: z.string(),
  status: z.enum(VEND_STATUSES),
  cashierName: z.string(),
  shiftId: z.string(),
  reprints: z.number().int(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type VendRow = z.infer<typeof vendRowSchema>;

export const vendsList = query({
  name: 'energy.prepaid.vends.list',
  description: 'Vends, newest first.',
  access: allow('energy.prepaid', 'view'),
  input: z.strictObject({
    accountId: id.optional(),
    shiftId: id.optional(),
    status: z.enum(VEND_STATUSES).optional(),
    from: localDate.optional(),
    to: localDate.optional(),
    ...pageInput,
  }),
  output: page(vendRowSchema).extend({ totals: z.object({ amount: z.number().int(), units: z.number() }) }),
});

export const vendsGet = query({
  name: 'energy.prepaid.vends.get',
  description: 'A vend’s receipt as issued (reading it is not a reprint).',
  access: allow('energy.prepaid', 'view'),
  input: z.strictObject({ id }),
  output: vendReceiptSchema,
});

export const tokensDecode = query({
  name: 'energy.prepaid.tokens.decode',
  description: 'Decode a development token’s fields and check its CRC (support and testing).',
  access: allow('energy.prepaid', 'view'),
  input: z.strictObject({ token: z.string().trim().max(40) }),
  output: z.object({
    valid: z.boolean(),
    tokenClass: z.number().int(),
    subclass: z.number().int(),
    random: z.number().int(),
    tokenId: z.number().int(),
    issuedAt: z.string(),
    units: z.number(),
    crc: z.number().int(),
  }),
});

/* ---------------- report ---------------- */

export const PREPAID_GROUPS = ['period', 'tariff', 'cashier'] as const;

export const prepaidReportInput = z.strictObject({
  period: z.enum(REPORT_PERIODS).default('day'),
  from: localDate,
  to: localDate,
  groupBy: z.enum(PREPAID_GROUPS).default('period'),
  tariffCode: z.string().max(20).optional(),
  cashierId: id.optional(),
});

export const prepaidReportRow = z.object({
  key: z.string(),
  label: z.string(),
  vends: z.number().int(),
  amount: z.number().int(),
  units: z.number(),
  debtRecovered: z.number().int(),
  serviceCharges: z.number().int(),
  tax: z.number().int(),
  value: z.number().int(),
  emergencyIssued: z.number().int(),
  reversals: z.number().int(),
});
export type PrepaidReportRow = z.infer<typeof prepaidReportRow>;

export const prepaidReport = query({
  name: 'energy.prepaid.report',
  description: 'Vends and units by day, week or month (branch time zone), product or cashier; debt recovered; emergency credit outstanding now.',
  access: allow('energy.prepaid', 'view'),
  input: prepaidReportInput,
  output: z.object({
    rows: z.array(prepaidReportRow),
    totals: prepaidReportRow,
    emergencyOutstanding: z.number().int(),
    debtOutstanding: z.number().int(),
  }),
});

export const prepaidExport = mutation({
  name: 'energy.prepaid.export',
  description: 'Export the prepaid report and its vends to Excel (or the vends to CSV) as a job.',
  access: allow('energy.prepaid', 'export'),
  input: prepaidReportInput.extend({ format: z.enum(['xlsx', 'csv']).default('xlsx') }),
  output: z.object({ jobId: z.string() }),
});

export const prepaidContracts = [
  prepaidAccountsList,
  prepaidAccountsGet,
  prepaidAccountsEnrol,
  prepaidAccountsUpdate,
  vendsPreview,
  vendsCreate,
  emergencyIssue,
  vendsReprint,
  vendsReverse,
  vendsList,
  vendsGet,
  tokensDecode,
  prepaidReport,
  prepaidExport,
] as const;
