import { z } from 'zod';
import { allow, id, localDate, minorUnits, mutation, page, pageInput, query, reason, version } from '../../rpc';
import { tenderSchema } from '../energy/counter';

/**
 * Subscription-based service billing: plans (billing period, price, visits included per period,
 * what happens beyond them) with versions by effective date; subscriptions billed in advance with
 * the first partial period and plan changes prorated by days over the whole period (rounded once);
 * upgrades now with a credit for the unused part, downgrades at the period end; pause/resume
 * moving the term; cancel now or at the period end; a billing job that renews and invoices with
 * gap-free numbers; the dunning ladder reminder → warning → suspended → cancelled, which a
 * payment at the counter stops.
 */

export const BILLING_PERIODS = { monthly: 'Monthly', quarterly: 'Quarterly', yearly: 'Yearly' } as const;
export type BillingPeriod = keyof typeof BILLING_PERIODS;
export const billingPeriodSchema = z.enum(Object.keys(BILLING_PERIODS) as [BillingPeriod, ...BillingPeriod[]]);

export const OVER_ALLOWANCE = { charge: 'Charge visits beyond the allowance', refuse: 'Refuse bookings beyond the allowance' } as const;
export type OverAllowancePolicy = keyof typeof OVER_ALLOWANCE;
export const overAllowanceSchema = z.enum(Object.keys(OVER_ALLOWANCE) as [OverAllowancePolicy, ...OverAllowancePolicy[]]);

export const SUBSCRIPTION_STATUSES = { active: 'Active', paused: 'Paused', suspended: 'Suspended', cancelled: 'Cancelled' } as const;
export type SubscriptionStatus = keyof typeof SUBSCRIPTION_STATUSES;
export const subscriptionStatusSchema = z.enum(Object.keys(SUBSCRIPTION_STATUSES) as [SubscriptionStatus, ...SubscriptionStatus[]]);

export const DUNNING_STAGES = {
  none: 'In good standing',
  reminder: 'Reminder',
  warning: 'Warning (plan changes blocked)',
  suspended: 'Service suspended',
  cancelled: 'Cancelled for non-payment',
} as const;
export type DunningStage = keyof typeof DUNNING_STAGES;
export const dunningStageSchema = z.enum(Object.keys(DUNNING_STAGES) as [DunningStage, ...DunningStage[]]);
export const DUNNING_STEP_KEYS = ['reminder', 'warning', 'suspended', 'cancelled'] as const;
export type DunningStepKey = (typeof DUNNING_STEP_KEYS)[number];

export const INVOICE_KINDS = {
  period: 'Period in advance',
  plan_change: 'Plan change',
  overage: 'Visit beyond the allowance',
  cancellation_credit: 'Credit for cancellation',
} as const;
export type InvoiceKind = keyof typeof INVOICE_KINDS;

export const EVENT_KINDS = {
  started: 'Started',
  renewed: 'Renewed',
  upgraded: 'Upgraded',
  downgraded: 'Downgraded',
  paused: 'Paused',
  resumed: 'Resumed',
  suspended: 'Suspended',
  restored: 'Restored',
  cancelled: 'Cancelled',
} as const;
export type EventKind = keyof typeof EVENT_KINDS;

/** Counter transaction types this function adds to the X/Z reports. */
export const SUBSCRIPTION_TRANSACTION_TYPES = { subscription_payment: 'Subscription payments' } as const;

/* ---------------- plans ---------------- */

export const planVersionSchema = z.object({
  id: z.string(),
  effectiveFrom: z.string(),
  billingPeriod: billingPeriodSchema,
  priceMinor: z.number().int(),
  /** The price spread over a month, to compare plans and add up MRR. */
  monthlyMinor: z.number().int(),
  includedVisits: z.number().int(),
  overAllowance: overAllowanceSchema,
  overagePriceMinor: z.number().int().nullable(),
  services: z.array(z.object({ serviceId: z.string(), sku: z.string(), name: z.string() })),
  createdAt: z.string(),
});
export type PlanVersion = z.infer<typeof planVersionSchema>;

export const planSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  status: z.enum(['active', 'retired']),
  /** The version in effect today (null when the first one starts later). */
  current: planVersionSchema.nullable(),
  versions: z.array(planVersionSchema),
  activeSubscriptions: z.number().int(),
  version: z.number().int(),
});
export type Plan = z.infer<typeof planSchema>;

