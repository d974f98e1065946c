import { z } from 'zod';
import { allow, id, isoDateTime, minorUnits, mutation, page, pageInput, query, reason, version } from '../../rpc';
import { latitude, longitude, skillKey, skillLevel, weeklyInterval } from './common';

/**
 * Master data the three Home & Personal Services functions share: service zones, technicians
 * (skills with levels, zones, weekly working hours and breaks, time off), the service catalogue
 * (SKU, category, duration, required skills, price) and customers with their address coordinates.
 *
 * The catalogue, zones and technicians are branch set-up (`admin` on scheduling); customers are
 * created by the clerk who takes the call (`create` on scheduling); time off is the dispatcher's
 * day-to-day business (`edit` on dispatch).
 */

/* ---------------- zones ---------------- */

export const zoneSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  technicianCount: z.number().int(),
  customerCount: z.number().int(),
  version: z.number().int(),
});
export type Zone = z.infer<typeof zoneSchema>;

export const zonesList = query({
  name: 'homeServices.zones.list',
  description: 'Service zones with how many technicians cover them and how many customers live in them.',
  access: allow('homeServices.scheduling', 'view'),
  input: z.strictObject({}),
  output: z.array(zoneSchema),
});

export const zonesCreate = mutation({
  name: 'homeServices.zones.create',
  description: 'Create a service zone (an area technicians cover).',
  access: allow('homeServices.scheduling', 'admin'),
  input: z.strictObject({
    code: z.string().trim().min(1).max(12),
    name: z.string().trim().min(2).max(60),
  }),
  output: zoneSchema,
});

export const zonesUpdate = mutation({
  name: 'homeServices.zones.update',
  description: 'Rename a service zone. Its code stays: technicians, customers and reports know the zone by it.',
  access: allow('homeServices.scheduling', 'admin'),
  input: z.strictObject({ id, version, name: zonesCreate.input.shape.name }),
  output: zoneSchema,
});

/* ---------------- technicians ---------------- */

export const technicianSkillSchema = z.object({ skill: z.string(), level: z.number().int() });
export const technicianSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  /** The user account the technician signs in with (check-in/out on their own jobs). */
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  /** Where the day starts: the first job's travel is measured from here. */
  homeLat: z.number().nullable(),
  homeLng: z.number().nullable(),
  color: z.string(),
  active: z.boolean(),
  skills: z.array(technicianSkillSchema),
  zones: z.array(z.object({ id: z.string(), code: z.string(), name: z.string() })),
  hours: z.array(z.object({ weekday: z.number().int(), start: z.string(), end: z.string() })),
  breaks: z.array(z.object({ weekday: z.number().int(), start: z.string(), end: z.string() })),
  version: z.number().int(),
});
export type Technician = z.infer<typeof technicianSchema>;

export const TECHNICIAN_COLORS = ['blue', 'teal', 'grape', 'orange', 'cyan', 'pink', 'lime', 'indigo', 'red', 'violet'] as const;

const technicianFields = {
  name: z.string().trim().min(2).max(80),
  phone: z.string().trim().max(30).optional(),
  userId: id.optional(),
  homeLat: latitude.optional(),
  homeLng: longitude.optional(),
  color: z.enum(TECHNICIAN_COLORS).default('blue'),
  skills: z
    .array(z.strictObject({ skill: skillKey, level: skillLevel }))
    .max(30)
    .refine((s) => new Set(s.map((x) => x.skill)).size === s.length, 'Each skill once'),
  zoneIds: z.array(id).max(50),
  hours: z.array(weeklyInterval).max(28),
  breaks: z.array(weeklyInterval).max(28).default([]),
};

export const techniciansList = query({
  name: 'homeServices.technicians.list',
  description: 'Technicians with skills, zones and weekly hours.',
  access: allow('homeServices.scheduling', 'view'),
  input: z.strictObject({ includeInactive: z.boolean().default(false) }),
  output: z.array(technicianSchema),
});

export const techniciansCreate = mutation({
  name: 'homeServices.technicians.create',
  description: 'Add a technician with skills (levels 1–5), zones, weekly working hours and breaks.',
  access: allow('homeServices.scheduling', 'admin'),
  input: z.strictObject({ code: z.string().trim().min(1).max(12), ...technicianFields }),
  output: technicianSchema,
});

export const techniciansUpdate = mutation({
  name: 'homeServices.technicians.update',
  description: 'Change a technician’s details, skills, zones or hours; existing bookings are kept.',
  access: allow('homeServices.scheduling', 'admin'),
  input: z.strictObject({ id, version, active: z.boolean().default(true), ...technicianFields }),
  output: technicianSchema,
});

export const timeOffSchema = z.object({
  id: z.string(),
  technicianId: z.string(),
  technicianName: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  reason: z.string(),
  createdAt: z.string(),
  createdByName: z.string(),
});
export type TimeOff = z.infer<typeof timeOffSchema>;

export const timeOffList = query({
  name: 'homeServices.timeOff.list',
  description: 'Time off (leave, training, sick days) overlapping a period.',
  access: allow('homeServices.scheduling', 'view'),
  input: z.strictObject({ technicianId: id.optional(), from: isoDateTime, to: isoDateTime }),
  output: z.array(timeOffSchema),
});

export const timeOffAdd = mutation({
  name: 'homeServices.timeOff.add',
  description:
    'Book time off for a technician. Jobs already assigned inside it go back to the unassigned tray and are listed in the answer.',
  access: allow('homeServices.dispatch', 'edit'),
  input: z
    .strictObject({ technicianId: id, startsAt: isoDateTime, endsAt: isoDateTime, reason })
    .refine((t) => Date.parse(t.startsAt) < Date.parse(t.endsAt), { path: ['endsAt'], message: 'The end must be after the start' }),
  output: z.object({ timeOff: timeOffSchema, unassignedJobIds: z.array(z.string()) }),
});

