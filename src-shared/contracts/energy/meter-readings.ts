import { z } from 'zod';
import { allow, id, localDate, mutation, page, pageInput, query, reason, version } from '../../rpc';

/**
 * Meter reading logging: the reference function. Every other function copies this anatomy:
 * enums and labels, row schemas, then list / get / create / update / submit procedures, the
 * report and its export. The renderer validates its forms with these same schemas.
 */

export const READ_TYPES = ['actual', 'customer', 'estimated'] as const;
export type ReadType = (typeof READ_TYPES)[number];

/** Why no read was possible; a skipped meter gets an estimated reading instead. */
export const SKIP_CODES = {
  no_access: 'No access to meter',
  locked: 'Premises locked',
  dog: 'Dog on premises',
  meter_damaged: 'Meter damaged',
  meter_not_found: 'Meter not found',
  unsafe: 'Unsafe to read',
  customer_refused: 'Customer refused',
} as const;
export type SkipCode = keyof typeof SKIP_CODES;
export const skipCodeSchema = z.enum(Object.keys(SKIP_CODES) as [SkipCode, ...SkipCode[]]);

/** VEE exceptions, each a named rule (DOMAIN.md). A reading with any of them waits for review. */
export const EXCEPTION_CODES = {
  ROLLOVER: 'Register rolled over: review the consumption',
  NEGATIVE_CONSUMPTION: 'Reading is lower than the previous one',
  HIGH_CONSUMPTION: 'Consumption above the expected range',
  LOW_CONSUMPTION: 'Consumption below the expected range',
  ZERO_CONSUMPTION: 'No consumption on an active account',
  READ_DATE_OUT_OF_ORDER: 'Read date is not after the previous read',
  CONSECUTIVE_ESTIMATES: 'Too many estimated reads in a row',
} as const;
export type ExceptionCode = keyof typeof EXCEPTION_CODES;
export const exceptionCodeSchema = z.enum(Object.keys(EXCEPTION_CODES) as [ExceptionCode, ...ExceptionCode[]]);

export const veeExceptionSchema = z.object({
  code: exceptionCodeSchema,
  message: z.string(),
});
export type VeeException = z.infer<typeof veeExceptionSchema>;

/**
 * posted: passed VEE, or cleared by review — billing uses these.
 * exception: saved with its exceptions, waiting for a supervisor.
 * reread: a supervisor ordered the meter read again; not billable.
 */
export const READING_STATUSES = ['posted', 'exception', 'reread'] as const;
export type ReadingStatus = (typeof READING_STATUSES)[number];
export const RESOLUTIONS = ['accepted', 'corrected'] as const;
/** regular reads; a meter exchange writes a removal read on the old meter and an install read on the new. */
export const READING_PURPOSES = ['regular', 'removal', 'install'] as const;

export const expectedRangeSchema = z.object({
  /** Expected consumption in units (after the multiplier) for the days since the previous read. */
  units: z.number(),
  /** Register values that would be acceptable (before the multiplier). */
  lowRead: z.number().int(),
  highRead: z.number().int(),
  days: z.number().int(),
});
export type ExpectedRange = z.infer<typeof expectedRangeSchema>;

export const readingSchema = z.object({
  id: z.string(),
  meterId: z.string(),
  meterSerial: z.string(),
  accountId: z.string(),
  accountNo: z.string(),
  accountName: z.string(),
  routeId: z.string().nullable(),
  routeCode: z.string().nullable(),
  register: z.string(),
  value: z.number().int(),
  originalValue: z.number().int().nullable(),
  readDate: z.string(),
  readType: z.enum(READ_TYPES),
  purpose: z.enum(READING_PURPOSES),
  skipCode: skipCodeSchema.nullable(),
  remark: z.string().nullable(),
  consumption: z.number(),
  previousValue: z.number().int().nullable(),
  previousReadDate: z.string().nullable(),
  status: z.enum(READING_STATUSES),
  resolution: z.enum(RESOLUTIONS).nullable(),
  exceptions: z.array(veeExceptionSchema),
  reviewReason: z.string().nullable(),
  readerId: z.string(),
  readerName: z.string(),
  source: z.enum(['manual', 'import', 'estimate']),
  createdAt: z.string(),
  version: z.number().int(),
});
export type Reading = z.infer<typeof readingSchema>;

/* ---------------- master data it needs ---------------- */