const planVersionFields = {
  billingPeriod: billingPeriodSchema,
  priceMinor: minorUnits.nonnegative().max(100_000_000),
  includedVisits: z.number().int().min(0).max(100),
  overAllowance: overAllowanceSchema.default('charge'),
  overagePriceMinor: minorUnits.nonnegative().max(100_000_000).optional(),
  serviceIds: z
    .array(id)
    .min(1, 'Choose at least one service the plan covers')
    .max(30)
    .refine((s) => new Set(s).size === s.length, 'Each service once'),
};

export const plansList = query({
  name: 'homeServices.subscriptions.plans.list',
  description: 'Subscription plans with their versions and the one in effect today.',
  access: allow('homeServices.subscriptions', 'view'),
  input: z.strictObject({ includeRetired: z.boolean().default(false) }),
  output: z.array(planSchema),
});

export const plansGet = query({
  name: 'homeServices.subscriptions.plans.get',
  description: 'One plan with every version.',
  access: allow('homeServices.subscriptions', 'view'),
  input: z.strictObject({ id }),
  output: planSchema,
});

export const plansCreate = mutation({
  name: 'homeServices.subscriptions.plans.create',
  description: 'A new plan with its first version.',
  access: allow('homeServices.subscriptions', 'edit'),
  input: z.strictObject({
    code: z.string().trim().toUpperCase().min(2).max(20).regex(/^[A-Z0-9-]+$/, 'Use letters, digits and dashes'),
    name: z.string().trim().min(2).max(80),
    description: z.string().trim().max(300).optional(),
    effectiveFrom: localDate,
    ...planVersionFields,
  }),
  output: planSchema,
});

export const plansAddVersion = mutation({
  name: 'homeServices.subscriptions.plans.addVersion',
  description: 'A new version of a plan from a date on (today or later); periods starting from then are billed with it.',
  access: allow('homeServices.subscriptions', 'edit'),
  input: z.strictObject({ id, version, effectiveFrom: localDate, ...planVersionFields }),
  output: planSchema,
});

export const plansSetStatus = mutation({
  name: 'homeServices.subscriptions.plans.setStatus',
  description: 'Retire a plan (no new subscriptions; existing ones continue) or bring it back.',
  access: allow('homeServices.subscriptions', 'edit'),
  input: z.strictObject({ id, version, status: z.enum(['active', 'retired']) }),
  output: planSchema,
});

/* ---------------- subscriptions ---------------- */

export const subscriptionSchema = z.object({
  id: z.string(),
  subscriptionNo: z.string(),
  customerId: z.string(),
  customerNo: z.string(),
  customerName: z.string(),
  planId: z.string(),
  planCode: z.string(),
  planName: z.string(),
  planVersionId: z.string(),
  billingPeriod: billingPeriodSchema,
  priceMinor: z.number().int(),
  mrrMinor: z.number().int(),
  includedVisits: z.number().int(),
  overAllowance: overAllowanceSchema,
  status: subscriptionStatusSchema,
  startedOn: z.string(),
  billCycleDay: z.number().int(),
  periodStart: z.string(),
  periodEnd: z.string(),
  pendingPlanId: z.string().nullable(),
  pendingPlanName: z.string().nullable(),
  cancelAtPeriodEnd: z.boolean(),
  cancelledOn: z.string().nullable(),
  cancelReason: z.string().nullable(),
  pausedOn: z.string().nullable(),
  resumeOn: z.string().nullable(),
  dunningStage: dunningStageSchema,
  /** Invoices of this subscription past their due date and not paid. */
  overdueMinor: z.number().int(),
  openMinor: z.number().int(),
  /** Included visits counted in the current period. */
  visitsUsed: z.number().int(),
  version: z.number().int(),
});
export type Subscription = z.infer<typeof subscriptionSchema>;

export const invoiceLineSchema = z.object({
  lineNo: z.number().int(),
  description: z.string(),
  days: z.number().int().nullable(),
  periodDays: z.number().int().nullable(),
  amountMinor: z.number().int(),
});

export const invoiceSchema = z.object({
  id: z.string(),
  invoiceNo: z.string(),
  subscriptionId: z.string(),
  subscriptionNo: z.string(),
  customerId: z.string(),
  customerNo: z.string(),
  customerName: z.string(),
  kind: z.enum(Object.keys(INVOICE_KINDS) as [InvoiceKind, ...InvoiceKind[]]),
  periodStart: z.string(),
  periodEnd: z.string(),
  issueDate: z.string(),
  dueDate: z.string(),
  totalMinor: z.number().int(),
  openMinor: z.number().int(),
  status: z.enum(['open', 'overdue', 'paid', 'credit', 'applied']),
  lines: z.array(invoiceLineSchema),
  version: z.number().int(),
});
export type Invoice = z.infer<typeof invoiceSchema>;

