import { z } from 'zod';
import { allow, id, isoDateTime, localDate, minorUnits, mutation, page, pageInput, query, reason, version } from '../../rpc';

/**
 * Equipment maintenance tracking: assets in a hierarchy by site with a downtime log, preventive
 * schedules (calendar or usage) that generate work orders, work orders with labour and parts, a
 * parts stock ledger, and reliability (MTBF / MTTR) from the downtime log.
 */

export const ASSET_CLASSES = {
  transformer: 'Transformer',
  pump: 'Pump',
  vehicle: 'Vehicle',
  tool: 'Tool',
  meter_stock: 'Meters in stock',
} as const;
export type AssetClass = keyof typeof ASSET_CLASSES;
export const assetClassSchema = z.enum(Object.keys(ASSET_CLASSES) as [AssetClass, ...AssetClass[]]);

export const ASSET_STATUSES = ['operational', 'down', 'standby', 'retired'] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];

/** Why an asset stopped. Failures count towards MTBF/MTTR; planned and external stops do not. */
export const DOWNTIME_REASONS = {
  breakdown: { label: 'Breakdown', failure: true },
  electrical_fault: { label: 'Electrical fault', failure: true },
  accident: { label: 'Accident or damage', failure: true },
  planned_maintenance: { label: 'Planned maintenance', failure: false },
  power_outage: { label: 'External power outage', failure: false },
  other: { label: 'Other', failure: false },
} as const;
export type DowntimeReason = keyof typeof DOWNTIME_REASONS;
export const downtimeReasonSchema = z.enum(Object.keys(DOWNTIME_REASONS) as [DowntimeReason, ...DowntimeReason[]]);

export const WORK_ORDER_TYPES = ['corrective', 'preventive'] as const;
export type WorkOrderType = (typeof WORK_ORDER_TYPES)[number];
export const WORK_ORDER_STATUSES = ['open', 'in_progress', 'on_hold', 'completed', 'closed', 'cancelled'] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];
export const WORK_ORDER_STATUS_LABELS: Record<WorkOrderStatus, string> = {
  open: 'Open',
  in_progress: 'In progress',
  on_hold: 'On hold',
  completed: 'Completed',
  closed: 'Closed',
  cancelled: 'Cancelled',
};
/** Work still to do: what the backlog counts and the overdue check looks at. */
export const UNFINISHED_STATUSES = ['open', 'in_progress', 'on_hold'] as const satisfies readonly WorkOrderStatus[];

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const SCHEDULE_KINDS = ['calendar', 'usage'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

export const MOVEMENT_KINDS = ['receipt', 'issue', 'adjustment'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/* ---------------- rows ---------------- */

export const siteSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  assetCount: z.number().int(),
  version: z.number().int(),
});
export type Site = z.infer<typeof siteSchema>;

export const reliabilitySchema = z.object({
  failures: z.number().int(),
  /** Days of operation per failure; null before the first failure. */
  mtbfDays: z.number().nullable(),
  repairs: z.number().int(),
  /** Hours to restore per finished repair; null before the first one. */
  mttrHours: z.number().nullable(),
  downtimeHours: z.number(),
});
export type Reliability = z.infer<typeof reliabilitySchema>;

export const assetSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  assetClass: assetClassSchema,
  siteId: z.string(),
  siteCode: z.string(),
  siteName: z.string(),
  parentId: z.string().nullable(),
  parentCode: z.string().nullable(),
  status: z.enum(ASSET_STATUSES),
  serial: z.string().nullable(),
  inServiceOn: z.string(),
  usageUnit: z.string().nullable(),
  usageReading: z.number().nullable(),
  usageReadOn: z.string().nullable(),
  openDowntimeId: z.string().nullable(),
  retiredOn: z.string().nullable(),
  version: z.number().int(),
});
export type Asset = z.infer<typeof assetSchema>;

