import { z } from 'zod';
import { allow, id, localDate, mutation, page, pageInput, query, version } from '../../rpc';
import { PRIORITIES, REPORT_PERIODS } from './common';

/**
 * Mobile technician dispatch. Every booking is a job: it starts unassigned (in the dispatcher's
 * tray) unless the clerk booked it onto a technician. The dispatcher assigns from scored
 * suggestions that explain themselves; the technician goes en route, the visit's check-in puts
 * the job on site and its check-out completes it.
 */

export const JOB_STATES = ['unassigned', 'assigned', 'en_route', 'on_site', 'completed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];
export const JOB_STATE_LABELS: Record<JobState, string> = {
  unassigned: 'Unassigned',
  assigned: 'Assigned',
  en_route: 'En route',
  on_site: 'On site',
  completed: 'Completed',
  cancelled: 'Cancelled',
};
/** States in which the job still has work to do. */
export const OPEN_JOB_STATES = ['unassigned', 'assigned', 'en_route', 'on_site'] as const satisfies readonly JobState[];

/** Whether a technician got there in time. open: not due yet; at_risk: due soon, nobody on site; breached: on site late, or overdue; met: on site in time. */
export const SLA_STATUSES = ['open', 'at_risk', 'breached', 'met'] as const;
export type SlaStatus = (typeof SLA_STATUSES)[number];

export const REASSIGN_REASONS = {
  technician_sick: 'Technician sick or absent',
  running_late: 'Technician running late',
  skills: 'Needs other skills',
  vehicle: 'Vehicle or equipment problem',
  rebalance: 'Balancing the day',
  customer_request: 'Customer asked for another technician',
  other: 'Other (see note)',
} as const;
export type ReassignReason = keyof typeof REASSIGN_REASONS;
export const reassignReasonSchema = z.enum(Object.keys(REASSIGN_REASONS) as [ReassignReason, ...ReassignReason[]]);

export const jobSchema = z.object({
  id: z.string(),
  appointmentId: z.string(),
  appointmentNumber: z.string(),
  appointmentStatus: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  customerAddress: z.string(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  zoneCode: z.string().nullable(),
  serviceId: z.string(),
  serviceSku: z.string(),
  serviceName: z.string(),
  durationMinutes: z.number().int(),
  startsAt: z.string(),
  endsAt: z.string(),
  localDate: z.string(),
  technicianId: z.string().nullable(),
  technicianName: z.string().nullable(),
  state: z.enum(JOB_STATES),
  priority: z.enum(PRIORITIES),
  slaDueAt: z.string(),
  slaStatus: z.enum(SLA_STATUSES),
  assignedAt: z.string().nullable(),
  enRouteAt: z.string().nullable(),
  onSiteAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  reassignCount: z.number().int(),
  lastReasonCode: z.string().nullable(),
  lastReason: z.string().nullable(),
  visitId: z.string().nullable(),
  version: z.number().int(),
});
export type Job = z.infer<typeof jobSchema>;

/* ---------------- the board ---------------- */

export const boardTechnicianSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  color: z.string(),
  zoneCodes: z.array(z.string()),
  skills: z.array(z.object({ skill: z.string(), level: z.number().int() })),
  working: z.array(z.object({ startsAt: z.string(), endsAt: z.string() })),
  breaks: z.array(z.object({ startsAt: z.string(), endsAt: z.string() })),
  timeOff: z.array(z.object({ startsAt: z.string(), endsAt: z.string(), reason: z.string() })),
  /** Working minutes that day after breaks and time off: the day's capacity. */
  capacityMinutes: z.number().int(),
  bookedMinutes: z.number().int(),
  jobs: z.array(jobSchema),
});
export type BoardTechnician = z.infer<typeof boardTechnicianSchema>;

export const board = query({
  name: 'homeServices.dispatch.board',
  description: 'A day of dispatch: each technician’s timeline and capacity in hours, the unassigned tray, and SLA exceptions.',
  access: allow('homeServices.dispatch', 'view'),
  input: z.strictObject({ date: localDate }),
  output: z.object({
    date: z.string(),
    dayStartsAt: z.string(),
    dayEndsAt: z.string(),
    technicians: z.array(boardTechnicianSchema),
    unassigned: z.array(jobSchema),
    exceptions: z.array(z.object({ jobId: z.string(), kind: z.enum(['sla_breached', 'sla_at_risk', 'unassigned_soon']), message: z.string() })),
  }),
});

export const candidateSchema = z.object({
  technicianId: z.string(),
  technicianName: z.string(),
  eligible: z.boolean(),
  /** 1 = the suggestion; null for technicians who cannot take the job. */
  rank: z.number().int().nullable(),
  /** Lower is better: lateness dominates, then work already on the day, then travel. */
  score: z.number().nullable(),
  latenessMinutes: z.number().int().nullable(),
  travelMinutes: z.number().int().nullable(),
  distanceKm: z.number().nullable(),
  bookedMinutes: z.number().int(),
  capacityMinutes: z.number().int(),
  /** Why this technician fits (or where they stand), one short sentence each. */
  reasons: z.array(z.string()),
  /** Why they cannot take it; empty when eligible. */
  blockers: z.array(z.string()),
});
export type Candidate = z.infer<typeof candidateSchema>;

