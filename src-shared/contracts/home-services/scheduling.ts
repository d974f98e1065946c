import { z } from 'zod';
import { allow, id, isoDateTime, localDate, mutation, page, pageInput, query, reason, version } from '../../rpc';
import { PRIORITIES, REPORT_PERIODS } from './common';

/**
 * Service appointment scheduling: availability search, booking (transactional: two clerks on the
 * same slot → one succeeds, the other gets CONFLICT with the next free slots), recurring series
 * that keep local wall-clock time, reschedule / cancel with reason codes, no-shows, the reminder
 * queue, the calendar and the report. A booking creates its dispatch job in the same transaction.
 */

/**
 * requested: pencilled in, waiting for the customer's confirmation (still holds its slot).
 * confirmed: agreed with the customer. rescheduled: confirmed at a new time.
 * completed: the visit was checked out. cancelled / no_show: with who and why.
 */
export const APPOINTMENT_STATUSES = ['requested', 'confirmed', 'rescheduled', 'completed', 'cancelled', 'no_show'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];
/** The states that hold a slot on somebody's day. */
export const ACTIVE_STATUSES = ['requested', 'confirmed', 'rescheduled'] as const satisfies readonly AppointmentStatus[];
export const STATUS_LABELS: Record<AppointmentStatus, string> = {
  requested: 'Requested',
  confirmed: 'Confirmed',
  rescheduled: 'Rescheduled',
  completed: 'Completed',
  cancelled: 'Cancelled',
  no_show: 'No-show',
};

