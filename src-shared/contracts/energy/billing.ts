import { z } from 'zod';
import { allow, id, localDate, minorUnits, mutation, page, pageInput, query, reason, version } from '../../rpc';
import { REPORT_PERIODS } from './meter-readings';

/**
 * Utility billing cycles: tariffs (versioned by effective date), billing cycles and their calendar,
 * billing runs (trial → post, as jobs), bills and credit notes (cancel/rebill), the report.
 * Money is integer minor units; tier rates are minor units per unit and may carry decimals
 * (R2.1543/kWh = 215.43), because a bill is rounded once, at the end.
 */

export const TARIFF_KINDS = ['postpaid', 'prepaid'] as const;
export type TariffKind = (typeof TARIFF_KINDS)[number];

export const PRICING_MODES = {
  graduated: 'Graduated: each tier’s units at that tier’s rate',
  volume: 'All units at the rate of the tier reached',
} as const;
export type PricingMode = keyof typeof PRICING_MODES;
export const pricingModeSchema = z.enum(Object.keys(PRICING_MODES) as [PricingMode, ...PricingMode[]]);

export const tierSchema = z.strictObject({
  /** Upper bound of the block in units for a full period; null = no upper bound (the last tier). */
  upTo: z.number().positive().max(1e9).nullable(),
  /** Minor units per unit, up to four decimals. */
  rate: z.number().nonnegative().max(1_000_000),
});
export type Tier = z.infer<typeof tierSchema>;

const tiersSchema = z
  .array(tierSchema)
  .min(1, 'Add at least one tier')
  .max(12)
  .refine((tiers) => tiers.at(-1)?.upTo === null, { message: 'The last tier has no upper bound' })
  .refine((tiers) => tiers.slice(0, -1).every((t, i) => t.upTo !== null && (i === 0 || t.upTo > (tiers[i - 1]!.upTo ?? 0))), {
    message: 'Tier bounds must rise, and only the last tier may be open-ended',
  });

export const tariffTerms = {
  name: z.string().trim().min(2).max(80),
  effectiveFrom: localDate,
  fixedCharge: minorUnits.nonnegative(),
  pricingMode: pricingModeSchema.default('graduated'),
  tiers: tiersSchema,
  minimumCharge: minorUnits.nonnegative().default(0),
  /** Basis points: 1500 = 15%. */
  taxRateBp: z.number().int().min(0).max(10_000).default(0),
  unit: z.string().trim().min(1).max(10).default('kWh'),
};

export const tariffSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(TARIFF_KINDS),
  category: z.string(),
  effectiveFrom: z.string(),
  /** The version that applies today (the latest one in effect). */
  current: z.boolean(),
  fixedCharge: z.number().int(),
  pricingMode: pricingModeSchema,
  tiers: z.array(z.object({ upTo: z.number().nullable(), rate: z.number() })),
  minimumCharge: z.number().int(),
  taxRateBp: z.number().int(),
  unit: z.string(),
  createdByName: z.string(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type Tariff = z.infer<typeof tariffSchema>;

export const tariffsList = query({
  name: 'energy.billing.tariffs.list',
  description: 'Tariffs with every version, newest first; `current` marks the version in effect today.',
  access: allow('energy.billing', 'view'),
  input: z.strictObject({ kind: z.enum(TARIFF_KINDS).optional(), code: z.string().max(20).optional() }),
  output: z.array(tariffSchema),
});

export const tariffsCreate = mutation({
  name: 'energy.billing.tariffs.create',
  description: 'Create a tariff for a category (postpaid) or a prepaid product. Approval-gated.',
  access: allow('energy.billing', 'create'),
  input: z.strictObject({
    code: z.string().trim().min(2).max(20).regex(/^[A-Za-z0-9-]+$/, 'Letters, digits and dashes only'),
    kind: z.enum(TARIFF_KINDS).default('postpaid'),
    category: z.string().trim().min(2).max(40),
    ...tariffTerms,
  }),
  output: tariffSchema,
});

export const tariffsRevise = mutation({
  name: 'energy.billing.tariffs.revise',
  description: 'A new version of a tariff from an effective date; bills split their period at the change. Approval-gated.',
  access: allow('energy.billing', 'edit'),
  input: z.strictObject({ code: z.string().trim().min(2).max(20), ...tariffTerms }),
  output: tariffSchema,
});

export const chargeLineSchema = z.object({
  kind: z.enum(['fixed', 'energy', 'minimum', 'tax', 'rounding']),
  label: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  quantity: z.number().nullable(),
  rate: z.number().nullable(),
  /** Shown to the cent; the bill total is rounded once from the exact figures. */
  amount: z.number().int(),
  exact: z.number(),
});
export type ChargeLine = z.infer<typeof chargeLineSchema>;

export const chargeSchema = z.object({
  lines: z.array(chargeLineSchema),
  subtotal: z.number().int(),
  tax: z.number().int(),
  total: z.number().int(),
  exactTotal: z.number(),
});

export const tariffsPreview = query({
  name: 'energy.billing.tariffs.preview',
  description: 'What a consumption costs under tariff terms, for a full or partial period; saves nothing.',
  access: allow('energy.billing', 'view'),
  input: z.strictObject({
    pricingMode: pricingModeSchema.default('graduated'),
    fixedCharge: minorUnits.nonnegative(),
    tiers: tiersSchema,
    minimumCharge: minorUnits.nonnegative().default(0),
    taxRateBp: z.number().int().min(0).max(10_000).default(0),
    consumption: z.number().nonnegative().max(1e9),
    periodStart: localDate.optional(),
    periodEnd: localDate.optional(),
    billedFrom: localDate.optional(),
    billedTo: localDate.optional(),
  }),
  output: chargeSchema,
});

/* ---------------- cycles ---------------- */

export const cycleSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  closeDay: z.number().int(),
  accountCount: z.number().int(),
  /** The latest period of the cycle that has closed, and whether a posted run billed it. */
  lastClosedPeriodEnd: z.string(),
  lastClosedBilled: z.boolean(),
  version: z.number().int(),
});
export type Cycle = z.infer<typeof cycleSchema>;