export const subscriptionEventSchema = z.object({
  id: z.string(),
  kind: z.enum(Object.keys(EVENT_KINDS) as [EventKind, ...EventKind[]]),
  at: z.string(),
  effectiveOn: z.string(),
  planName: z.string(),
  mrrBefore: z.number().int(),
  mrrAfter: z.number().int(),
  detail: z.string().nullable(),
  actorName: z.string().nullable(),
});

export const dunningStepSchema = z.object({
  id: z.string(),
  step: z.enum(['reminder', 'warning', 'suspended', 'cancelled', 'restored']),
  invoiceNo: z.string(),
  dueOn: z.string(),
  takenAt: z.string(),
  takenByName: z.string().nullable(),
  overdueMinor: z.number().int(),
});

export const subscriptionDetailSchema = z.object({
  subscription: subscriptionSchema,
  invoices: z.array(invoiceSchema),
  events: z.array(subscriptionEventSchema),
  dunning: z.array(dunningStepSchema),
  visits: z.array(
    z.object({
      appointmentId: z.string(),
      appointmentNumber: z.string(),
      serviceName: z.string(),
      periodStart: z.string(),
      outcome: z.enum(['included', 'charged']),
      invoiceNo: z.string().nullable(),
      at: z.string(),
    }),
  ),
  /** Quotes for the actions the header offers, so the screen can say what they cost. */
  cancelNowCreditMinor: z.number().int(),
});
export type SubscriptionDetail = z.infer<typeof subscriptionDetailSchema>;

export const subscriptionsList = query({
  name: 'homeServices.subscriptions.list',
  description: 'Subscriptions, newest first, by status, plan, customer or dunning stage.',
  access: allow('homeServices.subscriptions', 'view'),
  input: z.strictObject({
    status: subscriptionStatusSchema.optional(),
    planId: id.optional(),
    customerId: id.optional(),
    dunningStage: dunningStageSchema.optional(),
    search: z.string().trim().max(80).optional(),
    ...pageInput,
  }),
  output: page(subscriptionSchema).extend({ totals: z.object({ mrrMinor: z.number().int(), overdueMinor: z.number().int() }) }),
});

export const subscriptionsGet = query({
  name: 'homeServices.subscriptions.get',
  description: 'One subscription with its invoices, movements, dunning steps and counted visits.',
  access: allow('homeServices.subscriptions', 'view'),
  input: z.strictObject({ id }),
  output: subscriptionDetailSchema,
});

export const paymentReceiptSchema = z.object({
  paymentId: z.string(),
  receiptNo: z.string(),
  branchName: z.string(),
  at: z.string(),
  customerId: z.string(),
  customerNo: z.string(),
  customerName: z.string(),
  tender: tenderSchema,
  reference: z.string().nullable(),
  amount: z.number().int(),
  tendered: z.number().int(),
  change: z.number().int(),
  settled: z.array(z.object({ invoiceId: z.string(), invoiceNo: z.string(), amount: z.number().int(), openAfter: z.number().int() })),
  unapplied: z.number().int(),
  /** Subscriptions the payment brought back into good standing (dunning stopped, service restored). */
  restored: z.array(z.object({ subscriptionId: z.string(), subscriptionNo: z.string(), from: dunningStageSchema })),
  owedAfter: z.number().int(),
  cashierName: z.string(),
  shiftNo: z.number().int(),
});
export type PaymentReceipt = z.infer<typeof paymentReceiptSchema>;

/** How a counter payment is tendered: cash may be more than the amount (change is given). */
export const tenderInput = z
  .strictObject({
    tender: tenderSchema,
    tendered: minorUnits.positive().max(100_000_000).optional(),
    reference: z.string().trim().max(60).optional(),
  })
  .refine((p) => p.tender === 'cash' || p.tendered === undefined, { path: ['tendered'], message: 'Only cash gives change' })
  .refine((p) => !(p.tender === 'cheque' || p.tender === 'transfer') || (p.reference ?? '').length > 0, {
    path: ['reference'],
    message: 'Enter the cheque or transfer reference',
  });