export const CHANNELS = ['phone', 'counter', 'online', 'field'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_LABELS: Record<Channel, string> = {
  phone: 'Phone',
  counter: 'Counter',
  online: 'Online',
  field: 'Booked in the field',
};

export const CANCEL_REASONS = {
  customer_request: 'Customer asked to cancel',
  customer_unreachable: 'Customer could not be reached',
  duplicate: 'Booked twice by mistake',
  technician_unavailable: 'No technician available',
  weather: 'Weather or access problem',
  other: 'Other (see note)',
} as const;
export type CancelReason = keyof typeof CANCEL_REASONS;
export const cancelReasonSchema = z.enum(Object.keys(CANCEL_REASONS) as [CancelReason, ...CancelReason[]]);

export const RESCHEDULE_REASONS = {
  customer_request: 'Customer asked for another time',
  technician_unavailable: 'Technician unavailable',
  parts_delay: 'Waiting for parts',
  weather: 'Weather or access problem',
  other: 'Other (see note)',
} as const;
export type RescheduleReason = keyof typeof RESCHEDULE_REASONS;
export const rescheduleReasonSchema = z.enum(Object.keys(RESCHEDULE_REASONS) as [RescheduleReason, ...RescheduleReason[]]);

export const RECURRENCE_FREQUENCIES = ['weekly', 'monthly'] as const;
export const recurrenceSchema = z.strictObject({
  frequency: z.enum(RECURRENCE_FREQUENCIES),
  /** Every N weeks / months. */
  interval: z.number().int().min(1).max(12).default(1),
  /** Occurrences including the first. */
  count: z.number().int().min(2).max(52),
});
export type Recurrence = z.infer<typeof recurrenceSchema>;

export const appointmentSchema = z.object({
  id: z.string(),
  number: z.string(),
  customerId: z.string(),
  customerNo: z.string(),
  customerName: z.string(),
  customerAddress: z.string(),
  customerPhone: z.string().nullable(),
  zoneCode: z.string().nullable(),
  serviceId: z.string(),
  serviceSku: z.string(),
  serviceName: z.string(),
  serviceCategory: z.string(),
  durationMinutes: z.number().int(),
  priceMinor: z.number().int(),
  startsAt: z.string(),
  endsAt: z.string(),
  /** The branch-local calendar date of the start. */
  localDate: z.string(),
  technicianId: z.string().nullable(),
  technicianName: z.string().nullable(),
  status: z.enum(APPOINTMENT_STATUSES),
  channel: z.enum(CHANNELS),
  priority: z.enum(PRIORITIES),
  notes: z.string().nullable(),
  seriesId: z.string().nullable(),
  seriesIndex: z.number().int().nullable(),
  /** An occurrence edited on its own no longer follows edits of its series. */
  detached: z.boolean(),
  rescheduleCount: z.number().int(),
  lateCancel: z.boolean(),
  cancelReasonCode: cancelReasonSchema.nullable(),
  cancelReason: z.string().nullable(),
  closedAt: z.string().nullable(),
  closedByName: z.string().nullable(),
  jobId: z.string(),
  jobState: z.string(),
  jobVersion: z.number().int(),
  visitId: z.string().nullable(),
  visitStatus: z.string().nullable(),
  bookedByName: z.string(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type Appointment = z.infer<typeof appointmentSchema>;

/* ---------------- availability ---------------- */

export const slotSchema = z.object({
  startsAt: z.string(),
  endsAt: z.string(),
  /** Eligible technicians free for this slot, best first. */
  technicianIds: z.array(z.string()),
  /** Bookings the slot can still take ("any technician"): free eligible technicians minus unassigned bookings competing for them. */
  capacityLeft: z.number().int(),
});
export type Slot = z.infer<typeof slotSchema>;

export const availabilityInput = z.strictObject({
  serviceId: id,
  customerId: id,
  /** Only this technician's free time; without it, any eligible technician. */
  technicianId: id.optional(),
  /** Search from this instant (never earlier than now + minimum notice). */
  from: isoDateTime.optional(),
  days: z.number().int().min(1).max(62).default(14),
  limit: z.number().int().min(1).max(500).default(20),
  /** Leave out slots of bookings being moved (a reschedule must not collide with itself). */
  ignoreAppointmentId: id.optional(),
});

export const availability = query({
  name: 'homeServices.scheduling.availability',
  description:
    'Free slots for a service at a customer: working hours − breaks − time off − bookings widened by travel and buffer, inside minimum notice and the booking horizon, by eligible technicians (skills, zone), within slot capacity.',
  access: allow('homeServices.scheduling', 'view'),
  input: availabilityInput,
  output: z.object({
    slots: z.array(slotSchema),
    searchedFrom: z.string(),
    searchedTo: z.string(),
    eligibleTechnicians: z.number().int(),
    /** Why nothing was found, in words, when slots is empty. */
    explanation: z.string().nullable(),
  }),
});

/* ---------------- booking ---------------- */

export const bookInput = z.strictObject({
  customerId: id,
  serviceId: id,
  startsAt: isoDateTime,
  /** Book onto this technician's day; without it the job waits in the dispatcher's unassigned tray. */
  technicianId: id.optional(),
  channel: z.enum(CHANNELS).default('phone'),
  priority: z.enum(PRIORITIES).default('normal'),
  notes: z.string().trim().max(500).optional(),
  /** false: pencil in as requested until the customer confirms. */
  confirmed: z.boolean().default(true),
  recurrence: recurrenceSchema.optional(),
});
export type BookInput = z.input<typeof bookInput>;

export const book = mutation({
  name: 'homeServices.scheduling.book',
  description:
    'Book an appointment (or a recurring series). The slot is checked inside the write transaction: when someone took it first the answer is CONFLICT with `details.nextSlots`.',
  access: allow('homeServices.scheduling', 'create'),
  // A retried click must not book twice.
  idempotent: true,
  input: bookInput,
  output: z.object({
    appointment: appointmentSchema,
    /** Every occurrence of a series, the first included. */
    series: z.array(appointmentSchema),
  }),
});

export const seriesPreview = query({
  name: 'homeServices.scheduling.previewSeries',
  description: 'The occurrences a recurrence would book, each with whether it is free, before booking it.',
  access: allow('homeServices.scheduling', 'view'),
  input: bookInput.pick({ customerId: true, serviceId: true, startsAt: true, technicianId: true }).extend({ recurrence: recurrenceSchema }),
  output: z.array(z.object({ startsAt: z.string(), endsAt: z.string(), free: z.boolean(), problem: z.string().nullable() })),
});

export const confirm = mutation({
  name: 'homeServices.scheduling.confirm',
  description: 'The customer confirmed a requested appointment.',
  access: allow('homeServices.scheduling', 'edit'),
  input: z.strictObject({ id, version }),
  output: appointmentSchema,
});

export const SCOPES = ['occurrence', 'series'] as const;

export const reschedule = mutation({
  name: 'homeServices.scheduling.reschedule',
  description:
    'Move an appointment (scope occurrence) or every later occurrence of its series by the same wall-clock shift (scope series). The technician is kept when still free, else the job returns to the unassigned tray.',
  access: allow('homeServices.scheduling', 'edit'),
  input: z.strictObject({
    id,
    version,
    startsAt: isoDateTime,
    technicianId: id.nullable().optional(),
    reasonCode: rescheduleReasonSchema,
    note: z.string().trim().max(500).optional(),
    scope: z.enum(SCOPES).default('occurrence'),
  }),
  output: z.object({ appointment: appointmentSchema, moved: z.number().int(), unassigned: z.number().int() }),
});

export const cancel = mutation({
  name: 'homeServices.scheduling.cancel',
  description:
    'Cancel an appointment or the rest of its series with a reason code. Inside the late-cancellation window it is marked late, so package and subscription billing can consume a session or charge a fee.',
  access: allow('homeServices.scheduling', 'edit'),
  input: z.strictObject({
    id,
    version,
    reasonCode: cancelReasonSchema,
    note: z.string().trim().max(500).optional(),
    scope: z.enum(SCOPES).default('occurrence'),
  }),
  output: z.object({ appointment: appointmentSchema, cancelled: z.number().int(), lateCancel: z.boolean() }),
});

export const markNoShow = mutation({
  name: 'homeServices.scheduling.markNoShow',
  description: 'The customer was not there: closes the appointment and its job as a no-show.',
  access: allow('homeServices.scheduling', 'edit'),
  input: z.strictObject({ id, version, reason }),
  output: appointmentSchema,
});

/* ---------------- reading ---------------- */

export const appointmentFilters = {
  status: z.enum(APPOINTMENT_STATUSES).optional(),
  serviceId: id.optional(),
  technicianId: id.optional(),
  customerId: id.optional(),
  channel: z.enum(CHANNELS).optional(),
  category: z.string().max(40).optional(),
  seriesId: id.optional(),
  lateCancel: z.boolean().optional(),
  from: localDate.optional(),
  to: localDate.optional(),
  search: z.string().trim().max(80).optional(),
};

export const list = query({
  name: 'homeServices.scheduling.list',
  description: 'Appointments by start time (soonest first), filterable; paged by key.',
  access: allow('homeServices.scheduling', 'view'),
  input: z.strictObject({ ...appointmentFilters, ...pageInput }),
  output: page(appointmentSchema).extend({
    totals: z.object({ bookedMinutes: z.number().int(), cancelled: z.number().int(), noShows: z.number().int() }),
  }),
});

export const get = query({
  name: 'homeServices.scheduling.get',
  description: 'One appointment with the other occurrences of its series.',
  access: allow('homeServices.scheduling', 'view'),
  input: z.strictObject({ id }),
  output: z.object({ appointment: appointmentSchema, series: z.array(appointmentSchema) }),
});

export const calendarDaySchema = z.object({
  date: z.string(),
  working: z.array(z.object({ startsAt: z.string(), endsAt: z.string() })),
  breaks: z.array(z.object({ startsAt: z.string(), endsAt: z.string() })),
  timeOff: z.array(z.object({ startsAt: z.string(), endsAt: z.string(), reason: z.string() })),
  appointments: z.array(appointmentSchema),
  availableMinutes: z.number().int(),
  bookedMinutes: z.number().int(),
});

export const calendar = query({
  name: 'homeServices.scheduling.calendar',
  description: 'A day or a week per technician: working time, breaks, time off and appointments; plus bookings not yet assigned.',
  access: allow('homeServices.scheduling', 'view'),
  input: z.strictObject({ from: localDate, days: z.number().int().min(1).max(7).default(1), technicianId: id.optional() }),
  output: z.object({
    technicians: z.array(z.object({ id: z.string(), code: z.string(), name: z.string(), color: z.string(), days: z.array(calendarDaySchema) })),
    unassigned: z.array(appointmentSchema),
  }),
});

export const REMINDER_KINDS = ['day_before', 'same_day'] as const;
export const reminderSchema = z.object({
  appointmentId: z.string(),
  appointmentNumber: z.string(),
  kind: z.string(),
  channel: z.enum(['sms', 'email']),
  to: z.string(),
  customerName: z.string(),
  sendAt: z.string(),
  startsAt: z.string(),
  message: z.string(),
  /** due: its time has come (a messaging service would send it now); scheduled: later. */
  state: z.enum(['scheduled', 'due']),
});
export type Reminder = z.infer<typeof reminderSchema>;

export const reminders = query({
  name: 'homeServices.scheduling.reminders',
  description:
    'The reminder queue: what would be sent to whom and when for upcoming appointments (no messaging service is connected yet). Customers without phone or e-mail are listed under `unreachable`.',
  access: allow('homeServices.scheduling', 'view'),
  input: z.strictObject({ hours: z.number().int().min(1).max(24 * 14).default(48) }),
  output: z.object({ reminders: z.array(reminderSchema), unreachable: z.array(appointmentSchema) }),
});

/* ---------------- report ---------------- */

export const REPORT_GROUPS = ['period', 'service', 'category', 'channel', 'technician'] as const;
export type ReportGroup = (typeof REPORT_GROUPS)[number];

export const reportInput = z.strictObject({
  period: z.enum(REPORT_PERIODS).default('day'),
  from: localDate,
  to: localDate,
  groupBy: z.enum(REPORT_GROUPS).default('period'),
  serviceId: id.optional(),
  technicianId: id.optional(),
  channel: z.enum(CHANNELS).optional(),
  category: z.string().max(40).optional(),
});

export const reportRowSchema = z.object({
  key: z.string(),
  label: z.string(),
  bookings: z.number().int(),
  bookedMinutes: z.number().int(),
  completed: z.number().int(),
  open: z.number().int(),
  cancelled: z.number().int(),
  lateCancellations: z.number().int(),
  noShows: z.number().int(),
  /** Price of completed appointments, minor units. */
  completedValueMinor: z.number().int(),
});
export type ReportRow = z.infer<typeof reportRowSchema>;

export const report = query({
  name: 'homeServices.scheduling.report',
  description: 'Bookings by day / week / month (branch time zone) or by service, category, channel or technician: cancellations, late cancellations and no-shows.',
  access: allow('homeServices.scheduling', 'view'),
  input: reportInput,
  output: z.object({ rows: z.array(reportRowSchema), totals: reportRowSchema }),
});

export const exportReport = mutation({
  name: 'homeServices.scheduling.export',
  description: 'Export the bookings report (summary sheet) and its appointments (detail sheet) as a job.',
  access: allow('homeServices.scheduling', 'export'),
  input: reportInput.extend({ format: z.enum(['xlsx', 'csv']).default('xlsx') }),
  output: z.object({ jobId: z.string() }),
});

export const schedulingContracts = [
  availability,
  book,
  seriesPreview,
  confirm,
  reschedule,
  cancel,
  markNoShow,
  list,
  get,
  calendar,
  reminders,
  report,
  exportReport,
] as const;