export const cyclesList = query({
  name: 'energy.billing.cycles.list',
  description: 'Billing cycles with their account counts and the latest closed period.',
  access: allow('energy.billing', 'view'),
  input: z.strictObject({}),
  output: z.array(cycleSchema),
});

export const cyclesCreate = mutation({
  name: 'energy.billing.cycles.create',
  description: 'Create a billing cycle whose periods close on a day of every month.',
  access: allow('energy.billing', 'admin'),
  input: z.strictObject({
    code: z.string().trim().min(1).max(20),
    name: z.string().trim().min(2).max(80),
    closeDay: z.number().int().min(1).max(28),
  }),
  output: cycleSchema,
});

export const calendarPeriodSchema = z.object({
  periodStart: z.string(),
  periodEnd: z.string(),
  closed: z.boolean(),
  runId: z.string().nullable(),
  runStatus: z.string().nullable(),
});

export const cyclesCalendar = query({
  name: 'energy.billing.cycles.calendar',
  description: 'A cycle’s periods around a date: when each closes and which run billed it.',
  access: allow('energy.billing', 'view'),
  input: z.strictObject({ id, around: localDate.optional() }),
  output: z.object({ cycle: cycleSchema, periods: z.array(calendarPeriodSchema) }),
});

export const billingAccountSchema = z.object({
  accountId: z.string(),
  cycleId: z.string(),
  cycleCode: z.string(),
  billingStart: z.string(),
  billingEnd: z.string().nullable(),
  version: z.number().int(),
});

export const billingAccountsAssign = mutation({
  name: 'energy.billing.accounts.assign',
  description: 'Put an account on a billing cycle from a start date (and, when it closes, an end date).',
  access: allow('energy.billing', 'edit'),
  input: z
    .strictObject({
      accountId: id,
      cycleId: id,
      billingStart: localDate,
      billingEnd: localDate.nullable().optional(),
      /** The current version when the account is already on a cycle. */
      version: version.optional(),
    })
    .refine((a) => !a.billingEnd || a.billingEnd >= a.billingStart, { path: ['billingEnd'], message: 'The end is before the start' }),
  output: billingAccountSchema,
});

/* ---------------- runs ---------------- */

export const BILL_EXCEPTIONS = {
  MISSING_READ: 'No billable reading in the period: the bill is held',
  ESTIMATED_READ: 'Billed on an estimated reading',
  HIGH_BILL: 'Bill above the last period by more than the set percentage',
  LOW_BILL: 'Bill below the last period by more than the set percentage',
  ZERO_CONSUMPTION: 'No consumption in the period',
  NO_TARIFF: 'No tariff in effect for the account’s category: the bill is held',
} as const;
export type BillExceptionCode = keyof typeof BILL_EXCEPTIONS;
export const billExceptionCodeSchema = z.enum(Object.keys(BILL_EXCEPTIONS) as [BillExceptionCode, ...BillExceptionCode[]]);
export const billExceptionSchema = z.object({ code: billExceptionCodeSchema, message: z.string() });

