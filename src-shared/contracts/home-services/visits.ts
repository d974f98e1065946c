import { z } from 'zod';
import { allow, id, isoDateTime, localDate, mutation, page, pageInput, query, reason, version } from '../../rpc';
import { REPORT_PERIODS, latitude, longitude } from './common';
import { jobSchema } from './dispatch';

/**
 * Home visit tracking: check-in and check-out with time, location and GPS accuracy, evidence
 * (note, the customer's signature drawn on a canvas, photo file references), the six
 * electronic-visit-verification elements, geofence verification, missed-visit detection (a job)
 * and supervisor corrections with a reason code.
 */

/** in_progress: checked in; completed: checked out; missed: no check-in by the end of its window + grace. */
export const VISIT_STATUSES = ['in_progress', 'completed', 'missed'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];
export const VISIT_STATUS_LABELS: Record<VisitStatus, string> = { in_progress: 'On site', completed: 'Completed', missed: 'Missed' };

/** Within the radius: verified; within radius + GPS accuracy (up to the tolerance): warning; beyond, or no fix: exception. */
export const GEOFENCE_LEVELS = ['verified', 'warning', 'exception'] as const;
export type GeofenceLevel = (typeof GEOFENCE_LEVELS)[number];
export const GEOFENCE_LABELS: Record<GeofenceLevel, string> = { verified: 'Verified', warning: 'Warning', exception: 'Exception' };