export const routeSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  meterCount: z.number().int(),
  /** For the asked date's reading period: the route's installed meters that have a standing regular read. */
  readCount: z.number().int(),
  /** For that period: readings recorded on the route that wait in the review queue. */
  exceptionCount: z.number().int(),
  version: z.number().int(),
});
export type Route = z.infer<typeof routeSchema>;

export const routesList = query({
  name: 'energy.routes.list',
  description: 'Routes (reader walks) with meter counts and reading progress for a date.',
  access: allow('energy.meterReadings', 'view'),
  input: z.strictObject({ readDate: localDate.optional() }),
  output: z.array(routeSchema),
});

export const routesCreate = mutation({
  name: 'energy.routes.create',
  description: 'Create a route (book) of meters walked in sequence.',
  access: allow('energy.meterReadings', 'admin'),
  input: z.strictObject({
    code: z.string().trim().min(1).max(20),
    name: z.string().trim().min(2).max(80),
  }),
  output: routeSchema,
});

export const routesUpdate = mutation({
  name: 'energy.routes.update',
  description: 'Rename a route. Its code stays: readers, sheets and reports know the route by it.',
  access: allow('energy.meterReadings', 'admin'),
  input: z.strictObject({
    id,
    version,
    name: z.string().trim().min(2).max(80),
  }),
  output: routeSchema,
});

export const accountSchema = z.object({
  id: z.string(),
  accountNo: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  address: z.string(),
  routeId: z.string().nullable(),
  routeCode: z.string().nullable(),
  sequence: z.number().int(),
  status: z.enum(['active', 'inactive']),
  category: z.string(),
  meterId: z.string().nullable(),
  meterSerial: z.string().nullable(),
  version: z.number().int(),
});
export type Account = z.infer<typeof accountSchema>;

export const accountsList = query({
  name: 'energy.accounts.list',
  description: 'Find accounts by number, meter serial, name or phone.',
  access: allow('energy.meterReadings', 'view'),
  input: z.strictObject({
    search: z.string().trim().max(80).optional(),
    routeId: id.optional(),
    ...pageInput,
  }),
  output: page(accountSchema),
});

export const accountsCreate = mutation({
  name: 'energy.accounts.create',
  description: 'Create a customer account on a route.',
  access: allow('energy.meterReadings', 'admin'),
  input: z.strictObject({
    accountNo: z.string().trim().min(1).max(30),
    name: z.string().trim().min(2).max(120),
    phone: z.string().trim().max(30).optional(),
    address: z.string().trim().min(3).max(200),
    routeId: id,
    sequence: z.number().int().min(0).max(1_000_000),
    category: z.string().trim().min(2).max(40).default('residential'),
    /** Inactive accounts (vacant premises) may show zero consumption without an exception. */
    status: z.enum(['active', 'inactive']).default('active'),
  }),
  output: accountSchema,
});

export const accountsUpdate = mutation({
  name: 'energy.accounts.update',
  description:
    "Change an account's customer details, its place on a route, its tariff category or its status. The account number stays: bills, receipts and the customer quote it.",
  access: allow('energy.meterReadings', 'admin'),
  input: z.strictObject({
    id,
    version,
    name: accountsCreate.input.shape.name,
    phone: accountsCreate.input.shape.phone,
    address: accountsCreate.input.shape.address,
    routeId: id,
    sequence: accountsCreate.input.shape.sequence,
    category: z.string().trim().min(2).max(40),
    status: z.enum(['active', 'inactive']),
  }),
  output: accountSchema,
});

export const meterSchema = z.object({
  id: z.string(),
  serial: z.string(),
  dials: z.number().int(),
  multiplier: z.number(),
  accountId: z.string().nullable(),
  status: z.enum(['installed', 'removed']),
  installedOn: z.string(),
  removedOn: z.string().nullable(),
  version: z.number().int(),
});

export const metersCreate = mutation({
  name: 'energy.meters.create',
  description: 'Install a meter on an account with its initial register value.',
  access: allow('energy.meterReadings', 'admin'),
  input: z.strictObject({
    serial: z.string().trim().min(3).max(30),
    dials: z.number().int().min(3).max(9),
    multiplier: z.number().positive().max(10_000).default(1),
    accountId: id,
    installedOn: localDate,
    initialRead: z.number().int().nonnegative(),
  }),
  output: meterSchema,
});

