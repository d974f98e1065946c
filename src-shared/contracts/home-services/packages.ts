import { z } from 'zod';
import { allow, id, localDate, minorUnits, mutation, page, pageInput, query, reason, version } from '../../rpc';
import { tenderSchema } from '../energy/counter';

/**
 * Service package billing: package types (services × sessions, or a shared pool; price; validity
 * from purchase, from first use or to a fixed date; a purchase limit per customer) whose terms
 * freeze with the first sale; sale at the counter inside the cashier's shift; redemption when a
 * visit completes (and, where the terms say so, for a late cancellation or a no-show), the credit
 * closest to expiry first; freeze, extension, refund by sessions used and transfer, each approved
 * by a supervisor; breakage of what expired unused. Reports run through the report engine.
 */

export const POOL_KINDS = { per_service: 'Sessions per service', shared_pool: 'Shared pool of sessions' } as const;
export type PoolKind = keyof typeof POOL_KINDS;
export const poolKindSchema = z.enum(Object.keys(POOL_KINDS) as [PoolKind, ...PoolKind[]]);

export const VALIDITY_KINDS = {
  days_from_purchase: 'Days from purchase',
  days_from_first_use: 'Days from first use',
  fixed_date: 'Until a fixed date',
} as const;
export type ValidityKind = keyof typeof VALIDITY_KINDS;
export const validityKindSchema = z.enum(Object.keys(VALIDITY_KINDS) as [ValidityKind, ...ValidityKind[]]);

export const PACKAGE_TYPE_STATUSES = { on_sale: 'On sale', withdrawn: 'Withdrawn' } as const;
export type PackageTypeStatus = keyof typeof PACKAGE_TYPE_STATUSES;

/** expired/used_up: nothing left to use; refunded/transferred: closed by an approved action. */
export const HOLDING_STATUSES = {
  active: 'Active',
  expired: 'Expired',
  used_up: 'Used up',
  refunded: 'Refunded',
  transferred: 'Transferred',
} as const;
export type HoldingStatus = keyof typeof HOLDING_STATUSES;
export const holdingStatusSchema = z.enum(Object.keys(HOLDING_STATUSES) as [HoldingStatus, ...HoldingStatus[]]);

export const REDEMPTION_REASONS = { visit: 'Visit completed', late_cancel: 'Late cancellation', no_show: 'No-show' } as const;
export type RedemptionReason = keyof typeof REDEMPTION_REASONS;
export const REDEMPTION_OUTCOMES = ['redeemed', 'refused'] as const;

/** Counter transaction types this function adds to the X/Z reports. */
export const PACKAGE_TRANSACTION_TYPES = { package_sale: 'Package sales', package_refund: 'Package refunds' } as const;

/* ---------------- package types ---------------- */

export const packageTypeServiceSchema = z.object({
  serviceId: z.string(),
  serviceSku: z.string(),
  serviceName: z.string(),
  priceMinor: z.number().int(),
  /** Sessions of this service; null in a shared pool. */
  sessions: z.number().int().nullable(),
});

export const packageTypeSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  priceMinor: z.number().int(),
  poolKind: poolKindSchema,
  poolSessions: z.number().int().nullable(),
  sessionsTotal: z.number().int(),
  services: z.array(packageTypeServiceSchema),
  validityKind: validityKindSchema,
  validityDays: z.number().int().nullable(),
  validUntil: z.string().nullable(),
  purchaseLimit: z.number().int().nullable(),
  lateCancelConsumes: z.boolean(),
  noShowConsumes: z.boolean(),
  status: z.enum(Object.keys(PACKAGE_TYPE_STATUSES) as [PackageTypeStatus, ...PackageTypeStatus[]]),
  /** When the terms froze (the first sale); null while they may still change. */
  firstSoldAt: z.string().nullable(),
  soldCount: z.number().int(),
  version: z.number().int(),
});
export type PackageType = z.infer<typeof packageTypeSchema>;

