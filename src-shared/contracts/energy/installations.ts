import { z } from 'zod';
import { allow, id, isoDateTime, localDate, mutation, page, pageInput, query, reason, version } from '../../rpc';

/**
 * Service installation tracking: service orders (new connection, upgrade, relocation,
 * disconnection, reconnection) through requested → surveyed → approved → scheduled → installed →
 * commissioned → closed, each stage with its required fields and checklist, a service-level
 * deadline from the priority that pauses while the order waits on the customer, and commissioning
 * that makes the account, the meter and the initial read billing starts from.
 */

export const ORDER_TYPES = {
  new_connection: 'New connection',
  upgrade: 'Upgrade',
  relocation: 'Relocation',
  disconnection: 'Disconnection',
  reconnection: 'Reconnection',
} as const;
export type OrderType = keyof typeof ORDER_TYPES;
export const orderTypeSchema = z.enum(Object.keys(ORDER_TYPES) as [OrderType, ...OrderType[]]);

export const STAGES = ['requested', 'surveyed', 'approved', 'scheduled', 'installed', 'commissioned', 'closed', 'cancelled'] as const;
export type Stage = (typeof STAGES)[number];
export const stageSchema = z.enum(STAGES);

export const STAGE_LABELS: Record<Stage, string> = {
  requested: 'Requested',
  surveyed: 'Surveyed',
  approved: 'Approved',
  scheduled: 'Scheduled',
  installed: 'Installed',
  commissioned: 'Commissioned',
  closed: 'Closed',
  cancelled: 'Cancelled',
};

/** Stages an order can still be cancelled from: nothing has been connected yet. */
export const OPEN_STAGES = ['requested', 'surveyed', 'approved', 'scheduled', 'installed'] as const satisfies readonly Stage[];