export const subscriptionsCreate = mutation({
  name: 'homeServices.subscriptions.create',
  description:
    'Sign a customer up at the counter in the open shift: the first (possibly partial, prorated) period is invoiced in advance and may be paid at once. Idempotent on its key.',
  access: allow('homeServices.subscriptions', 'create'),
  idempotent: true,
  input: z.strictObject({
    customerId: id,
    planId: id,
    /** Today unless given; a later date books the start. */
    startOn: localDate.optional(),
    /** Day of the month periods start on; the start day unless given (a different day prorates the first period). */
    billCycleDay: z.number().int().min(1).max(31).optional(),
    /** Pay the first invoice at once. */
    payment: tenderInput.optional(),
  }),
  output: z.object({ subscription: subscriptionSchema, invoice: invoiceSchema, receipt: paymentReceiptSchema.nullable() }),
});

export const changeQuoteSchema = z.object({
  direction: z.enum(['upgrade', 'downgrade', 'same']),
  effective: z.enum(['now', 'period_end']),
  effectiveOn: z.string(),
  daysLeft: z.number().int(),
  periodDays: z.number().int(),
  lines: z.array(z.object({ description: z.string(), days: z.number().int(), periodDays: z.number().int(), amountMinor: z.number().int() })),
  netMinor: z.number().int(),
});

export const subscriptionsQuoteChange = query({
  name: 'homeServices.subscriptions.quoteChange',
  description: 'What changing to another plan would cost today: credit for the unused part and the new charge, or a change at the period end.',
  access: allow('homeServices.subscriptions', 'view'),
  input: z.strictObject({ id, planId: id }),
  output: changeQuoteSchema,
});

export const subscriptionsChangePlan = mutation({
  name: 'homeServices.subscriptions.changePlan',
  description:
    'Change plan: an upgrade applies now (the unused part of the old plan credited, the new one charged for the days left, on one invoice); a downgrade or a change of billing period applies at the period end. Refused from the dunning warning on.',
  access: allow('homeServices.subscriptions', 'edit'),
  input: z.strictObject({ id, version, planId: id }),
  output: z.object({ subscription: subscriptionSchema, quote: changeQuoteSchema, invoice: invoiceSchema.nullable() }),
});

export const subscriptionsPause = mutation({
  name: 'homeServices.subscriptions.pause',
  description: 'Pause from today: nothing is billed and no visits are included while paused; resuming moves the term by the paused days.',
  access: allow('homeServices.subscriptions', 'edit'),
  input: z.strictObject({ id, version, resumeOn: localDate.optional(), reason: reason.optional() }),
  output: subscriptionSchema,
});

export const subscriptionsResume = mutation({
  name: 'homeServices.subscriptions.resume',
  description: 'Resume a paused subscription from today; the current period ends later by the days it was paused.',
  access: allow('homeServices.subscriptions', 'edit'),
  input: z.strictObject({ id, version }),
  output: subscriptionSchema,
});

export const subscriptionsCancel = mutation({
  name: 'homeServices.subscriptions.cancel',
  description: 'Cancel now (the unused days are credited) or at the end of the period (no renewal).',
  access: allow('homeServices.subscriptions', 'edit'),
  input: z.strictObject({ id, version, when: z.enum(['now', 'period_end']), reason }),
  output: z.object({ subscription: subscriptionSchema, credit: invoiceSchema.nullable() }),
});

export const subscriptionsUndoCancel = mutation({
  name: 'homeServices.subscriptions.keep',
  description: 'Withdraw a cancellation or a pending plan change scheduled for the period end.',
  access: allow('homeServices.subscriptions', 'edit'),
  input: z.strictObject({ id, version }),
  output: subscriptionSchema,
});

export const allowanceSchema = z.object({
  covered: z.boolean(),
  subscriptionId: z.string().nullable(),
  subscriptionNo: z.string().nullable(),
  planName: z.string().nullable(),
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
  included: z.number().int(),
  taken: z.number().int(),
  left: z.number().int(),
  overAllowance: overAllowanceSchema.nullable(),
  /** What booking one more visit would do: included, charged, or refused (with why). */
  verdict: z.enum(['included', 'charged', 'refused', 'not_covered']),
  message: z.string(),
});
export type Allowance = z.infer<typeof allowanceSchema>;

export const allowance = query({
  name: 'homeServices.subscriptions.allowance',
  description: 'Included visits for a customer’s service on a date: how many the period includes, how many are taken, and what one more booking would do.',
  access: allow('homeServices.subscriptions', 'view'),
  input: z.strictObject({ customerId: id, serviceId: id, date: localDate }),
  output: allowanceSchema,
});