export const timeOffRemove = mutation({
  name: 'homeServices.timeOff.remove',
  description: 'Remove time off that was booked by mistake.',
  access: allow('homeServices.dispatch', 'edit'),
  input: z.strictObject({ id, reason }),
  output: z.object({ id: z.string() }),
});

/* ---------------- service catalogue ---------------- */

export const requiredSkillSchema = z.object({ skill: z.string(), minLevel: z.number().int() });
export const serviceSchema = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  category: z.string(),
  durationMinutes: z.number().int(),
  /** Clean-up and paperwork after the job, kept free on the technician's day. */
  bufferMinutes: z.number().int(),
  priceMinor: z.number().int(),
  requiredSkills: z.array(requiredSkillSchema),
  /** How many of this service may run at the same time branch-wide (shared equipment); null = no limit. */
  slotCapacity: z.number().int().nullable(),
  active: z.boolean(),
  version: z.number().int(),
});
export type Service = z.infer<typeof serviceSchema>;

const serviceFields = {
  name: z.string().trim().min(2).max(80),
  category: z.string().trim().toLowerCase().min(2).max(40),
  durationMinutes: z.number().int().min(15).max(12 * 60).refine((m) => m % 5 === 0, 'Use whole 5-minute steps'),
  bufferMinutes: z.number().int().min(0).max(240).default(0),
  priceMinor: minorUnits.nonnegative(),
  requiredSkills: z
    .array(z.strictObject({ skill: skillKey, minLevel: skillLevel.default(1) }))
    .max(10)
    .refine((s) => new Set(s.map((x) => x.skill)).size === s.length, 'Each skill once'),
  slotCapacity: z.number().int().min(1).max(100).nullable().default(null),
};

export const servicesList = query({
  name: 'homeServices.services.list',
  description: 'The service catalogue: SKU, category, duration, required skills and price.',
  access: allow('homeServices.scheduling', 'view'),
  input: z.strictObject({ includeInactive: z.boolean().default(false), category: z.string().max(40).optional() }),
  output: z.array(serviceSchema),
});

export const servicesCreate = mutation({
  name: 'homeServices.services.create',
  description: 'Add a service to the catalogue.',
  access: allow('homeServices.scheduling', 'admin'),
  input: z.strictObject({
    sku: z.string().trim().toUpperCase().min(2).max(20).regex(/^[A-Z0-9-]+$/, 'Use letters, digits and dashes'),
    ...serviceFields,
  }),
  output: serviceSchema,
});

export const servicesUpdate = mutation({
  name: 'homeServices.services.update',
  description: 'Change a service; bookings already made keep the duration and price they were made with.',
  access: allow('homeServices.scheduling', 'admin'),
  input: z.strictObject({ id, version, active: z.boolean().default(true), ...serviceFields }),
  output: serviceSchema,
});

/* ---------------- customers ---------------- */

export const customerSchema = z.object({
  id: z.string(),
  customerNo: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  address: z.string(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  zoneId: z.string().nullable(),
  zoneCode: z.string().nullable(),
  notes: z.string().nullable(),
  active: z.boolean(),
  version: z.number().int(),
});
export type Customer = z.infer<typeof customerSchema>;

const customerFields = {
  name: z.string().trim().min(2).max(120),
  phone: z.string().trim().max(30).optional(),
  email: z.email().max(120).optional(),
  address: z.string().trim().min(3).max(200),
  lat: latitude.optional(),
  lng: longitude.optional(),
  zoneId: id.optional(),
  notes: z.string().trim().max(500).optional(),
};
const bothOrNeither = (c: { lat?: number; lng?: number }) => (c.lat === undefined) === (c.lng === undefined);

export const customersList = query({
  name: 'homeServices.customers.list',
  description: 'Find customers by number, name, phone or address.',
  access: allow('homeServices.scheduling', 'view'),
  input: z.strictObject({ search: z.string().trim().max(80).optional(), zoneId: id.optional(), ...pageInput }),
  output: page(customerSchema),
});

export const customersGet = query({
  name: 'homeServices.customers.get',
  description: 'One customer.',
  access: allow('homeServices.scheduling', 'view'),
  input: z.strictObject({ id }),
  output: customerSchema,
});

export const customersCreate = mutation({
  name: 'homeServices.customers.create',
  description: 'Register a customer with the address a technician visits (coordinates make visits verifiable).',
  access: allow('homeServices.scheduling', 'create'),
  input: z
    .strictObject({ customerNo: z.string().trim().min(1).max(30).optional(), ...customerFields })
    .refine(bothOrNeither, { path: ['lng'], message: 'Give both latitude and longitude, or neither' }),
  output: customerSchema,
});

export const customersUpdate = mutation({
  name: 'homeServices.customers.update',
  description: 'Change a customer’s contact details, address or coordinates.',
  access: allow('homeServices.scheduling', 'edit'),
  input: z
    .strictObject({ id, version, active: z.boolean().default(true), ...customerFields })
    .refine(bothOrNeither, { path: ['lng'], message: 'Give both latitude and longitude, or neither' }),
  output: customerSchema,
});

export const masterDataContracts = [
  zonesList,
  zonesCreate,
  zonesUpdate,
  techniciansList,
  techniciansCreate,
  techniciansUpdate,
  timeOffList,
  timeOffAdd,
  timeOffRemove,
  servicesList,
  servicesCreate,
  servicesUpdate,
  customersList,
  customersGet,
  customersCreate,
  customersUpdate,
] as const;