export const metersGet = query({
  name: 'energy.meters.get',
  description: 'A meter with its account and reading history (newest first), for the detail chart.',
  access: allow('energy.meterReadings', 'view'),
  input: z.strictObject({ id }),
  output: z.object({
    meter: meterSchema,
    account: accountSchema.nullable(),
    history: z.array(readingSchema),
  }),
});

export const metersExchange = mutation({
  name: 'energy.meters.exchange',
  description: 'Replace a meter: the removal read closes the old meter, the install read opens the new one.',
  access: allow('energy.meterReadings', 'edit'),
  input: z.strictObject({
    meterId: id,
    version,
    exchangeDate: localDate,
    removalRead: z.number().int().nonnegative(),
    newSerial: z.string().trim().min(3).max(30),
    newDials: z.number().int().min(3).max(9),
    newMultiplier: z.number().positive().max(10_000).default(1),
    installRead: z.number().int().nonnegative(),
    reason,
  }),
  output: z.object({ oldMeter: meterSchema, newMeter: meterSchema }),
});

/* ---------------- readings ---------------- */

export const readingEntry = z
  .strictObject({
    meterId: id,
    readDate: localDate,
    readType: z.enum(READ_TYPES).default('actual'),
    /** Register value as shown on the dials; absent when a skip code says why no read was possible. */
    value: z.number().int().nonnegative().max(999_999_999).optional(),
    skipCode: skipCodeSchema.optional(),
    remark: z.string().trim().max(300).optional(),
  })
  .refine((r) => r.value !== undefined || r.skipCode !== undefined, {
    path: ['value'],
    message: 'Enter the reading, or pick a skip code if the meter could not be read',
  })
  .refine((r) => !(r.value !== undefined && r.skipCode !== undefined), {
    path: ['skipCode'],
    message: 'A skipped meter has no reading; clear the value or the skip code',
  });
export type ReadingEntry = z.input<typeof readingEntry>;

export const readingsPreview = query({
  name: 'energy.meterReadings.preview',
  description: 'Run VEE on a value as it is typed: consumption, exceptions and the expected range; saves nothing.',
  access: allow('energy.meterReadings', 'view'),
  input: readingEntry,
  output: z.object({
    consumption: z.number(),
    value: z.number().int(),
    estimated: z.boolean(),
    exceptions: z.array(veeExceptionSchema),
    expected: expectedRangeSchema.nullable(),
  }),
});

export const readingsCreate = mutation({
  name: 'energy.meterReadings.create',
  description: 'Save a reading (or an estimate for a skipped meter) with the exceptions VEE found.',
  access: allow('energy.meterReadings', 'create'),
  /** `source: 'import'` marks rows that came from a handheld file (the import job sets it). */
  input: readingEntry.extend({ source: z.enum(['manual', 'import']).default('manual') }),
  output: readingSchema,
});

export const routeSheetRow = z.object({
  meterId: z.string(),
  serial: z.string(),
  dials: z.number().int(),
  multiplier: z.number(),
  accountId: z.string(),
  accountNo: z.string(),
  accountName: z.string(),
  address: z.string(),
  accountActive: z.boolean(),
  sequence: z.number().int(),
  previousValue: z.number().int().nullable(),
  previousReadDate: z.string().nullable(),
  previousReadType: z.enum(READ_TYPES).nullable(),
  expected: expectedRangeSchema.nullable(),
  /** The reading already entered for this walk, if any. */
  current: readingSchema.nullable(),
});
export type RouteSheetRow = z.infer<typeof routeSheetRow>;

export const routeSheet = query({
  name: 'energy.meterReadings.routeSheet',
  description: 'A route’s meters in walking order with previous read, expected range and any read already entered.',
  access: allow('energy.meterReadings', 'view'),
  input: z.strictObject({ routeId: id, readDate: localDate }),
  output: z.object({ route: routeSchema, rows: z.array(routeSheetRow) }),
});

export const readingFilters = {
  routeId: id.optional(),
  status: z.enum(READING_STATUSES).optional(),
  exception: exceptionCodeSchema.optional(),
  readType: z.enum(READ_TYPES).optional(),
  readerId: id.optional(),
  accountId: id.optional(),
  meterId: id.optional(),
  category: z.string().max(40).optional(),
  from: localDate.optional(),
  to: localDate.optional(),
  search: z.string().trim().max(80).optional(),
};