export const suggest = query({
  name: 'homeServices.dispatch.suggest',
  description:
    'Technicians for a job, best first: skills cover the service, zone covers the address, working that day with capacity left in hours; scored by lateness, then work already assigned, then travel (straight-line distance at the average speed setting). Each says why.',
  access: allow('homeServices.dispatch', 'view'),
  input: z.strictObject({ jobId: id }),
  output: z.object({ job: jobSchema, candidates: z.array(candidateSchema) }),
});

export const assign = mutation({
  name: 'homeServices.dispatch.assign',
  description: 'Give an unassigned job to a technician who is eligible and free at its time.',
  access: allow('homeServices.dispatch', 'edit'),
  input: z.strictObject({ jobId: id, version, technicianId: id }),
  output: jobSchema,
});

export const reassign = mutation({
  name: 'homeServices.dispatch.reassign',
  description: 'Move an assigned (or en route) job to another technician, with a reason; or back to the unassigned tray.',
  access: allow('homeServices.dispatch', 'edit'),
  input: z.strictObject({
    jobId: id,
    version,
    /** null: back to the unassigned tray. */
    technicianId: id.nullable(),
    reasonCode: reassignReasonSchema,
    note: z.string().trim().max(500).optional(),
  }),
  output: jobSchema,
});

export const startTravel = mutation({
  name: 'homeServices.dispatch.startTravel',
  description: 'The technician sets off to the job (assigned → en route).',
  // The technician's first step of a visit: technicians hold submit on visits, not edit on dispatch.
  access: allow('homeServices.visits', 'submit'),
  input: z.strictObject({ jobId: id, version }),
  output: jobSchema,
});

export const jobFilters = {
  state: z.enum(JOB_STATES).optional(),
  technicianId: id.optional(),
  priority: z.enum(PRIORITIES).optional(),
  sla: z.enum(SLA_STATUSES).optional(),
  from: localDate.optional(),
  to: localDate.optional(),
  search: z.string().trim().max(80).optional(),
};

export const list = query({
  name: 'homeServices.dispatch.list',
  description: 'Jobs by start time, filterable by state, technician, priority and SLA status; paged by key.',
  access: allow('homeServices.dispatch', 'view'),
  input: z.strictObject({ ...jobFilters, ...pageInput }),
  output: page(jobSchema).extend({ totals: z.object({ breached: z.number().int(), unassigned: z.number().int() }) }),
});

export const get = query({
  name: 'homeServices.dispatch.get',
  description: 'One job.',
  access: allow('homeServices.dispatch', 'view'),
  input: z.strictObject({ id }),
  output: jobSchema,
});

/* ---------------- report ---------------- */

export const REPORT_GROUPS = ['period', 'technician', 'priority', 'zone'] as const;
export type ReportGroup = (typeof REPORT_GROUPS)[number];

export const reportInput = z.strictObject({
  period: z.enum(REPORT_PERIODS).default('day'),
  from: localDate,
  to: localDate,
  groupBy: z.enum(REPORT_GROUPS).default('period'),
  technicianId: id.optional(),
  priority: z.enum(PRIORITIES).optional(),
});

export const reportRowSchema = z.object({
  key: z.string(),
  label: z.string(),
  jobs: z.number().int(),
  completed: z.number().int(),
  slaMet: z.number().int(),
  slaBreached: z.number().int(),
  reassignments: z.number().int(),
  bookedMinutes: z.number().int(),
  /** Working minutes after breaks and time off; null where it means nothing (by priority, by zone). */
  availableMinutes: z.number().int().nullable(),
  /** booked / available, 0..n (over 1 = overbooked); null without available minutes. */
  utilisation: z.number().nullable(),
});
export type ReportRow = z.infer<typeof reportRowSchema>;

export const report = query({
  name: 'homeServices.dispatch.report',
  description: 'Jobs, SLA met/breached, reassignments and utilisation (booked hours / available hours) per day, week or month, technician, priority or zone.',
  access: allow('homeServices.dispatch', 'view'),
  input: reportInput,
  output: z.object({ rows: z.array(reportRowSchema), totals: reportRowSchema }),
});

export const exportReport = mutation({
  name: 'homeServices.dispatch.export',
  description: 'Export the dispatch report (summary) and its jobs (detail) as a job.',
  access: allow('homeServices.dispatch', 'export'),
  input: reportInput.extend({ format: z.enum(['xlsx', 'csv']).default('xlsx') }),
  output: z.object({ jobId: z.string() }),
});

export const dispatchContracts = [board, suggest, assign, reassign, startTravel, list, get, report, exportReport] as const;