/** completed: the work is done; follow_up: another visit is needed (not first-time-right). */
export const OUTCOMES = ['completed', 'follow_up'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const CORRECTION_REASONS = {
  gps_failure: 'GPS failed or was inaccurate on site',
  device_problem: 'Device or app problem',
  forgot_check_in: 'Technician forgot to check in',
  forgot_check_out: 'Technician forgot to check out',
  address_wrong: 'Customer’s stored coordinates are wrong',
  visit_happened: 'The visit took place (confirmed with the customer)',
  other: 'Other (see reason)',
} as const;
export type CorrectionReason = keyof typeof CORRECTION_REASONS;
export const correctionReasonSchema = z.enum(Object.keys(CORRECTION_REASONS) as [CorrectionReason, ...CorrectionReason[]]);

export const locationInput = z.strictObject({
  lat: latitude,
  lng: longitude,
  /** The device's reported accuracy radius in metres. */
  accuracyM: z.number().min(0).max(100_000),
});
export type LocationInput = z.infer<typeof locationInput>;

export const checkpointSchema = z.object({
  at: z.string(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  accuracyM: z.number().nullable(),
  /** Straight-line metres from the customer's stored coordinates; null without a fix or coordinates. */
  distanceM: z.number().nullable(),
  level: z.enum(GEOFENCE_LEVELS),
  explanation: z.string(),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;

/** The six electronic-visit-verification elements, as recorded. */
export const evvSchema = z.object({
  serviceType: z.string(),
  recipient: z.string(),
  provider: z.string().nullable(),
  date: z.string().nullable(),
  location: z.string().nullable(),
  startTime: z.string().nullable(),
  endTime: z.string().nullable(),
  /** Names of the elements still missing; empty when all six are there. */
  missing: z.array(z.string()),
});

export const correctionSchema = z.object({
  at: z.string(),
  byName: z.string(),
  reasonCode: correctionReasonSchema,
  reason: z.string(),
  changes: z.record(z.string(), z.unknown()),
});

export const visitSchema = z.object({
  id: z.string(),
  jobId: z.string(),
  appointmentId: z.string(),
  appointmentNumber: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  customerAddress: z.string(),
  serviceId: z.string(),
  serviceSku: z.string(),
  serviceName: z.string(),
  technicianId: z.string().nullable(),
  technicianName: z.string().nullable(),
  scheduledStart: z.string(),
  scheduledEnd: z.string(),
  localDate: z.string(),
  status: z.enum(VISIT_STATUSES),
  /** The worse of the check-in and check-out levels (or a supervisor's correction). */
  verification: z.enum(GEOFENCE_LEVELS),
  checkIn: checkpointSchema.nullable(),
  checkOut: checkpointSchema.nullable(),
  minutesOnSite: z.number().int().nullable(),
  note: z.string().nullable(),
  outcome: z.enum(OUTCOMES).nullable(),
  signedBy: z.string().nullable(),
  hasSignature: z.boolean(),
  photoRefs: z.array(z.string()),
  evv: evvSchema,
  corrected: z.boolean(),
  corrections: z.array(correctionSchema),
  missedAt: z.string().nullable(),
  version: z.number().int(),
});
export type Visit = z.infer<typeof visitSchema>;

/* ---------------- technician's day ---------------- */

export const myDay = query({
  name: 'homeServices.visits.myDay',
  description: 'A technician’s jobs for a day with their visits: the check-in/out screen. A technician sees their own day.',
  access: allow('homeServices.visits', 'view'),
  input: z.strictObject({ date: localDate.optional(), technicianId: id.optional() }),
  output: z.object({
    date: z.string(),
    technician: z.object({ id: z.string(), name: z.string() }).nullable(),
    stops: z.array(z.object({ job: jobSchema, visit: visitSchema.nullable() })),
  }),
});

export const signatureInput = z.strictObject({
  /** The canvas as a PNG data URL. */
  dataUrl: z
    .string()
    .max(400_000, 'The signature image is too large')
    .regex(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/, 'Expected a PNG drawn on the signature pad'),
  signedBy: z.string().trim().min(2).max(120),
});

export const checkIn = mutation({
  name: 'homeServices.visits.checkIn',
  description: 'Arrive at the customer: records time and location with its accuracy, checks the geofence, and puts the job on site.',
  access: allow('homeServices.visits', 'submit'),
  input: z.strictObject({
    jobId: id,
    /** The job's version, so a job reassigned meanwhile is not checked in on the old technician's behalf. */
    version,
    /** null when the device has no fix: the visit is then an exception until a supervisor corrects it. */
    location: locationInput.nullable(),
    note: z.string().trim().max(1000).optional(),
  }),
  output: visitSchema,
});

export const checkOut = mutation({
  name: 'homeServices.visits.checkOut',
  description:
    'Leave the customer: time, location, outcome and evidence (note, signature, photo references). Completes the job and the appointment and publishes the visit completion.',
  access: allow('homeServices.visits', 'submit'),
  input: z.strictObject({
    visitId: id,
    version,
    location: locationInput.nullable(),
    outcome: z.enum(OUTCOMES).default('completed'),
    note: z.string().trim().max(2000).optional(),
    signature: signatureInput.optional(),
    photoRefs: z.array(z.string().trim().min(1).max(200)).max(20).default([]),
  }),
  output: visitSchema,
});

export const correct = mutation({
  name: 'homeServices.visits.correct',
  description:
    'A supervisor corrects a visit with a reason code: check-in/out times, accepting an unverified location, or recording a missed visit that did take place.',
  access: allow('homeServices.visits', 'approve'),
  input: z
    .strictObject({
      visitId: id,
      version,
      reasonCode: correctionReasonSchema,
      reason,
      checkInAt: isoDateTime.optional(),
      checkOutAt: isoDateTime.optional(),
      /** Accept the location as verified (e.g. the stored coordinates were wrong). */
      acceptLocation: z.boolean().default(false),
    })
    .refine((c) => c.checkInAt !== undefined || c.checkOutAt !== undefined || c.acceptLocation, {
      path: ['acceptLocation'],
      message: 'Change a time or accept the location',
    })
    .refine((c) => !c.checkInAt || !c.checkOutAt || Date.parse(c.checkInAt) < Date.parse(c.checkOutAt), {
      path: ['checkOutAt'],
      message: 'Check-out must be after check-in',
    }),
  output: visitSchema,
});

export const markMissed = mutation({
  name: 'homeServices.visits.markMissed',
  description: 'Record a scheduled visit without check-in by the end of its window plus grace as missed (an exception). The detection job calls this.',
  access: allow('homeServices.visits', 'edit'),
  input: z.strictObject({ appointmentId: id }),
  output: visitSchema,
});

export const detectMissed = mutation({
  name: 'homeServices.visits.detectMissed',
  description: 'Start the missed-visit detection job: every scheduled visit past its window plus grace without a check-in becomes a missed-visit exception.',
  access: allow('homeServices.visits', 'edit'),
  input: z.strictObject({}),
  output: z.object({ jobId: z.string() }),
});

export const visitFilters = {
  status: z.enum(VISIT_STATUSES).optional(),
  verification: z.enum(GEOFENCE_LEVELS).optional(),
  technicianId: id.optional(),
  serviceId: id.optional(),
  customerId: id.optional(),
  corrected: z.boolean().optional(),
  from: localDate.optional(),
  to: localDate.optional(),
  search: z.string().trim().max(80).optional(),
};

export const list = query({
  name: 'homeServices.visits.list',
  description: 'Visits, newest first, filterable by status, verification level, technician and service; paged by key.',
  access: allow('homeServices.visits', 'view'),
  input: z.strictObject({ ...visitFilters, ...pageInput }),
  output: page(visitSchema).extend({
    totals: z.object({ verified: z.number().int(), warnings: z.number().int(), exceptions: z.number().int(), missed: z.number().int() }),
  }),
});

export const get = query({
  name: 'homeServices.visits.get',
  description: 'One visit with its evidence (the signature image included).',
  access: allow('homeServices.visits', 'view'),
  input: z.strictObject({ id }),
  output: z.object({ visit: visitSchema, signatureDataUrl: z.string().nullable() }),
});

/* ---------------- report ---------------- */

export const REPORT_GROUPS = ['period', 'technician', 'service'] as const;
export type ReportGroup = (typeof REPORT_GROUPS)[number];

export const reportInput = z.strictObject({
  period: z.enum(REPORT_PERIODS).default('day'),
  from: localDate,
  to: localDate,
  groupBy: z.enum(REPORT_GROUPS).default('period'),
  technicianId: id.optional(),
  serviceId: id.optional(),
});

export const reportRowSchema = z.object({
  key: z.string(),
  label: z.string(),
  visits: z.number().int(),
  completed: z.number().int(),
  verified: z.number().int(),
  warnings: z.number().int(),
  exceptions: z.number().int(),
  missed: z.number().int(),
  corrected: z.number().int(),
  /** Completed without a follow-up visit needed. */
  firstTimeRight: z.number().int(),
  minutesOnSite: z.number().int(),
});
export type ReportRow = z.infer<typeof reportRowSchema>;

export const report = query({
  name: 'homeServices.visits.report',
  description: 'Visits verified vs exceptions, missed visits, corrections and first-time-right per day, week or month, technician or service.',
  access: allow('homeServices.visits', 'view'),
  input: reportInput,
  output: z.object({ rows: z.array(reportRowSchema), totals: reportRowSchema }),
});

export const exportReport = mutation({
  name: 'homeServices.visits.export',
  description: 'Export the visits report (summary) and its visits with their EVV elements (detail) as a job.',
  access: allow('homeServices.visits', 'export'),
  input: reportInput.extend({ format: z.enum(['xlsx', 'csv']).default('xlsx') }),
  output: z.object({ jobId: z.string() }),
});

export const visitContracts = [myDay, checkIn, checkOut, correct, markMissed, detectMissed, list, get, report, exportReport] as const;