const packageTypeFields = z.strictObject({
  name: z.string().trim().min(2).max(80),
  description: z.string().trim().max(300).optional(),
  priceMinor: minorUnits.nonnegative().max(100_000_000),
  poolKind: poolKindSchema,
  /** Shared pool: how many sessions in all. */
  poolSessions: z.number().int().min(1).max(500).optional(),
  services: z
    .array(z.strictObject({ serviceId: id, sessions: z.number().int().min(1).max(500).optional() }))
    .min(1, 'Choose at least one service')
    .max(20)
    .refine((s) => new Set(s.map((x) => x.serviceId)).size === s.length, 'Each service once'),
  validityKind: validityKindSchema,
  validityDays: z.number().int().min(1).max(3650).optional(),
  validUntil: localDate.optional(),
  purchaseLimit: z.number().int().min(1).max(100).optional(),
  lateCancelConsumes: z.boolean().default(false),
  noShowConsumes: z.boolean().default(false),
});

/** The shape rules every create and edit must pass, as field errors. */
function checkTerms(t: z.infer<typeof packageTypeFields>, ctx: z.RefinementCtx): void {
  if (t.poolKind === 'shared_pool' && t.poolSessions === undefined) ctx.addIssue({ code: 'custom', path: ['poolSessions'], message: 'How many sessions does the pool hold?' });
  if (t.poolKind === 'per_service' && t.poolSessions !== undefined) ctx.addIssue({ code: 'custom', path: ['poolSessions'], message: 'Only a shared pool has a pool size' });
  t.services.forEach((s, i) => {
    if (t.poolKind === 'per_service' && s.sessions === undefined) ctx.addIssue({ code: 'custom', path: ['services', i, 'sessions'], message: 'How many sessions of this service?' });
    if (t.poolKind === 'shared_pool' && s.sessions !== undefined) ctx.addIssue({ code: 'custom', path: ['services', i, 'sessions'], message: 'A shared pool counts sessions in the pool, not per service' });
  });
  if (t.validityKind === 'fixed_date') {
    if (!t.validUntil) ctx.addIssue({ code: 'custom', path: ['validUntil'], message: 'Until which date?' });
    if (t.validityDays !== undefined) ctx.addIssue({ code: 'custom', path: ['validityDays'], message: 'A fixed date needs no number of days' });
  } else {
    if (t.validityDays === undefined) ctx.addIssue({ code: 'custom', path: ['validityDays'], message: 'For how many days?' });
    if (t.validUntil !== undefined) ctx.addIssue({ code: 'custom', path: ['validUntil'], message: 'Only a fixed-date package has an end date' });
  }
}

export const packageTypeCreateInput = packageTypeFields
  .extend({ code: z.string().trim().toUpperCase().min(2).max(20).regex(/^[A-Z0-9-]+$/, 'Use letters, digits and dashes') })
  .superRefine(checkTerms);

export const packageTypeUpdateInput = packageTypeFields.extend({ id, version }).superRefine(checkTerms);

export const typesList = query({
  name: 'homeServices.packages.types.list',
  description: 'Package types: services and sessions, price, validity, limit, and whether their terms are frozen.',
  access: allow('homeServices.packages', 'view'),
  input: z.strictObject({ status: z.enum(['on_sale', 'withdrawn']).optional(), search: z.string().trim().max(80).optional() }),
  output: z.array(packageTypeSchema),
});

export const typesGet = query({
  name: 'homeServices.packages.types.get',
  description: 'One package type.',
  access: allow('homeServices.packages', 'view'),
  input: z.strictObject({ id }),
  output: packageTypeSchema,
});

export const typesCreate = mutation({
  name: 'homeServices.packages.types.create',
  description: 'Put a new package on sale.',
  access: allow('homeServices.packages', 'edit'),
  input: packageTypeCreateInput,
  output: packageTypeSchema,
});

export const typesUpdate = mutation({
  name: 'homeServices.packages.types.update',
  description: 'Change a package’s terms. Refused once it has been sold: the terms customers bought are frozen; put a new package on sale instead.',
  access: allow('homeServices.packages', 'edit'),
  input: packageTypeUpdateInput,
  output: packageTypeSchema,
});