/* ---------------- invoices and payments ---------------- */

export const invoicesList = query({
  name: 'homeServices.subscriptions.invoices.list',
  description: 'Subscription invoices and credit notes, newest first.',
  access: allow('homeServices.subscriptions', 'view'),
  input: z.strictObject({
    customerId: id.optional(),
    subscriptionId: id.optional(),
    status: z.enum(['open', 'overdue', 'paid']).optional(),
    from: localDate.optional(),
    to: localDate.optional(),
    ...pageInput,
  }),
  output: page(invoiceSchema).extend({ totals: z.object({ totalMinor: z.number().int(), openMinor: z.number().int() }) }),
});

/** One settlement seen from either side: a payment or credit note paying an invoice, or a credit note used against one. */
export const settlementSchema = z.object({
  at: z.string(),
  kind: z.enum(['payment', 'credit_note']),
  /** The payment (for its receipt) or the credit note. */
  sourceId: z.string(),
  /** Receipt no. of the payment, or invoice no. of the credit note. */
  sourceNo: z.string(),
  invoiceId: z.string(),
  invoiceNo: z.string(),
  amountMinor: z.number().int(),
});
export type Settlement = z.infer<typeof settlementSchema>;

export const invoiceDetailSchema = invoiceSchema.extend({
  /** What paid this invoice: payments at the counter and credit notes, oldest first. */
  settledBy: z.array(settlementSchema),
  /** For a credit note: the invoices it was used against. */
  appliedTo: z.array(settlementSchema),
});
export type InvoiceDetail = z.infer<typeof invoiceDetailSchema>;

export const invoicesGet = query({
  name: 'homeServices.subscriptions.invoices.get',
  description: 'One invoice with its lines, and what settled it (payments with their receipts, credit notes) or, for a credit note, what it was used against.',
  access: allow('homeServices.subscriptions', 'view'),
  input: z.strictObject({ id }),
  output: invoiceDetailSchema,
});

export const customerAccountSchema = z.object({
  customer: z.object({ id: z.string(), customerNo: z.string(), name: z.string(), phone: z.string().nullable(), address: z.string() }),
  subscriptions: z.array(subscriptionSchema),
  openInvoices: z.array(invoiceSchema),
  owedMinor: z.number().int(),
  overdueMinor: z.number().int(),
  /** Paid ahead or credited, waiting for the next invoice. */
  creditMinor: z.number().int(),
  /** The customer's last payments at the counter, newest first, for a receipt reprint. */
  recentPayments: z.array(z.object({ paymentId: z.string(), receiptNo: z.string(), at: z.string(), amount: z.number().int(), tender: tenderSchema })),
});
export type CustomerAccount = z.infer<typeof customerAccountSchema>;

export const customerAccount = query({
  name: 'homeServices.subscriptions.customerAccount',
  description: 'A customer’s subscriptions and open invoices, oldest first, for the counter.',
  access: allow('homeServices.subscriptions', 'view'),
  input: z.strictObject({ customerId: id }),
  output: customerAccountSchema,
});

export const paymentsCreate = mutation({
  name: 'homeServices.subscriptions.payments.create',
  description:
    'Take a payment for subscription invoices in the open shift: settles them oldest first, keeps any rest as credit, and restores subscriptions it brings back into good standing (the dunning ladder stops). Idempotent on its key.',
  access: allow('homeServices.subscriptions', 'create'),
  idempotent: true,
  input: z
    .strictObject({
      customerId: id,
      amount: minorUnits.positive().max(100_000_000),
      tender: tenderSchema,
      tendered: minorUnits.positive().max(100_000_000).optional(),
      reference: z.string().trim().max(60).optional(),
    })
    .refine((p) => p.tendered === undefined || p.tendered >= p.amount, { path: ['tendered'], message: 'Less than the amount paid' })
    .refine((p) => p.tender === 'cash' || p.tendered === undefined, { path: ['tendered'], message: 'Only cash gives change' })
    .refine((p) => !(p.tender === 'cheque' || p.tender === 'transfer') || (p.reference ?? '').length > 0, {
      path: ['reference'],
      message: 'Enter the cheque or transfer reference',
    }),
  output: paymentReceiptSchema,
});

export const paymentsGet = query({
  name: 'homeServices.subscriptions.payments.get',
  description: 'A subscription payment’s receipt, for reprint.',
  access: allow('homeServices.subscriptions', 'view'),
  input: z.strictObject({ id }),
  output: paymentReceiptSchema,
});