export const downtimeSchema = z.object({
  id: z.string(),
  assetId: z.string(),
  assetCode: z.string(),
  reason: downtimeReasonSchema,
  failure: z.boolean(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  hours: z.number(),
  workOrderId: z.string().nullable(),
  workOrderNo: z.string().nullable(),
  notes: z.string().nullable(),
  recordedByName: z.string(),
  version: z.number().int(),
});
export type Downtime = z.infer<typeof downtimeSchema>;

export const scheduleSchema = z.object({
  id: z.string(),
  assetId: z.string(),
  assetCode: z.string(),
  assetName: z.string(),
  title: z.string(),
  kind: z.enum(SCHEDULE_KINDS),
  intervalDays: z.number().int().nullable(),
  intervalUsage: z.number().nullable(),
  usageUnit: z.string().nullable(),
  /** Calendar: the next occurrence not yet generated. */
  nextDueOn: z.string().nullable(),
  /** Usage: the meter reading at which the next service falls due. */
  nextDueUsage: z.number().nullable(),
  estimatedHours: z.number(),
  priority: z.enum(PRIORITIES),
  active: z.boolean(),
  version: z.number().int(),
});
export type Schedule = z.infer<typeof scheduleSchema>;

export const workOrderSchema = z.object({
  id: z.string(),
  woNo: z.string(),
  type: z.enum(WORK_ORDER_TYPES),
  status: z.enum(WORK_ORDER_STATUSES),
  priority: z.enum(PRIORITIES),
  title: z.string(),
  description: z.string().nullable(),
  assetId: z.string(),
  assetCode: z.string(),
  assetName: z.string(),
  assetClass: assetClassSchema,
  siteId: z.string(),
  siteCode: z.string(),
  dueOn: z.string().nullable(),
  overdue: z.boolean(),
  assignedTo: z.string().nullable(),
  assignedToName: z.string().nullable(),
  scheduleId: z.string().nullable(),
  labourHours: z.number(),
  labourCost: minorUnits,
  partsCost: minorUnits,
  totalCost: minorUnits,
  holdReason: z.string().nullable(),
  completionNotes: z.string().nullable(),
  completedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  createdByName: z.string(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type WorkOrder = z.infer<typeof workOrderSchema>;

export const labourSchema = z.object({
  id: z.string(),
  userName: z.string(),
  workedOn: z.string(),
  hours: z.number(),
  cost: minorUnits,
  note: z.string().nullable(),
});

export const partSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  unit: z.string(),
  /** Moving average cost per unit, minor units. */
  unitCost: minorUnits,
  minQuantity: z.number().int(),
  onHand: z.number().int(),
  stockValue: minorUnits,
  low: z.boolean(),
  version: z.number().int(),
});
export type Part = z.infer<typeof partSchema>;

export const movementSchema = z.object({
  id: z.string(),
  partId: z.string(),
  partCode: z.string(),
  partName: z.string(),
  kind: z.enum(MOVEMENT_KINDS),
  /** Signed: receipts and upward adjustments add, issues and downward adjustments take away. */
  quantity: z.number().int(),
  unitCost: minorUnits,
  value: minorUnits,
  balanceAfter: z.number().int(),
  workOrderId: z.string().nullable(),
  workOrderNo: z.string().nullable(),
  reference: z.string().nullable(),
  reason: z.string().nullable(),
  actorName: z.string(),
  at: z.string(),
});
export type Movement = z.infer<typeof movementSchema>;

export const workOrderEventSchema = z.object({
  id: z.string(),
  at: z.string(),
  fromStatus: z.enum(WORK_ORDER_STATUSES).nullable(),
  toStatus: z.enum(WORK_ORDER_STATUSES),
  note: z.string().nullable(),
  actorName: z.string(),
});

/* ---------------- sites and assets ---------------- */

const code = z
  .string()
  .trim()
  .min(1)
  .max(30)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'Use letters, digits and . _ / - only');

export const sitesList = query({
  name: 'energy.maintenance.sites.list',
  description: 'Sites (substations, pump stations, depots) with their asset counts.',
  access: allow('energy.maintenance', 'view'),
  input: z.strictObject({}),
  output: z.array(siteSchema),
});

export const sitesCreate = mutation({
  name: 'energy.maintenance.sites.create',
  description: 'Create a site assets belong to.',
  access: allow('energy.maintenance', 'create'),
  input: z.strictObject({ code, name: z.string().trim().min(2).max(80) }),
  output: siteSchema,
});

export const sitesUpdate = mutation({
  name: 'energy.maintenance.sites.update',
  description: 'Rename a site. Its code stays: work orders, asset codes and reports know the site by it.',
  access: allow('energy.maintenance', 'create'),
  input: z.strictObject({ id, version, name: sitesCreate.input.shape.name }),
  output: siteSchema,
});

export const assetFilters = {
  siteId: id.optional(),
  assetClass: assetClassSchema.optional(),
  status: z.enum(ASSET_STATUSES).optional(),
  parentId: id.optional(),
  search: z.string().trim().max(80).optional(),
};

export const assetsList = query({
  name: 'energy.maintenance.assets.list',
  description: 'Assets by site and code, filterable by class, status and parent.',
  access: allow('energy.maintenance', 'view'),
  input: z.strictObject({ ...assetFilters, ...pageInput }),
  output: page(assetSchema),
});

export const assetsGet = query({
  name: 'energy.maintenance.assets.get',
  description: 'An asset with its children, downtime log, schedules, recent work orders and reliability.',
  access: allow('energy.maintenance', 'view'),
  input: z.strictObject({ id }),
  output: z.object({
    asset: assetSchema,
    children: z.array(assetSchema),
    downtime: z.array(downtimeSchema),
    schedules: z.array(scheduleSchema),
    workOrders: z.array(workOrderSchema),
    usage: z.array(z.object({ readOn: z.string(), value: z.number() })),
    reliability: reliabilitySchema,
  }),
});

export const assetsCreate = mutation({
  name: 'energy.maintenance.assets.create',
  description: 'Register an asset at a site, optionally under a parent asset.',
  access: allow('energy.maintenance', 'create'),
  input: z.strictObject({
    code,
    name: z.string().trim().min(2).max(120),
    assetClass: assetClassSchema,
    siteId: id,
    parentId: id.optional(),
    serial: z.string().trim().max(60).optional(),
    inServiceOn: localDate,
    /** Unit of the usage meter (hours, km) for usage-based maintenance. */
    usageUnit: z.string().trim().min(1).max(12).optional(),
    status: z.enum(['operational', 'standby']).default('operational'),
  }),
  output: assetSchema,
});

export const assetsUpdate = mutation({
  name: 'energy.maintenance.assets.update',
  description: 'Change an asset’s name, site, parent, serial or usage unit.',
  access: allow('energy.maintenance', 'edit'),
  input: z.strictObject({
    id,
    version,
    name: z.string().trim().min(2).max(120).optional(),
    siteId: id.optional(),
    /** null moves the asset to the top of its site. */
    parentId: id.nullable().optional(),
    serial: z.string().trim().max(60).optional(),
    usageUnit: z.string().trim().min(1).max(12).optional(),
  }),
  output: assetSchema,
});

export const assetsSetStatus = mutation({
  name: 'energy.maintenance.assets.setStatus',
  description: 'Put an asset on standby or back in operation (down is recorded through the downtime log).',
  access: allow('energy.maintenance', 'edit'),
  input: z.strictObject({ id, version, status: z.enum(['operational', 'standby']), note: z.string().trim().max(500).optional() }),
  output: assetSchema,
});

export const assetsRetire = mutation({
  name: 'energy.maintenance.assets.retire',
  description: 'Retire an asset for good: its schedules stop. Decided by a second person with approve rights.',
  access: allow('energy.maintenance', 'edit'),
  input: z.strictObject({ id, version, retiredOn: localDate, reason }),
  output: assetSchema,
});

export const assetsRecordUsage = mutation({
  name: 'energy.maintenance.assets.recordUsage',
  description: 'Record the asset’s usage meter (running hours, odometer) for usage-based schedules.',
  access: allow('energy.maintenance', 'edit'),
  input: z.strictObject({ id, value: z.number().nonnegative().max(1e9), readOn: localDate }),
  output: assetSchema,
});

/* ---------------- downtime ---------------- */

export const downtimeStart = mutation({
  name: 'energy.maintenance.downtime.start',
  description: 'Log an asset as down from a time, with the reason; a failure can raise a corrective work order at once.',
  access: allow('energy.maintenance', 'edit'),
  input: z.strictObject({
    assetId: id,
    reason: downtimeReasonSchema,
    startedAt: isoDateTime.optional(),
    notes: z.string().trim().max(1000).optional(),
    workOrderId: id.optional(),
    raiseWorkOrder: z.boolean().default(false),
    priority: z.enum(PRIORITIES).default('high'),
  }),
  output: downtimeSchema,
});

export const downtimeEnd = mutation({
  name: 'energy.maintenance.downtime.end',
  description: 'Log the asset back in operation: the downtime closes and counts as repair time.',
  access: allow('energy.maintenance', 'edit'),
  input: z.strictObject({ id, version, endedAt: isoDateTime.optional(), notes: z.string().trim().max(1000).optional() }),
  output: downtimeSchema,
});

export const downtimeCorrect = mutation({
  name: 'energy.maintenance.downtime.correct',
  description:
    'Correct a logged stop — its start, its end, or whether it was a failure — with the reason; MTBF, MTTR and downtime hours follow. A supervisor’s call, journalled with both versions.',
  access: allow('energy.maintenance', 'approve'),
  input: z.strictObject({
    id,
    version,
    reason: downtimeReasonSchema,
    startedAt: isoDateTime,
    /** Null only for a stop still open: ending one is "Back in operation", not a correction. */
    endedAt: isoDateTime.nullable(),
    correction: reason,
  }),
  output: downtimeSchema,
});

export const downtimeList = query({
  name: 'energy.maintenance.downtime.list',
  description: 'The downtime log, newest first.',
  access: allow('energy.maintenance', 'view'),
  input: z.strictObject({
    assetId: id.optional(),
    siteId: id.optional(),
    reason: downtimeReasonSchema.optional(),
    open: z.boolean().optional(),
    ...pageInput,
  }),
  output: page(downtimeSchema),
});

/* ---------------- preventive schedules ---------------- */

export const schedulesList = query({
  name: 'energy.maintenance.schedules.list',
  description: 'Preventive schedules with their next due date or reading.',
  access: allow('energy.maintenance', 'view'),
  input: z.strictObject({ assetId: id.optional(), active: z.boolean().optional() }),
  output: z.array(scheduleSchema),
});

export const schedulesCreate = mutation({
  name: 'energy.maintenance.schedules.create',
  description: 'A preventive schedule on an asset: every N days from a start date, or every N units of usage.',
  access: allow('energy.maintenance', 'create'),
  input: z
    .strictObject({
      assetId: id,
      title: z.string().trim().min(3).max(120),
      kind: z.enum(SCHEDULE_KINDS),
      intervalDays: z.number().int().min(1).max(3650).optional(),
      /** Calendar: the first occurrence. */
      startOn: localDate.optional(),
      intervalUsage: z.number().positive().max(1e7).optional(),
      /** Usage: the reading at which the first service falls due (default: current reading + interval). */
      firstDueUsage: z.number().nonnegative().max(1e9).optional(),
      estimatedHours: z.number().positive().max(500).default(2),
      priority: z.enum(PRIORITIES).default('normal'),
    })
    .refine((s) => s.kind !== 'calendar' || (s.intervalDays !== undefined && s.startOn !== undefined), {
      path: ['intervalDays'],
      message: 'A calendar schedule needs an interval in days and a first date',
    })
    .refine((s) => s.kind !== 'usage' || s.intervalUsage !== undefined, {
      path: ['intervalUsage'],
      message: 'A usage schedule needs the usage between services',
    }),
  output: scheduleSchema,
});

export const schedulesUpdate = mutation({
  name: 'energy.maintenance.schedules.update',
  description: 'Pause or resume a schedule, or change its interval, title, estimate or priority.',
  access: allow('energy.maintenance', 'edit'),
  input: z.strictObject({
    id,
    version,
    title: z.string().trim().min(3).max(120).optional(),
    active: z.boolean().optional(),
    intervalDays: z.number().int().min(1).max(3650).optional(),
    intervalUsage: z.number().positive().max(1e7).optional(),
    estimatedHours: z.number().positive().max(500).optional(),
    priority: z.enum(PRIORITIES).optional(),
  }),
  output: scheduleSchema,
});

export const generatePm = mutation({
  name: 'energy.maintenance.generatePm',
  description:
    'Create the preventive work orders falling due within the horizon (calendar dates, or usage projected from the recent rate). Running it again creates nothing twice.',
  access: allow('energy.maintenance', 'create'),
  input: z.strictObject({ horizonDays: z.number().int().min(0).max(365).optional() }),
  output: z.object({ created: z.array(workOrderSchema), horizonEnd: z.string() }),
});

/** Who work can be assigned to: active users whose role may work on work orders. */
export const staffList = query({
  name: 'energy.maintenance.staff',
  description: 'Active users who may work on work orders (assignees, labour bookings).',
  access: allow('energy.maintenance', 'view'),
  input: z.strictObject({}),
  output: z.array(z.object({ id: z.string(), displayName: z.string(), roleName: z.string() })),
});

/* ---------------- work orders ---------------- */

export const workOrderFilters = {
  status: z.enum(WORK_ORDER_STATUSES).optional(),
  /** Open, in progress or on hold. */
  unfinished: z.boolean().optional(),
  type: z.enum(WORK_ORDER_TYPES).optional(),
  assetId: id.optional(),
  siteId: id.optional(),
  assetClass: assetClassSchema.optional(),
  assignedTo: id.optional(),
  overdue: z.boolean().optional(),
  /** Raised on or after / on or before, in the branch's calendar (the report's "opened" days). */
  from: localDate.optional(),
  to: localDate.optional(),
  search: z.string().trim().max(80).optional(),
};

export const workOrdersList = query({
  name: 'energy.maintenance.workOrders.list',
  description: 'Work orders, newest first, with cost totals.',
  access: allow('energy.maintenance', 'view'),
  input: z.strictObject({ ...workOrderFilters, ...pageInput }),
  output: page(workOrderSchema).extend({ totals: z.object({ totalCost: minorUnits, labourHours: z.number() }) }),
});

export const workOrdersGet = query({
  name: 'energy.maintenance.workOrders.get',
  description: 'A work order with its labour, parts issued, downtime and status history.',
  access: allow('energy.maintenance', 'view'),
  input: z.strictObject({ id }),
  output: z.object({
    workOrder: workOrderSchema,
    labour: z.array(labourSchema),
    parts: z.array(movementSchema),
    downtime: z.array(downtimeSchema),
    timeline: z.array(workOrderEventSchema),
    /** Closing above this total needs a second person's approval. */
    closeApprovalAbove: minorUnits,
  }),
});

export const workOrdersCreate = mutation({
  name: 'energy.maintenance.workOrders.create',
  description: 'Raise a work order on an asset.',
  access: allow('energy.maintenance', 'create'),
  input: z.strictObject({
    assetId: id,
    type: z.enum(WORK_ORDER_TYPES).default('corrective'),
    title: z.string().trim().min(3, 'Say what is to be done').max(120),
    description: z.string().trim().max(2000).optional(),
    priority: z.enum(PRIORITIES).default('normal'),
    dueOn: localDate.optional(),
    assignedTo: id.optional(),
  }),
  output: workOrderSchema,
});

export const workOrdersUpdate = mutation({
  name: 'energy.maintenance.workOrders.update',
  description: 'Assign, re-prioritise or re-date an unfinished work order.',
  access: allow('energy.maintenance', 'edit'),
  input: z.strictObject({
    id,
    version,
    title: z.string().trim().min(3).max(120).optional(),
    description: z.string().trim().max(2000).optional(),
    priority: z.enum(PRIORITIES).optional(),
    dueOn: localDate.optional(),
    /** null unassigns. */
    assignedTo: id.nullable().optional(),
  }),
  output: workOrderSchema,
});

const transition = z.strictObject({ id, version, note: z.string().trim().max(500).optional() });

export const workOrdersStart = mutation({
  name: 'energy.maintenance.workOrders.start',
  description: 'Start work (from open or on hold).',
  access: allow('energy.maintenance', 'edit'),
  input: transition,
  output: workOrderSchema,
});

export const workOrdersHold = mutation({
  name: 'energy.maintenance.workOrders.hold',
  description: 'Put work in progress on hold (waiting for parts, access, a shutdown window).',
  access: allow('energy.maintenance', 'edit'),
  input: z.strictObject({ id, version, reason }),
  output: workOrderSchema,
});

export const workOrdersLogLabour = mutation({
  name: 'energy.maintenance.workOrders.logLabour',
  description: 'Book hours worked on the order at the labour rate of the day.',
  access: allow('energy.maintenance', 'edit'),
  input: z.strictObject({
    id,
    hours: z
      .number()
      .positive('Enter the hours worked')
      .max(24)
      .refine((h) => Number.isInteger(h * 4), 'Book hours in quarter hours'),
    workedOn: localDate,
    userId: id.optional(),
    note: z.string().trim().max(500).optional(),
  }),
  output: workOrderSchema,
});

export const workOrdersIssuePart = mutation({
  name: 'energy.maintenance.workOrders.issuePart',
  description: 'Issue parts from stock to the order; refused when stock would go below zero.',
  access: allow('energy.maintenance', 'edit'),
  input: z.strictObject({ id, partId: id, quantity: z.number().int().positive().max(100_000) }),
  output: workOrderSchema,
});

export const workOrdersComplete = mutation({
  name: 'energy.maintenance.workOrders.complete',
  description: 'Complete the work with notes; an open downtime on the asset can be closed with it.',
  access: allow('energy.maintenance', 'submit'),
  input: z.strictObject({
    id,
    version,
    completionNotes: z.string().trim().min(3, 'Say what was done').max(2000),
    /** Log the asset back in operation now (closes its open downtime). */
    endDowntime: z.boolean().default(true),
  }),
  output: workOrderSchema,
});

export const workOrdersClose = mutation({
  name: 'energy.maintenance.workOrders.close',
  description: 'Close a completed work order; above the cost threshold a second person approves.',
  access: allow('energy.maintenance', 'post'),
  input: z.strictObject({ id, version, note: z.string().trim().max(500).optional() }),
  output: workOrderSchema,
});

export const workOrdersCancel = mutation({
  name: 'energy.maintenance.workOrders.cancel',
  description: 'Cancel a work order nobody has booked time or parts to, with the reason.',
  access: allow('energy.maintenance', 'void'),
  input: z.strictObject({ id, version, reason }),
  output: workOrderSchema,
});

/* ---------------- parts and stock ---------------- */

export const partsList = query({
  name: 'energy.maintenance.parts.list',
  description: 'Parts with stock on hand, value and minimum-quantity alerts.',
  access: allow('energy.maintenance', 'view'),
  input: z.strictObject({ search: z.string().trim().max(80).optional(), low: z.boolean().optional() }),
  output: z.object({ rows: z.array(partSchema), stockValue: minorUnits, lowCount: z.number().int() }),
});

export const partsGet = query({
  name: 'energy.maintenance.parts.get',
  description: 'A part with its stock ledger, newest first.',
  access: allow('energy.maintenance', 'view'),
  input: z.strictObject({ id }),
  output: z.object({ part: partSchema, ledger: z.array(movementSchema) }),
});

export const partsCreate = mutation({
  name: 'energy.maintenance.parts.create',
  description: 'Add a part to the catalogue (stock starts at zero; receive it in).',
  access: allow('energy.maintenance', 'create'),
  input: z.strictObject({
    code,
    name: z.string().trim().min(2).max(120),
    unit: z.string().trim().min(1).max(12).default('each'),
    unitCost: minorUnits.nonnegative(),
    minQuantity: z.number().int().nonnegative().max(1_000_000).default(0),
  }),
  output: partSchema,
});

export const partsUpdate = mutation({
  name: 'energy.maintenance.parts.update',
  description: 'Rename a part, change its unit or its minimum quantity (the reorder alert). Stock moves only through the ledger.',
  // The parts catalogue is kept by whoever adds parts and receives stock (create), not by everyone
  // who works on orders: a technician must not be able to silence a reorder alert.
  access: allow('energy.maintenance', 'create'),
  input: z.strictObject({
    id,
    version,
    name: z.string().trim().min(2).max(120).optional(),
    unit: z.string().trim().min(1).max(12).optional(),
    minQuantity: z.number().int().nonnegative().max(1_000_000).optional(),
  }),
  output: partSchema,
});

export const partsReceive = mutation({
  name: 'energy.maintenance.parts.receive',
  description: 'Receive parts into stock at a unit cost (the moving average cost follows).',
  access: allow('energy.maintenance', 'create'),
  input: z.strictObject({
    id,
    quantity: z.number().int().positive().max(1_000_000),
    unitCost: minorUnits.nonnegative().optional(),
    reference: z.string().trim().min(1).max(80).optional(),
  }),
  output: partSchema,
});

export const partsAdjust = mutation({
  name: 'energy.maintenance.parts.adjust',
  description: 'Correct stock to a physical count (up or down). Decided by a second person with approve rights.',
  access: allow('energy.maintenance', 'edit'),
  input: z.strictObject({ id, version, countedQuantity: z.number().int().nonnegative().max(1_000_000), reason }),
  output: partSchema,
});

/* ---------------- dashboard, reliability, reports ---------------- */

export const reliabilityRowSchema = reliabilitySchema.extend({ key: z.string(), label: z.string(), assets: z.number().int() });

export const reliabilityQuery = query({
  name: 'energy.maintenance.reliability',
  description: 'MTBF and MTTR per asset and per asset class, from the downtime log.',
  access: allow('energy.maintenance', 'view'),
  input: z.strictObject({ siteId: id.optional(), assetClass: assetClassSchema.optional() }),
  output: z.object({ byAsset: z.array(reliabilityRowSchema), byClass: z.array(reliabilityRowSchema) }),
});

export const maintenanceDashboard = query({
  name: 'energy.maintenance.dashboard',
  description: 'Backlog, overdue preventive work, assets down, parts below minimum and the latest activity.',
  access: allow('energy.maintenance', 'view'),
  input: z.strictObject({}),
  output: z.object({
    kpis: z.object({
      backlog: z.number().int(),
      overduePm: z.number().int(),
      assetsDown: z.number().int(),
      lowStock: z.number().int(),
      closedThisWeek: z.number().int(),
      stockValue: minorUnits,
    }),
    overdue: z.array(workOrderSchema),
    down: z.array(downtimeSchema),
    lowStock: z.array(partSchema),
    recent: z.array(workOrderEventSchema.extend({ workOrderId: z.string(), woNo: z.string() })),
  }),
});

export const REPORT_PERIODS = ['day', 'week', 'month'] as const;
export const REPORT_GROUPS = ['period', 'type', 'assetClass', 'site'] as const;

export const reportInput = z.strictObject({
  period: z.enum(REPORT_PERIODS).default('day'),
  from: localDate,
  to: localDate,
  groupBy: z.enum(REPORT_GROUPS).default('period'),
  siteId: id.optional(),
  assetClass: assetClassSchema.optional(),
});

export const reportRowSchema = z.object({
  key: z.string(),
  label: z.string(),
  opened: z.number().int(),
  openedCorrective: z.number().int(),
  openedPreventive: z.number().int(),
  closed: z.number().int(),
  downtimeHours: z.number(),
  failures: z.number().int(),
  partsUsedValue: minorUnits,
  labourHours: z.number(),
});
export type MaintenanceReportRow = z.infer<typeof reportRowSchema>;

export const maintenanceReport = query({
  name: 'energy.maintenance.report',
  description:
    'Work orders opened (by type) and closed, downtime, failures, labour and parts used per day, week or month (branch time zone) or by type, class or site; with backlog, overdue PM, MTBF/MTTR and stock value.',
  access: allow('energy.maintenance', 'view'),
  input: reportInput,
  output: z.object({
    rows: z.array(reportRowSchema),
    totals: reportRowSchema,
    backlog: z.number().int(),
    overduePm: z.number().int(),
    stockValue: minorUnits,
    reliability: z.array(reliabilityRowSchema),
  }),
});

export const maintenanceExport = mutation({
  name: 'energy.maintenance.export',
  description: 'Export the maintenance report (summary, reliability) and its work orders (detail) as a job.',
  access: allow('energy.maintenance', 'export'),
  input: reportInput.extend({ format: z.enum(['xlsx', 'csv']).default('xlsx') }),
  output: z.object({ jobId: z.string() }),
});

export const maintenanceContracts = [
  sitesList,
  sitesCreate,
  sitesUpdate,
  assetsList,
  assetsGet,
  assetsCreate,
  assetsUpdate,
  assetsSetStatus,
  assetsRetire,
  assetsRecordUsage,
  downtimeStart,
  downtimeEnd,
  downtimeCorrect,
  downtimeList,
  schedulesList,
  schedulesCreate,
  schedulesUpdate,
  generatePm,
  staffList,
  workOrdersList,
  workOrdersGet,
  workOrdersCreate,
  workOrdersUpdate,
  workOrdersStart,
  workOrdersHold,
  workOrdersLogLabour,
  workOrdersIssuePart,
  workOrdersComplete,
  workOrdersClose,
  workOrdersCancel,
  partsList,
  partsGet,
  partsCreate,
  partsUpdate,
  partsReceive,
  partsAdjust,
  reliabilityQuery,
  maintenanceDashboard,
  maintenanceReport,
  maintenanceExport,
] as const;