export const typesSetStatus = mutation({
  name: 'homeServices.packages.types.setStatus',
  description: 'Withdraw a package from sale (packages already sold stay valid), or put it back on sale.',
  access: allow('homeServices.packages', 'edit'),
  input: z.strictObject({ id, version, status: z.enum(['on_sale', 'withdrawn']) }),
  output: packageTypeSchema,
});

/* ---------------- customers at the counter ---------------- */

export const customerHitSchema = z.object({
  customerId: z.string(),
  customerNo: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  address: z.string(),
  activePackages: z.number().int(),
  /** Subscription invoices owed (0 when none). */
  owed: z.number().int(),
});
export type CustomerHit = z.infer<typeof customerHitSchema>;

export const customersFind = query({
  name: 'homeServices.packages.customers.find',
  description: 'Find a customer at the counter: exact customer number first, then number and phone prefixes, then names.',
  access: allow('homeServices.packages', 'view'),
  input: z.strictObject({ query: z.string().trim().min(1).max(80), limit: z.number().int().min(1).max(50).default(10) }),
  output: z.array(customerHitSchema),
});

export const balanceSchema = z.object({
  id: z.string(),
  /** null: the shared pool. */
  serviceId: z.string().nullable(),
  label: z.string(),
  sessionsTotal: z.number().int(),
  sessionsUsed: z.number().int(),
  remaining: z.number().int(),
});

export const holdingSchema = z.object({
  id: z.string(),
  holdingNo: z.string(),
  packageTypeId: z.string(),
  name: z.string(),
  customerId: z.string(),
  customerNo: z.string(),
  customerName: z.string(),
  priceMinor: z.number().int(),
  sessionsTotal: z.number().int(),
  sessionsUsed: z.number().int(),
  sessionsRemaining: z.number().int(),
  /** Remaining sessions at the package rate: what the branch still owes in service. */
  liabilityMinor: z.number().int(),
  /** As stored, with "expired" also for an active package whose last day has passed. */
  status: holdingStatusSchema,
  frozenNow: z.boolean(),
  frozenFrom: z.string().nullable(),
  frozenUntil: z.string().nullable(),
  purchasedAt: z.string(),
  purchasedOn: z.string(),
  firstUsedOn: z.string().nullable(),
  /** Last day of use; null for a first-use package not used yet. */
  expiresOn: z.string().nullable(),
  validityKind: validityKindSchema,
  validityDays: z.number().int().nullable(),
  source: z.enum(['sale', 'transfer']),
  transferredFromId: z.string().nullable(),
  transferredToId: z.string().nullable(),
  receiptNo: z.string().nullable(),
  refundMinor: z.number().int().nullable(),
  breakageSessions: z.number().int().nullable(),
  breakageMinor: z.number().int().nullable(),
  balances: z.array(balanceSchema),
  version: z.number().int(),
});
export type Holding = z.infer<typeof holdingSchema>;

export const redemptionSchema = z.object({
  id: z.string(),
  outcome: z.enum(REDEMPTION_OUTCOMES),
  reason: z.enum(Object.keys(REDEMPTION_REASONS) as [RedemptionReason, ...RedemptionReason[]]),
  holdingId: z.string().nullable(),
  holdingNo: z.string().nullable(),
  packageName: z.string().nullable(),
  customerId: z.string(),
  customerNo: z.string(),
  customerName: z.string(),
  serviceId: z.string(),
  serviceName: z.string(),
  appointmentId: z.string(),
  appointmentNumber: z.string(),
  visitId: z.string().nullable(),
  sessions: z.number().int(),
  valueMinor: z.number().int(),
  refusalRule: z.string().nullable(),
  message: z.string().nullable(),
  at: z.string(),
  localDate: z.string(),
});
export type Redemption = z.infer<typeof redemptionSchema>;