/** Stages reached by an action, in order; each may carry a checklist (settings). */
export const CHECKLIST_STAGES = ['surveyed', 'approved', 'scheduled', 'installed', 'commissioned', 'closed'] as const satisfies readonly Stage[];
export type ChecklistStage = (typeof CHECKLIST_STAGES)[number];

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const PRIORITY_LABELS: Record<Priority, string> = { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' };

export const SURVEY_RESULTS = {
  feasible: 'Feasible as requested',
  feasible_with_works: 'Feasible after network works',
  not_feasible: 'Not feasible',
} as const;
export type SurveyResult = keyof typeof SURVEY_RESULTS;
export const surveyResultSchema = z.enum(Object.keys(SURVEY_RESULTS) as [SurveyResult, ...SurveyResult[]]);

/** On track, less than a quarter of the allowance left, past the deadline; met/breached once commissioned. */
export const SLA_STATES = ['on_track', 'at_risk', 'breached', 'met', 'paused', 'none'] as const;
export type SlaState = (typeof SLA_STATES)[number];

export const materialSchema = z.strictObject({
  item: z.string().trim().min(2, 'Name the material').max(80),
  quantity: z.number().positive('Enter a quantity above zero').max(100_000),
  unit: z.string().trim().min(1).max(12).default('each'),
});
export type Material = z.infer<typeof materialSchema>;

export const slaSchema = z.object({
  state: z.enum(SLA_STATES),
  hours: z.number(),
  /** When the allowance runs out, pauses included; null while paused (the clock is stopped). */
  dueAt: z.string().nullable(),
  /** Hours of allowance left (negative once breached); null once the order is finished. */
  remainingHours: z.number().nullable(),
  pausedHours: z.number(),
});
export type Sla = z.infer<typeof slaSchema>;

export const serviceOrderSchema = z.object({
  id: z.string(),
  orderNo: z.string(),
  type: orderTypeSchema,
  priority: z.enum(PRIORITIES),
  stage: stageSchema,
  customerName: z.string(),
  phone: z.string().nullable(),
  address: z.string(),
  description: z.string().nullable(),
  accountId: z.string().nullable(),
  accountNo: z.string().nullable(),
  routeId: z.string().nullable(),
  routeCode: z.string().nullable(),
  receivedAt: z.string(),
  stageEnteredAt: z.string(),
  onHold: z.boolean(),
  holdReason: z.string().nullable(),
  sla: slaSchema,
  surveyResult: surveyResultSchema.nullable(),
  surveyNotes: z.string().nullable(),
  materials: z.array(z.object({ item: z.string(), quantity: z.number(), unit: z.string() })),
  surveyedByName: z.string().nullable(),
  approvedByName: z.string().nullable(),
  approvedAt: z.string().nullable(),
  crew: z.string().nullable(),
  scheduledDate: z.string().nullable(),
  installedOn: z.string().nullable(),
  meterSerial: z.string().nullable(),
  meterDials: z.number().int().nullable(),
  meterMultiplier: z.number().nullable(),
  installedByName: z.string().nullable(),
  commissionedOn: z.string().nullable(),
  initialRead: z.number().int().nullable(),
  removalRead: z.number().int().nullable(),
  meterId: z.string().nullable(),
  commissionedByName: z.string().nullable(),
  closedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  createdByName: z.string(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type ServiceOrder = z.infer<typeof serviceOrderSchema>;

export const EVENT_KINDS = ['created', 'updated', 'stage', 'hold', 'resume', 'note', 'attachment', 'cancelled'] as const;
export const orderEventSchema = z.object({
  id: z.string(),
  at: z.string(),
  kind: z.enum(EVENT_KINDS),
  fromStage: stageSchema.nullable(),
  toStage: stageSchema.nullable(),
  text: z.string().nullable(),
  actorName: z.string(),
});
export type OrderEvent = z.infer<typeof orderEventSchema>;

export const attachmentSchema = z.object({
  id: z.string(),
  fileRef: z.string(),
  label: z.string(),
  addedByName: z.string(),
  addedAt: z.string(),
});

export const checklistItemSchema = z.object({
  key: z.string(),
  label: z.string(),
  required: z.boolean(),
});
export type ChecklistItem = z.infer<typeof checklistItemSchema>;

export const checklistStatusSchema = z.object({
  stage: z.enum(CHECKLIST_STAGES),
  items: z.array(
    checklistItemSchema.extend({
      checkedByName: z.string().nullable(),
      checkedAt: z.string().nullable(),
    }),
  ),
});

export const stageDurationSchema = z.object({
  stage: stageSchema,
  /** Working hours spent in the stage, time on hold left out. */
  hours: z.number(),
  current: z.boolean(),
});

/* ---------------- reading ---------------- */

export const SLA_FILTERS = ['breached', 'at_risk', 'on_track', 'paused'] as const;

export const orderFilters = {
  stage: stageSchema.optional(),
  type: orderTypeSchema.optional(),
  priority: z.enum(PRIORITIES).optional(),
  sla: z.enum(SLA_FILTERS).optional(),
  /** Received on or after / before, in the branch's calendar. */
  from: localDate.optional(),
  to: localDate.optional(),
  search: z.string().trim().max(80).optional(),
  accountId: id.optional(),
};

export const ordersList = query({
  name: 'energy.installations.list',
  description: 'Service orders, oldest deadline first within a stage queue or newest first overall; filterable.',
  access: allow('energy.installations', 'view'),
  input: z.strictObject({ ...orderFilters, ...pageInput }),
  output: page(serviceOrderSchema),
});

export const ordersGet = query({
  name: 'energy.installations.get',
  description: 'One service order with its timeline, checklists, attachments and time spent per stage.',
  access: allow('energy.installations', 'view'),
  input: z.strictObject({ id }),
  output: z.object({
    order: serviceOrderSchema,
    timeline: z.array(orderEventSchema),
    attachments: z.array(attachmentSchema),
    checklists: z.array(checklistStatusSchema),
    stageDurations: z.array(stageDurationSchema),
    /** What the next action needs ticked (the next stage's checklist), empty when there is none. */
    nextChecklist: z.array(checklistItemSchema),
  }),
});

export const dashboardSchema = z.object({
  kpis: z.object({
    open: z.number().int(),
    openedToday: z.number().int(),
    commissionedThisWeek: z.number().int(),
    breached: z.number().int(),
    atRisk: z.number().int(),
    onHold: z.number().int(),
  }),
  /** The branch's current reporting week (its first day to today), which "commissioned this week" counts. */
  week: z.object({ from: z.string(), to: z.string() }),
  queue: z.array(z.object({ stage: stageSchema, count: z.number().int(), breached: z.number().int(), onHold: z.number().int() })),
  exceptions: z.array(serviceOrderSchema),
  recent: z.array(orderEventSchema.extend({ orderId: z.string(), orderNo: z.string() })),
});

export const ordersDashboard = query({
  name: 'energy.installations.dashboard',
  description: 'Open orders by stage (the work queues), deadline breaches and orders at risk, and the latest activity.',
  access: allow('energy.installations', 'view'),
  input: z.strictObject({}),
  output: dashboardSchema,
});

/**
 * The accounts and routes an order refers to. Meter reading logging owns them, but planners and
 * technicians who hold no rights there still need to pick the customer's account or the route a
 * new meter goes on, so installations offers its own narrow look-ups.
 */
export const accountLookupSchema = z.object({
  id: z.string(),
  accountNo: z.string(),
  name: z.string(),
  address: z.string(),
  status: z.enum(['active', 'inactive']),
  meterSerial: z.string().nullable(),
});

export const accountSearch = query({
  name: 'energy.installations.accountSearch',
  description: 'Find the customer account an order is for, by number, name, address or meter serial.',
  access: allow('energy.installations', 'view'),
  input: z.strictObject({ search: z.string().trim().min(2).max(80) }),
  output: z.array(accountLookupSchema),
});

export const routeOptions = query({
  name: 'energy.installations.routes',
  description: 'Routes a new connection’s meter can be read on.',
  access: allow('energy.installations', 'view'),
  input: z.strictObject({}),
  output: z.array(z.object({ id: z.string(), code: z.string(), name: z.string() })),
});

/* ---------------- writing ---------------- */

const ticked = z.array(z.string().min(1).max(60)).max(50).default([]);
const phone = z.string().trim().max(30);

export const ordersCreate = mutation({
  name: 'energy.installations.create',
  description: 'Register a service request; the service-level clock starts when it was received.',
  access: allow('energy.installations', 'create'),
  input: z
    .strictObject({
      type: orderTypeSchema,
      priority: z.enum(PRIORITIES).default('normal'),
      customerName: z.string().trim().min(2, 'Enter the customer’s name').max(120),
      phone: phone.optional(),
      address: z.string().trim().min(3, 'Enter the service address').max(200),
      description: z.string().trim().max(1000).optional(),
      /** The existing account an upgrade, relocation, disconnection or reconnection is for. */
      accountId: id.optional(),
      /** The route the new account's meter will be read on (new connections; may wait for commissioning). */
      routeId: id.optional(),
      /** A request taken earlier by phone or on paper: the clock starts then, not when it was typed in. */
      receivedAt: isoDateTime.optional(),
    })
    .refine((o) => o.type === 'new_connection' || o.accountId !== undefined, {
      path: ['accountId'],
      message: 'Pick the customer’s account: only new connections start without one',
    }),
  output: serviceOrderSchema,
});

export const ordersUpdate = mutation({
  name: 'energy.installations.update',
  description: 'Correct the request’s details or priority (a new priority moves the deadline) before installation.',
  access: allow('energy.installations', 'edit'),
  input: z.strictObject({
    id,
    version,
    priority: z.enum(PRIORITIES).optional(),
    customerName: z.string().trim().min(2).max(120).optional(),
    phone: phone.optional(),
    address: z.string().trim().min(3).max(200).optional(),
    description: z.string().trim().max(1000).optional(),
    routeId: id.optional(),
  }),
  output: serviceOrderSchema,
});

export const ordersSurvey = mutation({
  name: 'energy.installations.survey',
  description: 'Record the site survey: result, notes and the materials the job needs.',
  access: allow('energy.installations', 'edit'),
  input: z
    .strictObject({
      id,
      version,
      surveyResult: surveyResultSchema,
      surveyNotes: z.string().trim().min(3, 'Describe what the survey found').max(2000),
      materials: z.array(materialSchema).max(50).default([]),
      checked: ticked,
    })
    .refine((s) => s.surveyResult === 'not_feasible' || s.materials.length > 0, {
      path: ['materials'],
      message: 'List the materials the installation needs',
    }),
  output: serviceOrderSchema,
});

export const ordersApprove = mutation({
  name: 'energy.installations.approve',
  description: 'Approve a surveyed order for installation. Always decided by a second person with approve rights.',
  access: allow('energy.installations', 'submit'),
  input: z.strictObject({ id, version, note: z.string().trim().max(500).optional(), checked: ticked }),
  output: serviceOrderSchema,
});

export const ordersSchedule = mutation({
  name: 'energy.installations.schedule',
  description: 'Book the crew and the date (again, to reschedule).',
  access: allow('energy.installations', 'edit'),
  input: z.strictObject({
    id,
    version,
    crew: z.string().trim().min(2, 'Name the crew').max(120),
    scheduledDate: localDate,
    checked: ticked,
  }),
  output: serviceOrderSchema,
});

export const ordersInstall = mutation({
  name: 'energy.installations.install',
  description: 'Record the installation: date and the meter put up (or, for a disconnection, the meter taken off).',
  access: allow('energy.installations', 'edit'),
  input: z.strictObject({
    id,
    version,
    installedOn: localDate,
    meterSerial: z.string().trim().min(3, 'Enter the meter serial').max(30),
    meterDials: z.number().int().min(3).max(9).default(5),
    meterMultiplier: z.number().positive().max(10_000).default(1),
    notes: z.string().trim().max(1000).optional(),
    checked: ticked,
  }),
  output: serviceOrderSchema,
});

export const ordersCommission = mutation({
  name: 'energy.installations.commission',
  description:
    'Commission the service: creates or links the account and meter and records the initial read billing starts from (a disconnection records the final read instead).',
  access: allow('energy.installations', 'submit'),
  input: z.strictObject({
    id,
    version,
    commissionedOn: localDate,
    /** Register value of the new meter when the supply went on. */
    initialRead: z.number().int().nonnegative().max(999_999_999).optional(),
    /** Last read of the meter coming off (upgrade, relocation, disconnection). */
    removalRead: z.number().int().nonnegative().max(999_999_999).optional(),
    /** New connections: the account number to open (one is assigned when left out). */
    accountNo: z.string().trim().min(1).max(30).optional(),
    routeId: id.optional(),
    sequence: z.number().int().min(0).max(1_000_000).optional(),
    category: z.string().trim().min(2).max(40).optional(),
    checked: ticked,
  }),
  output: serviceOrderSchema,
});

export const ordersClose = mutation({
  name: 'energy.installations.close',
  description: 'Close a commissioned order once its paperwork is complete.',
  access: allow('energy.installations', 'submit'),
  input: z.strictObject({ id, version, checked: ticked }),
  output: serviceOrderSchema,
});

export const ordersCancel = mutation({
  name: 'energy.installations.cancel',
  description: 'Cancel an order that has not been commissioned, with the reason.',
  access: allow('energy.installations', 'void'),
  input: z.strictObject({ id, version, reason }),
  output: serviceOrderSchema,
});

export const ordersHold = mutation({
  name: 'energy.installations.hold',
  description: 'Put the order on hold while it waits on the customer: the service-level clock stops.',
  access: allow('energy.installations', 'edit'),
  input: z.strictObject({ id, version, reason }),
  output: serviceOrderSchema,
});

export const ordersResume = mutation({
  name: 'energy.installations.resume',
  description: 'Take the order off hold: the clock runs again and the deadline moves by the time on hold.',
  access: allow('energy.installations', 'edit'),
  input: z.strictObject({ id, version, note: z.string().trim().max(500).optional() }),
  output: serviceOrderSchema,
});

export const ordersAddNote = mutation({
  name: 'energy.installations.addNote',
  description: 'Add a note to the order’s timeline.',
  access: allow('energy.installations', 'edit'),
  input: z.strictObject({ id, text: z.string().trim().min(2, 'Write the note').max(2000) }),
  output: orderEventSchema,
});

export const ordersAddAttachment = mutation({
  name: 'energy.installations.addAttachment',
  description: 'Attach a document by reference (a path on the file share, a scan id, a URL).',
  access: allow('energy.installations', 'edit'),
  input: z.strictObject({
    id,
    fileRef: z.string().trim().min(3, 'Enter where the file is').max(500),
    label: z.string().trim().min(2, 'Say what the file is').max(120),
  }),
  output: attachmentSchema,
});

/* ---------------- reports ---------------- */

export const REPORT_PERIODS = ['day', 'week', 'month'] as const;
export const REPORT_GROUPS = ['period', 'type', 'priority', 'stage'] as const;

export const reportInput = z.strictObject({
  period: z.enum(REPORT_PERIODS).default('day'),
  from: localDate,
  to: localDate,
  groupBy: z.enum(REPORT_GROUPS).default('period'),
  type: orderTypeSchema.optional(),
  priority: z.enum(PRIORITIES).optional(),
});

export const reportRowSchema = z.object({
  key: z.string(),
  label: z.string(),
  opened: z.number().int(),
  commissioned: z.number().int(),
  cancelled: z.number().int(),
  slaMet: z.number().int(),
  slaBreached: z.number().int(),
  /** Mean working hours from receipt to commissioning of the orders commissioned in the row. */
  avgHoursToCommission: z.number().nullable(),
});
export type InstallationsReportRow = z.infer<typeof reportRowSchema>;

export const ordersReport = query({
  name: 'energy.installations.report',
  description:
    'Orders opened, commissioned and cancelled per day, week or month (branch time zone) or by type, priority or current stage; deadline met/breached and average time per stage.',
  access: allow('energy.installations', 'view'),
  input: reportInput,
  output: z.object({
    rows: z.array(reportRowSchema),
    totals: reportRowSchema,
    stageDurations: z.array(z.object({ stage: stageSchema, orders: z.number().int(), avgHours: z.number() })),
    openByStage: z.array(z.object({ stage: stageSchema, count: z.number().int() })),
  }),
});

export const ordersExport = mutation({
  name: 'energy.installations.export',
  description: 'Export the installations report (summary sheet) and its orders (detail sheet) as a job.',
  access: allow('energy.installations', 'export'),
  input: reportInput.extend({ format: z.enum(['xlsx', 'csv']).default('xlsx') }),
  output: z.object({ jobId: z.string() }),
});

export const installationContracts = [
  ordersList,
  ordersGet,
  ordersDashboard,
  accountSearch,
  routeOptions,
  ordersCreate,
  ordersUpdate,
  ordersSurvey,
  ordersApprove,
  ordersSchedule,
  ordersInstall,
  ordersCommission,
  ordersClose,
  ordersCancel,
  ordersHold,
  ordersResume,
  ordersAddNote,
  ordersAddAttachment,
  ordersReport,
  ordersExport,
] as const;