export const RUN_STATUSES = ['trial_running', 'trial', 'posting', 'posted', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const runSchema = z.object({
  id: z.string(),
  cycleId: z.string(),
  cycleCode: z.string(),
  cycleName: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  status: z.enum(RUN_STATUSES),
  /** Its job stopped (crash, cancel) while the run was still working: discard it or post again. */
  interrupted: z.boolean(),
  jobId: z.string().nullable(),
  accountsCount: z.number().int(),
  billsCount: z.number().int(),
  heldCount: z.number().int(),
  exceptionsCount: z.number().int(),
  total: z.number().int(),
  consumption: z.number(),
  firstBillNo: z.string().nullable(),
  lastBillNo: z.string().nullable(),
  cancelReason: z.string().nullable(),
  createdByName: z.string(),
  createdAt: z.string(),
  postedByName: z.string().nullable(),
  postedAt: z.string().nullable(),
  version: z.number().int(),
});
export type BillingRun = z.infer<typeof runSchema>;

export const runsList = query({
  name: 'energy.billing.runs.list',
  description: 'Billing runs, newest first.',
  access: allow('energy.billing', 'view'),
  input: z.strictObject({ status: z.enum(RUN_STATUSES).optional(), cycleId: id.optional(), ...pageInput }),
  output: page(runSchema),
});

export const runsGet = query({
  name: 'energy.billing.runs.get',
  description: 'A run with its exception counts by type.',
  access: allow('energy.billing', 'view'),
  input: z.strictObject({ id }),
  output: z.object({ run: runSchema, exceptions: z.array(z.object({ code: billExceptionCodeSchema, count: z.number().int() })) }),
});

export const runsCreate = mutation({
  name: 'energy.billing.runs.create',
  description: 'Start a trial run for a closed period of a cycle: draft bills and an exception list, as a job.',
  access: allow('energy.billing', 'create'),
  input: z.strictObject({ cycleId: id, periodEnd: localDate }),
  output: runSchema,
});

export const runsPost = mutation({
  name: 'energy.billing.runs.post',
  description: 'Post a reviewed trial: bills freeze and get gap-free numbers, as a job. Approval-gated above a size or amount.',
  access: allow('energy.billing', 'post'),
  input: z.strictObject({ id, version }),
  output: runSchema,
});

export const runsDiscard = mutation({
  name: 'energy.billing.runs.discard',
  description: 'Discard a trial (or an interrupted run): its draft bills are deleted, nothing was posted.',
  access: allow('energy.billing', 'create'),
  input: z.strictObject({ id, version, reason }),
  output: runSchema,
});

/* The run jobs' steps: in-process only, each one transaction through the pipeline. */
const chunkResult = z.object({ processed: z.number().int(), lastAccountId: z.string().nullable(), done: z.boolean() });

export const runsTrialChunk = mutation({
  name: 'energy.billing.runs.trialChunk',
  description: 'Draft the bills of the next accounts of a trial run.',
  access: allow('energy.billing', 'create'),
  internal: true,
  /** `after`: the last account id of the previous chunk (the cycle index walks accounts by id). */
  input: z.strictObject({ runId: id, after: z.string().max(60).nullable(), limit: z.number().int().min(1).max(5000) }),
  output: chunkResult,
});

export const runsTrialFinish = mutation({
  name: 'energy.billing.runs.trialFinish',
  description: 'Close a trial run: totals and exception counts; it is ready for review.',
  access: allow('energy.billing', 'create'),
  internal: true,
  input: z.strictObject({ runId: id }),
  output: runSchema,
});

export const runsPostCommit = mutation({
  name: 'energy.billing.runs.postCommit',
  description: 'Number and freeze every draft bill of a run in one transaction.',
  access: allow('energy.billing', 'post'),
  internal: true,
  input: z.strictObject({ runId: id }),
  output: runSchema,
});

export const runsAbort = mutation({
  name: 'energy.billing.runs.abort',
  description: 'A run job stopped early: a trial is discarded, a post goes back to trial.',
  access: allow('energy.billing', 'create'),
  internal: true,
  input: z.strictObject({ runId: id, reason: z.string().max(300) }),
  output: runSchema,
});

/* ---------------- bills ---------------- */

export const BILL_STATUSES = ['draft', 'held', 'posted', 'cancelled'] as const;
export const BILL_KINDS = ['bill', 'credit_note'] as const;

export const billSchema = z.object({
  id: z.string(),
  kind: z.enum(BILL_KINDS),
  runId: z.string().nullable(),
  accountId: z.string(),
  accountNo: z.string(),
  accountName: z.string(),
  address: z.string(),
  status: z.enum(BILL_STATUSES),
  billNo: z.string().nullable(),
  periodStart: z.string(),
  periodEnd: z.string(),
  billedFrom: z.string(),
  billedTo: z.string(),
  issueDate: z.string().nullable(),
  dueDate: z.string().nullable(),
  category: z.string(),
  previousReadDate: z.string().nullable(),
  previousReadValue: z.number().int().nullable(),
  currentReadDate: z.string().nullable(),
  currentReadValue: z.number().int().nullable(),
  consumption: z.number(),
  estimated: z.boolean(),
  subtotal: z.number().int(),
  tax: z.number().int(),
  total: z.number().int(),
  open: z.number().int(),
  lines: z.array(chargeLineSchema),
  exceptions: z.array(billExceptionSchema),
  cancelsBillId: z.string().nullable(),
  replacesBillId: z.string().nullable(),
  replacedByBillId: z.string().nullable(),
  creditNoteId: z.string().nullable(),
  reason: z.string().nullable(),
  createdAt: z.string(),
  postedAt: z.string().nullable(),
  version: z.number().int(),
});
export type Bill = z.infer<typeof billSchema>;

export const billFilters = {
  runId: id.optional(),
  accountId: id.optional(),
  status: z.enum(BILL_STATUSES).optional(),
  kind: z.enum(BILL_KINDS).optional(),
  exception: billExceptionCodeSchema.optional(),
  search: z.string().trim().max(80).optional(),
};

export const billsList = query({
  name: 'energy.billing.bills.list',
  description: 'Bills and credit notes, filterable; a run’s exception list is runId + exception.',
  access: allow('energy.billing', 'view'),
  input: z.strictObject({ ...billFilters, ...pageInput }),
  output: page(billSchema).extend({ totals: z.object({ amount: z.number().int(), consumption: z.number() }) }),
});

export const billHistoryPoint = z.object({
  billNo: z.string().nullable(),
  periodEnd: z.string(),
  consumption: z.number(),
  total: z.number().int(),
  estimated: z.boolean(),
});

export const billsGet = query({
  name: 'energy.billing.bills.get',
  description: 'A bill or credit note for screen and print: charges, the documents it is linked to, consumption history.',
  access: allow('energy.billing', 'view'),
  input: z.strictObject({ id }),
  output: z.object({
    bill: billSchema,
    related: z.array(billSchema),
    history: z.array(billHistoryPoint),
    branchName: z.string(),
  }),
});

export const billsCancelRebill = mutation({
  name: 'energy.billing.bills.cancelRebill',
  description:
    'A posted bill is never edited: a credit note cancels it and a new bill replaces it, both linked. Approval-gated. Without a consumption the rebill is recomputed from the readings and tariffs as they stand.',
  access: allow('energy.billing', 'void'),
  input: z.strictObject({ id, version, reason, consumption: z.number().nonnegative().max(1e9).optional() }),
  output: z.object({ creditNote: billSchema, bill: billSchema }),
});

/* ---------------- report ---------------- */

export const BILLING_GROUPS = ['period', 'category', 'cycle', 'exception'] as const;

export const billingReportInput = z.strictObject({
  period: z.enum(REPORT_PERIODS).default('month'),
  from: localDate,
  to: localDate,
  groupBy: z.enum(BILLING_GROUPS).default('period'),
  cycleId: id.optional(),
  category: z.string().max(40).optional(),
});

export const billingReportRow = z.object({
  key: z.string(),
  label: z.string(),
  bills: z.number().int(),
  consumption: z.number(),
  amount: z.number().int(),
  tax: z.number().int(),
  estimated: z.number().int(),
  exceptions: z.number().int(),
  creditNotes: z.number().int(),
  credited: z.number().int(),
});
export type BillingReportRow = z.infer<typeof billingReportRow>;

export const billingReport = query({
  name: 'energy.billing.report',
  description: 'Posted bills by day, week or month (branch time zone), tariff category, cycle or exception type, with cancel/rebills.',
  access: allow('energy.billing', 'view'),
  input: billingReportInput,
  output: z.object({ rows: z.array(billingReportRow), totals: billingReportRow }),
});

export const billingExport = mutation({
  name: 'energy.billing.export',
  description: 'Export the billing report and its bills to Excel (or the bills to CSV) as a job.',
  access: allow('energy.billing', 'export'),
  input: billingReportInput.extend({ format: z.enum(['xlsx', 'csv']).default('xlsx') }),
  output: z.object({ jobId: z.string() }),
});

export const billingContracts = [
  tariffsList,
  tariffsCreate,
  tariffsRevise,
  tariffsPreview,
  cyclesList,
  cyclesCreate,
  cyclesCalendar,
  billingAccountsAssign,
  runsList,
  runsGet,
  runsCreate,
  runsPost,
  runsDiscard,
  runsTrialChunk,
  runsTrialFinish,
  runsPostCommit,
  runsAbort,
  billsList,
  billsGet,
  billsCancelRebill,
  billingReport,
  billingExport,
] as const;