export const customerPackagesSchema = z.object({
  customer: z.object({ id: z.string(), customerNo: z.string(), name: z.string(), phone: z.string().nullable(), address: z.string(), email: z.string().nullable() }),
  holdings: z.array(holdingSchema),
  redemptions: z.array(redemptionSchema),
  totals: z.object({ sessionsRemaining: z.number().int(), liabilityMinor: z.number().int() }),
});
export type CustomerPackages = z.infer<typeof customerPackagesSchema>;

export const customerPackages = query({
  name: 'homeServices.packages.customers.packages',
  description: 'A customer’s packages: what they hold, what is left, when it expires, and every redemption with its visit.',
  access: allow('homeServices.packages', 'view'),
  input: z.strictObject({ customerId: id }),
  output: customerPackagesSchema,
});

/* ---------------- sale ---------------- */

export const saleReceiptSchema = z.object({
  holdingId: z.string(),
  holdingNo: z.string(),
  receiptNo: z.string(),
  branchName: z.string(),
  at: z.string(),
  customerNo: z.string(),
  customerName: z.string(),
  packageName: z.string(),
  lines: z.array(z.object({ label: z.string(), sessions: z.number().int() })),
  expiresOn: z.string().nullable(),
  validity: z.string(),
  tender: tenderSchema,
  reference: z.string().nullable(),
  amount: z.number().int(),
  tendered: z.number().int(),
  change: z.number().int(),
  cashierName: z.string(),
  shiftNo: z.number().int(),
});
export type SaleReceipt = z.infer<typeof saleReceiptSchema>;

export const sell = mutation({
  name: 'homeServices.packages.sell',
  description:
    'Sell a package at the counter in the open shift: the customer pays its price (change for cash), the terms freeze, the receipt prints. Idempotent on its key.',
  access: allow('homeServices.packages', 'create'),
  idempotent: true,
  input: z
    .strictObject({
      customerId: id,
      packageTypeId: id,
      tender: tenderSchema,
      tendered: minorUnits.positive().max(100_000_000).optional(),
      reference: z.string().trim().max(60).optional(),
    })
    .refine((p) => p.tender === 'cash' || p.tendered === undefined, { path: ['tendered'], message: 'Only cash gives change' })
    .refine((p) => !(p.tender === 'cheque' || p.tender === 'transfer') || (p.reference ?? '').length > 0, {
      path: ['reference'],
      message: 'Enter the cheque or transfer reference',
    }),
  output: saleReceiptSchema,
});

export const receiptGet = query({
  name: 'homeServices.packages.receipt',
  description: 'A package sale’s receipt, for reprint.',
  access: allow('homeServices.packages', 'view'),
  input: z.strictObject({ holdingId: id }),
  output: saleReceiptSchema,
});

/* ---------------- holdings ---------------- */

export const holdingsList = query({
  name: 'homeServices.packages.holdings.list',
  description: 'Packages held by customers, newest sale first.',
  access: allow('homeServices.packages', 'view'),
  input: z.strictObject({
    customerId: id.optional(),
    packageTypeId: id.optional(),
    status: holdingStatusSchema.optional(),
    /** Active packages whose last day is on or before this date. */
    expiringBy: localDate.optional(),
    search: z.string().trim().max(80).optional(),
    ...pageInput,
  }),
  output: page(holdingSchema).extend({ totals: z.object({ sessionsRemaining: z.number().int(), liabilityMinor: z.number().int() }) }),
});

export const holdingsGet = query({
  name: 'homeServices.packages.holdings.get',
  description: 'One package a customer holds, with its balances and every redemption.',
  access: allow('homeServices.packages', 'view'),
  input: z.strictObject({ id }),
  output: z.object({ holding: holdingSchema, redemptions: z.array(redemptionSchema), refundQuote: z.number().int() }),
});