export const readingsList = query({
  name: 'energy.meterReadings.list',
  description: 'Readings, newest first, filterable; the review queue is status=exception.',
  access: allow('energy.meterReadings', 'view'),
  input: z.strictObject({ ...readingFilters, ...pageInput }),
  output: page(readingSchema).extend({
    totals: z.object({ consumption: z.number(), exceptions: z.number().int() }),
  }),
});

export const readingsGet = query({
  name: 'energy.meterReadings.get',
  description: 'One reading with its meter’s recent history.',
  access: allow('energy.meterReadings', 'view'),
  input: z.strictObject({ id }),
  output: z.object({ reading: readingSchema, history: z.array(readingSchema) }),
});

export const readingsReview = mutation({
  name: 'energy.meterReadings.review',
  description:
    'Clear an exception: accept it as read (an override, approval-gated), correct the value with a reason, or order a re-read.',
  // edit, not submit: the readers who entered an exception hold submit and must not clear their own.
  access: allow('energy.meterReadings', 'edit'),
  input: z
    .strictObject({
      id,
      version,
      action: z.enum(['accept', 'correct', 'reread']),
      correctedValue: z.number().int().nonnegative().max(999_999_999).optional(),
      reason,
    })
    .refine((r) => r.action !== 'correct' || r.correctedValue !== undefined, {
      path: ['correctedValue'],
      message: 'Enter the corrected reading',
    }),
  output: readingSchema,
});

export const importResultSchema = z.object({
  total: z.number().int(),
  saved: z.number().int(),
  exceptions: z.number().int(),
  duplicates: z.number().int(),
  failed: z.array(z.object({ row: z.number().int(), reason: z.string() })),
});
export type ImportResult = z.infer<typeof importResultSchema>;

export const readingsImport = mutation({
  name: 'energy.meterReadings.import',
  description:
    'Import a handheld export (CSV or XLSX: meter_serial, read_date, value, read_type, skip_code, remark) as a job. Good rows are saved, bad rows reported; re-importing is harmless.',
  access: allow('energy.meterReadings', 'create'),
  input: z.strictObject({
    fileName: z.string().trim().min(1).max(200).regex(/\.(csv|xlsx)$/i, 'Choose a .csv or .xlsx file'),
    /** The file's bytes, base64; 40 MB is far above any route's export. */
    contentBase64: z.string().min(1).max(40 * 1024 * 1024),
  }),
  output: z.object({ jobId: z.string() }),
});

export const REPORT_PERIODS = ['day', 'week', 'month'] as const;
export const REPORT_GROUPS = ['period', 'route', 'reader', 'category', 'readType'] as const;

export const reportInput = z.strictObject({
  period: z.enum(REPORT_PERIODS).default('day'),
  from: localDate,
  to: localDate,
  groupBy: z.enum(REPORT_GROUPS).default('period'),
  routeId: id.optional(),
  readerId: id.optional(),
  category: z.string().max(40).optional(),
});

export const reportRowSchema = z.object({
  key: z.string(),
  label: z.string(),
  readings: z.number().int(),
  actual: z.number().int(),
  estimated: z.number().int(),
  skipped: z.number().int(),
  exceptions: z.number().int(),
  consumption: z.number(),
});
export type ReportRow = z.infer<typeof reportRowSchema>;

export const readingsReport = query({
  name: 'energy.meterReadings.report',
  description: 'Daily, weekly or monthly reading figures in the branch’s time zone, grouped by period or a drilldown dimension.',
  access: allow('energy.meterReadings', 'view'),
  input: reportInput,
  output: z.object({ rows: z.array(reportRowSchema), totals: reportRowSchema }),
});

export const readingsExport = mutation({
  name: 'energy.meterReadings.export',
  description: 'Export the report (summary sheet) and its readings (detail sheet) to Excel as a job.',
  access: allow('energy.meterReadings', 'export'),
  input: reportInput.extend({ format: z.enum(['xlsx', 'csv']).default('xlsx') }),
  output: z.object({ jobId: z.string() }),
});

export const meterReadingContracts = [
  routesList,
  routesCreate,
  routesUpdate,
  accountsList,
  accountsCreate,
  accountsUpdate,
  metersCreate,
  metersGet,
  metersExchange,
  readingsPreview,
  readingsCreate,
  routeSheet,
  readingsList,
  readingsGet,
  readingsReview,
  readingsImport,
  readingsReport,
  readingsExport,
] as const;