/* ---------------- billing job and dunning ---------------- */

export const billingRun = mutation({
  name: 'homeServices.subscriptions.billing.run',
  description:
    'Start the billing job: renew every subscription whose period has ended (invoicing the next period in advance), take the dunning steps that are due and close expired packages. Running it twice issues nothing twice.',
  access: allow('homeServices.subscriptions', 'post'),
  input: z.strictObject({ asOf: localDate.optional() }),
  output: z.object({ jobId: z.string() }),
});

export const billingRenewDue = mutation({
  name: 'homeServices.subscriptions.billing.renewDue',
  description: 'One chunk of the billing job: renews and invoices the subscriptions due by a date (the job calls it until done).',
  access: allow('homeServices.subscriptions', 'post'),
  input: z.strictObject({ asOf: localDate, limit: z.number().int().min(1).max(1000).default(200) }),
  output: z.object({ renewed: z.number().int(), invoices: z.array(z.string()), resumed: z.number().int(), cancelled: z.number().int(), done: z.boolean() }),
});

export const dunningAdvance = mutation({
  name: 'homeServices.subscriptions.dunning.advance',
  description: 'Take every dunning step that is due by a date: reminders, warnings, suspensions and cancellations.',
  access: allow('homeServices.subscriptions', 'post'),
  input: z.strictObject({ asOf: localDate.optional() }),
  output: z.object({ steps: z.array(z.object({ subscriptionNo: z.string(), step: z.enum(DUNNING_STEP_KEYS) })) }),
});

export const dunningQueueRowSchema = z.object({
  subscriptionId: z.string(),
  subscriptionNo: z.string(),
  customerId: z.string(),
  customerNo: z.string(),
  customerName: z.string(),
  phone: z.string().nullable(),
  planName: z.string(),
  stage: dunningStageSchema,
  nextStep: z.enum(DUNNING_STEP_KEYS).nullable(),
  nextDueOn: z.string().nullable(),
  dueNow: z.boolean(),
  oldestInvoiceNo: z.string(),
  oldestDueDate: z.string(),
  daysOverdue: z.number().int(),
  overdueMinor: z.number().int(),
  version: z.number().int(),
});
export type DunningQueueRow = z.infer<typeof dunningQueueRowSchema>;

export const dunningQueue = query({
  name: 'homeServices.subscriptions.dunning.queue',
  description: 'Who is overdue, at which step, and who is due for each next step (now or soon).',
  access: allow('homeServices.subscriptions', 'view'),
  input: z.strictObject({ step: z.enum(DUNNING_STEP_KEYS).optional(), dueOnly: z.boolean().default(false) }),
  output: z.object({
    rows: z.array(dunningQueueRowSchema),
    counts: z.object({ reminder: z.number().int(), warning: z.number().int(), suspended: z.number().int(), cancelled: z.number().int() }),
    offsets: z.object({ reminder: z.number().int(), warning: z.number().int(), suspended: z.number().int(), cancelled: z.number().int() }),
  }),
});

export const dunningTakeStep = mutation({
  name: 'homeServices.subscriptions.dunning.takeStep',
  description: 'Take the next dunning step for one subscription now, if it is due (after a reminder call, for example).',
  access: allow('homeServices.subscriptions', 'edit'),
  input: z.strictObject({ id, version }),
  output: subscriptionSchema,
});

export const subscriptionsContracts = [
  plansList,
  plansGet,
  plansCreate,
  plansAddVersion,
  plansSetStatus,
  subscriptionsList,
  subscriptionsGet,
  subscriptionsCreate,
  subscriptionsQuoteChange,
  subscriptionsChangePlan,
  subscriptionsPause,
  subscriptionsResume,
  subscriptionsCancel,
  subscriptionsUndoCancel,
  allowance,
  invoicesList,
  invoicesGet,
  customerAccount,
  paymentsCreate,
  paymentsGet,
  billingRun,
  billingRenewDue,
  dunningAdvance,
  dunningQueue,
  dunningTakeStep,
] as const;

/** Report keys this function registers with the report engine. */
export const SUBSCRIPTION_REPORTS = {
  subscriptions: 'homeServices.subscriptions.subscriptions',
  movements: 'homeServices.subscriptions.movements',
  invoices: 'homeServices.subscriptions.invoices',
  payments: 'homeServices.subscriptions.payments',
  dunning: 'homeServices.subscriptions.dunning',
} as const;