export const holdingsFreeze = mutation({
  name: 'homeServices.packages.holdings.freeze',
  description: 'Freeze a package for a while (illness, travel): no redemptions meanwhile, and the expiry moves by the frozen days. Approval-gated.',
  access: allow('homeServices.packages', 'submit'),
  input: z
    .strictObject({ id, version, from: localDate, until: localDate, reason })
    .refine((f) => f.from <= f.until, { path: ['until'], message: 'The end is before the start' }),
  output: holdingSchema,
});

export const holdingsExtend = mutation({
  name: 'homeServices.packages.holdings.extend',
  description: 'Give a package a later last day. Approval-gated.',
  access: allow('homeServices.packages', 'submit'),
  input: z.strictObject({ id, version, expiresOn: localDate, reason }),
  output: holdingSchema,
});

export const refundReceiptSchema = z.object({
  holding: holdingSchema,
  receiptNo: z.string(),
  amount: z.number().int(),
  sessionsUsed: z.number().int(),
  basis: z.enum(['package_rate', 'list_price']),
  tender: tenderSchema,
  shiftNo: z.number().int(),
  cashierName: z.string(),
});

export const holdingsRefund = mutation({
  name: 'homeServices.packages.holdings.refund',
  description:
    'Refund a package by the sessions used: the price less the used sessions (at the package rate, or at list price per the branch setting), paid out in the open shift. Approval-gated.',
  access: allow('homeServices.packages', 'submit'),
  input: z.strictObject({ id, version, tender: tenderSchema, reason }),
  output: refundReceiptSchema,
});

export const holdingsTransfer = mutation({
  name: 'homeServices.packages.holdings.transfer',
  description: 'Move what is left of a package to another customer (same services, same expiry). Approval-gated.',
  access: allow('homeServices.packages', 'submit'),
  input: z.strictObject({ id, version, toCustomerId: id, reason }),
  output: z.object({ from: holdingSchema, to: holdingSchema }),
});

export const expireDue = mutation({
  name: 'homeServices.packages.expireDue',
  description: 'Close the packages whose last day has passed, recording their unused sessions as breakage. Safe to run any number of times.',
  access: allow('homeServices.packages', 'submit'),
  input: z.strictObject({ asOf: localDate.optional() }),
  output: z.object({ expired: z.number().int(), breakageSessions: z.number().int(), breakageMinor: z.number().int() }),
});

/* ---------------- redemptions ---------------- */

export const redemptionsList = query({
  name: 'homeServices.packages.redemptions.list',
  description: 'Redemptions and refused redemptions, newest first.',
  access: allow('homeServices.packages', 'view'),
  input: z.strictObject({
    customerId: id.optional(),
    holdingId: id.optional(),
    outcome: z.enum(REDEMPTION_OUTCOMES).optional(),
    from: localDate.optional(),
    to: localDate.optional(),
    ...pageInput,
  }),
  output: page(redemptionSchema),
});

export const redemptionCheck = query({
  name: 'homeServices.packages.check',
  description: 'Which package a visit of this service on this date would use, or why none can be used.',
  access: allow('homeServices.packages', 'view'),
  input: z.strictObject({ customerId: id, serviceId: id, date: localDate, reason: z.enum(['visit', 'late_cancel', 'no_show']).default('visit') }),
  output: z.object({
    outcome: z.enum(['use', 'refuse', 'none']),
    holdingId: z.string().nullable(),
    holdingNo: z.string().nullable(),
    rule: z.string().nullable(),
    message: z.string(),
  }),
});

export const packagesContracts = [
  typesList,
  typesGet,
  typesCreate,
  typesUpdate,
  typesSetStatus,
  customersFind,
  customerPackages,
  sell,
  receiptGet,
  holdingsList,
  holdingsGet,
  holdingsFreeze,
  holdingsExtend,
  holdingsRefund,
  holdingsTransfer,
  expireDue,
  redemptionsList,
  redemptionCheck,
] as const;

/** Report keys this function registers with the report engine. */
export const PACKAGE_REPORTS = {
  sales: 'homeServices.packages.sales',
  redemptions: 'homeServices.packages.redemptions',
  breakage: 'homeServices.packages.breakage',
} as const;
