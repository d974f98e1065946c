import { deflateSync } from 'node:zlib';
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import type { Appointment } from '../../../src-shared/contracts/home-services/scheduling';
import type { Candidate, Job } from '../../../src-shared/contracts/home-services/dispatch';
import type { Visit } from '../../../src-shared/contracts/home-services/visits';
import type { CallMeta, RpcResult } from '../../../src-shared/rpc';
import type { Principal } from '../../core/rpc/context';
import type { Kernel } from '../../core/rpc/kernel';
import { dispatch } from '../../core/rpc/pipeline';
import { newId } from '../../core/util/ids';

dayjs.extend(utc);
dayjs.extend(timezone);

/**
 * Demo data for scheduling, dispatch and visits: four zones around Johannesburg, eight technicians
 * with their skills, hours and a Saturday roster, an eight-line service catalogue and eighty
 * customers with coordinates. Then the branch's last four weeks are replayed in time order, each
 * step at the moment it would have happened (the store's clock is set to it) and as the user who
 * would have done it: clerks book (a few pencilled in, then confirmed), the dispatcher assigns
 * the top suggestion, technicians set off, check in and out with GPS and the customer's
 * signature; some customers cancel (a few late), some are not home, two visits are missed and a
 * supervisor corrects one of them and a visit whose pin was wrong; a technician calls in sick and
 * his day goes back to the tray. The next two weeks are booked, part of them still unassigned, and
 * a weekly deep clean runs as a recurring series.
 */
export interface FieldDemoOptions {
  /** YYYY-MM-DD in the branch's zone; the replay ends at the real current time on this day. */
  today: string;
  random: () => number;
  daysBack?: number;
  daysAhead?: number;
}

const ZONES = [
  { code: 'NTH', name: 'Northcliff & Randburg', lat: -26.1, lng: 27.98 },
  { code: 'STH', name: 'Southdale & Rosettenville', lat: -26.25, lng: 28.03 },
  { code: 'EST', name: 'Eastgate & Bedfordview', lat: -26.17, lng: 28.12 },
  { code: 'WST', name: 'Westbury & Roodepoort', lat: -26.16, lng: 27.92 },
] as const;

const SERVICES = [
  { sku: 'PLB-LEAK', name: 'Leak repair', category: 'plumbing', durationMinutes: 60, bufferMinutes: 10, priceMinor: 65_000, requiredSkills: [{ skill: 'plumbing', minLevel: 1 }], weight: 5 },
  { sku: 'PLB-GEYSER', name: 'Geyser service', category: 'plumbing', durationMinutes: 120, bufferMinutes: 15, priceMinor: 145_000, requiredSkills: [{ skill: 'plumbing', minLevel: 2 }], weight: 3 },
  { sku: 'PLB-DRAINCAM', name: 'Drain camera survey', category: 'plumbing', durationMinutes: 60, bufferMinutes: 15, priceMinor: 90_000, requiredSkills: [{ skill: 'plumbing', minLevel: 1 }], slotCapacity: 1, weight: 1 },
  { sku: 'ELE-COC', name: 'Electrical compliance certificate', category: 'electrical', durationMinutes: 90, bufferMinutes: 15, priceMinor: 120_000, requiredSkills: [{ skill: 'electrical', minLevel: 3 }], weight: 2 },
  { sku: 'ELE-FAULT', name: 'Electrical fault finding', category: 'electrical', durationMinutes: 60, bufferMinutes: 10, priceMinor: 75_000, requiredSkills: [{ skill: 'electrical', minLevel: 2 }], weight: 3 },
  { sku: 'HVAC-SVC', name: 'Air-conditioner service', category: 'hvac', durationMinutes: 90, bufferMinutes: 10, priceMinor: 98_000, requiredSkills: [{ skill: 'hvac', minLevel: 2 }], weight: 2 },
  { sku: 'APL-REPAIR', name: 'Appliance repair', category: 'appliances', durationMinutes: 60, bufferMinutes: 10, priceMinor: 60_000, requiredSkills: [{ skill: 'appliances', minLevel: 1 }], weight: 3 },
  { sku: 'CLN-DEEP', name: 'Deep clean (3 hours)', category: 'cleaning', durationMinutes: 180, bufferMinutes: 20, priceMinor: 180_000, requiredSkills: [{ skill: 'cleaning', minLevel: 1 }], weight: 1 },
] as const;

const TECHNICIANS = [
  { code: 'T01', name: 'Tom Nkosi', user: 'technician', color: 'teal', zones: ['NTH', 'WST'], skills: [['plumbing', 3], ['appliances', 2]], saturday: true },
  { code: 'T02', name: 'Lerato Mahlangu', color: 'grape', zones: ['NTH', 'EST'], skills: [['electrical', 4], ['hvac', 2]] },
  { code: 'T03', name: 'Pieter Smit', color: 'orange', zones: ['STH', 'WST'], skills: [['plumbing', 2], ['electrical', 2]] },
  { code: 'T04', name: 'Zanele Dlamini', color: 'cyan', zones: ['EST', 'STH'], skills: [['plumbing', 4]], saturday: true },
  { code: 'T05', name: 'Johan Botha', color: 'indigo', zones: ['WST', 'NTH', 'STH'], skills: [['electrical', 3], ['appliances', 3]] },
  { code: 'T06', name: 'Fatima Adams', color: 'pink', zones: ['EST', 'NTH'], skills: [['hvac', 3], ['appliances', 1]] },
  { code: 'T07', name: 'Sipho Mokoena', color: 'lime', zones: ['STH', 'EST', 'WST'], skills: [['plumbing', 1], ['cleaning', 3]] },
  { code: 'T08', name: 'Anika Pillay', color: 'violet', zones: ['NTH', 'STH', 'EST', 'WST'], skills: [['cleaning', 2], ['appliances', 2]] },
] as const;

const FIRST = ['Thandi', 'Pieter', 'Naledi', 'Johan', 'Lerato', 'Sipho', 'Anika', 'Kagiso', 'Marike', 'Themba', 'Zanele', 'David', 'Ayesha', 'Lwazi', 'Carmen', 'Musa', 'Elsa', 'Bongani', 'Fatima', 'Riaan'];
const LAST = ['Mokoena', 'van der Merwe', 'Dlamini', 'Botha', 'Naidoo', 'Nkosi', 'Pillay', 'Khumalo', 'Smit', 'Mahlangu', 'Jacobs', 'Ndlovu', 'Pretorius', 'Moloi', 'Adams', 'Zulu'];
const STREETS = ['Acacia Road', 'Protea Avenue', 'Jacaranda Lane', 'Church Street', 'Baobab Crescent', 'Main Road', 'Marula Close', 'Kiaat Street'];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Buffer) => {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/**
 * A signature-like scribble as a PNG data URL (grey-scale, 240×70): what the pad would have
 * captured, different for every visit, so the demo's visit pages show a real image.
 */
function signaturePng(seed: number): string {
  const width = 240;
  const height = 70;
  const pixels = Buffer.alloc((width + 1) * height, 255);
  for (let y = 0; y < height; y += 1) pixels[y * (width + 1)] = 0; // filter byte: none
  const ink = (x: number, y: number) => {
    if (x >= 0 && x < width && y >= 0 && y < height) pixels[y * (width + 1) + 1 + x] = 30;
  };
  for (let x = 15; x < 225; x += 1) {
    const y = Math.round(35 + 18 * Math.sin(x / (9 + (seed % 5)) + seed) * Math.sin(x / 37) + 6 * Math.sin(x / 4 + seed));
    ink(x, y);
    ink(x, y + 1);
    ink(x + 1, y);
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // grey-scale
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return `data:image/png;base64,${png.toString('base64')}`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export function seedHomeServicesFieldDemo(kernel: Kernel, as: (username: string) => Principal, options: FieldDemoOptions): void {
  const { random } = options;
  const tz = kernel.branch().timeZone;
  const realClock = kernel.clock;
  const now = realClock().getTime();
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number) => random() < p;
  const localInstant = (date: string, time: string) => dayjs.tz(`${date} ${time}`, tz).valueOf();
  const dayOf = (offset: number) => dayjs.utc(options.today).add(offset, 'day').format('YYYY-MM-DD');

  /** Steps the replay could not take (a slot gone, nobody eligible): counted and logged, never fatal. */
  const refused = new Map<string, number>();
  const call = <T>(username: string, procedure: string, input: unknown, meta?: CallMeta): RpcResult<T> => {
    const answer = dispatch(kernel, procedure, input, { principal: as(username), meta }) as RpcResult<T>;
    if (!answer.ok) {
      const key = `${procedure}: ${answer.error.code} ${String(answer.error.details?.rule ?? answer.error.message).slice(0, 80)}`;
      refused.set(key, (refused.get(key) ?? 0) + 1);
    }
    return answer;
  };
  const must = <T>(username: string, procedure: string, input: unknown, meta?: CallMeta): T => {
    const answer = call<T>(username, procedure, input, meta);
    if (!answer.ok) throw new Error(`Demo seeding: ${procedure} failed: ${answer.error.message}`);
    return answer.result;
  };

  /* ---------------- master data (set up two months ago) ---------------- */

  const setUpAt = now - 60 * 24 * HOUR;
  kernel.clock = () => new Date(setUpAt);
  const zoneIds = new Map<string, string>();
  const services: { id: string; sku: string; weight: number; durationMinutes: number }[] = [];
  const technicians: { id: string; user: string | null; skills: string[] }[] = [];
  const customers: { id: string; name: string; lat: number | null; lng: number | null }[] = [];
  try {
    for (const z of ZONES) zoneIds.set(z.code, must<{ id: string }>('admin', 'homeServices.zones.create', { code: z.code, name: z.name }).id);
    for (const s of SERVICES) {
      const { weight, ...input } = s;
      services.push({ id: must<{ id: string }>('admin', 'homeServices.services.create', input).id, sku: s.sku, weight, durationMinutes: s.durationMinutes });
    }
    const users = new Map(
      must<{ id: string; username: string }[]>('admin', 'admin.users.list', {}).map((u) => [u.username, u.id] as const),
    );
    for (const t of TECHNICIANS) {
      const home = ZONES.find((z) => z.code === t.zones[0])!;
      const weekdays = [1, 2, 3, 4, 5];
      const hours = [...weekdays.map((weekday) => ({ weekday, start: '08:00', end: '17:00' })), ...('saturday' in t ? [{ weekday: 6, start: '08:00', end: '13:00' }] : [])];
      const breaks = weekdays.map((weekday) => ({ weekday, start: '12:30', end: '13:00' }));
      const created = must<{ id: string }>('admin', 'homeServices.technicians.create', {
        code: t.code,
        name: t.name,
        color: t.color,
        phone: `08${Math.floor(10_000_000 + random() * 89_999_999)}`,
        userId: 'user' in t ? users.get(t.user) : undefined,
        homeLat: home.lat + (random() - 0.5) * 0.02,
        homeLng: home.lng + (random() - 0.5) * 0.02,
        skills: t.skills.map(([skill, level]) => ({ skill, level })),
        zoneIds: t.zones.map((code) => zoneIds.get(code)!),
        hours,
        breaks,
      });
      technicians.push({ id: created.id, user: 'user' in t ? t.user : null, skills: t.skills.map(([skill]) => skill) });
    }
    for (let i = 0; i < 80; i += 1) {
      const zone = ZONES[i % ZONES.length]!;
      // A few customers were registered without a pin: their visits can only be a geofence warning.
      const mapped = i % 17 !== 5;
      const lat = zone.lat + (random() - 0.5) * 0.06;
      const lng = zone.lng + (random() - 0.5) * 0.06;
      const name = `${pick(FIRST)} ${pick(LAST)}`;
      customers.push({
        name,
        ...must<{ id: string }>('dispatcher', 'homeServices.customers.create', {
          name,
          phone: chance(0.9) ? `07${Math.floor(10_000_000 + random() * 89_999_999)}` : undefined,
          email: chance(0.4) ? `customer${i + 1}@example.co.za` : undefined,
          address: `${1 + Math.floor(random() * 200)} ${pick(STREETS)}, ${zone.name.split(' ')[0]}`,
          zoneId: zoneIds.get(zone.code),
          ...(mapped ? { lat, lng } : {}),
        }),
        lat: mapped ? lat : null,
        lng: mapped ? lng : null,
      });
    }
  } finally {
    kernel.clock = realClock;
  }

  /* ---------------- the replay ---------------- */

  type Step = { at: number; seq: number; run: () => void };
  const queue: Step[] = [];
  let seq = 0;
  /** Schedules `run` at `at` (never after now: the future has not happened yet). */
  const schedule = (at: number, run: () => void) => {
    if (at > now) return;
    queue.push({ at, seq: (seq += 1), run });
  };
  const totalWeight = services.reduce((sum, s) => sum + s.weight, 0);
  const weightedService = () => {
    let r = random() * totalWeight;
    for (const s of services) if ((r -= s.weight) < 0) return s;
    return services[0]!;
  };
  const userFor = (technicianId: string | null) => technicians.find((t) => t.id === technicianId)?.user ?? 'supervisor';
  const fresh = <T>(procedure: string, id: string) => must<T>('dispatcher', procedure, { id });
  const near = (customer: { lat: number | null; lng: number | null }, metres: number) =>
    customer.lat === null || customer.lng === null
      ? { lat: -26.15 + random() * 0.01, lng: 28.0 + random() * 0.01, accuracyM: 15 }
      : { lat: customer.lat + metres / 111_195, lng: customer.lng, accuracyM: 5 + Math.round(random() * 20) };

  /** The dispatcher gives a job to the best suggestion; false when nobody can take it. */
  const assignBest = (jobId: string): boolean => {
    const job = fresh<Job>('homeServices.dispatch.get', jobId);
    if (job.state !== 'unassigned') return true;
    const best = must<{ candidates: Candidate[] }>('dispatcher', 'homeServices.dispatch.suggest', { jobId }).candidates.find((c) => c.eligible);
    return best ? call('dispatcher', 'homeServices.dispatch.assign', { jobId, version: job.version, technicianId: best.technicianId }).ok : false;
  };

  /** Assigns the best suggestion; when nobody can go, the dispatcher calls the customer and cancels. */
  const assignOrCancel = (appointment: Appointment) => {
    if (assignBest(appointment.jobId)) return;
    const a = fresh<{ appointment: Appointment }>('homeServices.scheduling.get', appointment.id).appointment;
    if (a.jobState !== 'unassigned') return;
    call('dispatcher', 'homeServices.scheduling.cancel', { id: a.id, version: a.version, reasonCode: 'technician_unavailable', note: 'No technician free; customer will call back' });
  };

  /** What happens on the day of a booked visit, as far as today has got. */
  const playVisit = (appointment: Appointment, customer: { name: string; lat: number | null; lng: number | null }, fate: 'done' | 'noShow' | 'missed' | 'wrongPin') => {
    const start = Date.parse(appointment.startsAt);
    const end = Date.parse(appointment.endsAt);
    if (fate === 'noShow') {
      schedule(start + 25 * MINUTE, () => {
        const a = fresh<{ appointment: Appointment }>('homeServices.scheduling.get', appointment.id).appointment;
        if (a.status === 'confirmed' || a.status === 'rescheduled' || a.status === 'requested') {
          call('dispatcher', 'homeServices.scheduling.markNoShow', { id: a.id, version: a.version, reason: 'Nobody home; the customer did not answer the phone' });
        }
      });
      return;
    }
    if (fate === 'missed') {
      schedule(end + 45 * MINUTE, () => {
        call('supervisor', 'homeServices.visits.markMissed', { appointmentId: appointment.id });
      });
      return;
    }
    schedule(start - 25 * MINUTE, () => {
      const job = fresh<Job>('homeServices.dispatch.get', appointment.jobId);
      if (job.state === 'assigned') call(userFor(job.technicianId), 'homeServices.dispatch.startTravel', { jobId: job.id, version: job.version });
    });
    const arrive = start + Math.round((random() * 20 - 5) * MINUTE);
    schedule(arrive, () => {
      const job = fresh<Job>('homeServices.dispatch.get', appointment.jobId);
      if (job.state !== 'assigned' && job.state !== 'en_route') return;
      // Most check-ins happen at the door; some from the street, a few from the wrong address.
      const metres = fate === 'wrongPin' ? 950 : chance(0.85) ? Math.round(random() * 90) : chance(0.7) ? 160 + Math.round(random() * 40) : 600;
      call(userFor(job.technicianId), 'homeServices.visits.checkIn', { jobId: job.id, version: job.version, location: near(customer, metres) });
    });
    const leave = arrive + (appointment.durationMinutes + Math.round(random() * 30 - 10)) * MINUTE;
    schedule(leave, () => {
      const job = fresh<Job>('homeServices.dispatch.get', appointment.jobId);
      if (job.state !== 'on_site' || !job.visitId) return;
      const visit = must<{ visit: Visit }>('supervisor', 'homeServices.visits.get', { id: job.visitId }).visit;
      const followUp = chance(0.08);
      call(userFor(job.technicianId), 'homeServices.visits.checkOut', {
        visitId: visit.id,
        version: visit.version,
        location: near(customer, fate === 'wrongPin' ? 950 : Math.round(random() * 60)),
        outcome: followUp ? 'follow_up' : 'completed',
        note: followUp ? 'Part on order; a second visit is needed' : pick(['Job done, tested with the customer', 'Fixed and cleaned up', 'Completed; customer happy']),
        signature: chance(0.9) ? { dataUrl: signaturePng(Math.floor(random() * 1000)), signedBy: customer.name } : undefined,
        photoRefs: chance(0.5) ? [`IMG_${1000 + Math.floor(random() * 9000)}.jpg`] : [],
      });
      if (fate === 'wrongPin') {
        schedule(leave + 20 * HOUR, () => {
          const done = must<{ visit: Visit }>('supervisor', 'homeServices.visits.get', { id: visit.id }).visit;
          call('supervisor', 'homeServices.visits.correct', {
            visitId: done.id,
            version: done.version,
            reasonCode: 'address_wrong',
            reason: 'Customer confirmed the visit; the map pin was on the old plot',
            acceptLocation: true,
          });
        });
      }
    });
  };

  let missedLeft = 2;
  let wrongPinLeft = 1;
  for (let offset = -(options.daysBack ?? 28); offset <= (options.daysAhead ?? 14); offset += 1) {
    const date = dayOf(offset);
    const weekday = dayjs.utc(date).day();
    if (weekday === 0) continue;
    const perDay = weekday === 6 ? 3 : offset <= 0 ? 9 : Math.max(2, Math.round(9 * (1 - offset / 18)));
    for (let n = 0; n < perDay; n += 1) {
      const customer = pick(customers);
      const service = weightedService();
      // Booked one to ten days ahead (bookings for today were mostly made earlier in the week).
      const bookedAt = Math.min(localInstant(date, '07:30') - Math.floor(1 + random() * 9) * 24 * HOUR + Math.floor(random() * 9) * HOUR, now - 3 * HOUR);
      const urgent = offset >= 0 && n === 0;
      schedule(bookedAt, () => {
        const wantedFrom = localInstant(date, pick(['08:00', '09:00', '10:00', '13:00', '14:00']));
        const found = call<{ slots: { startsAt: string }[] }>('dispatcher', 'homeServices.scheduling.availability', {
          customerId: customer.id,
          serviceId: service.id,
          from: new Date(wantedFrom).toISOString(),
          days: 2,
          limit: 3,
        });
        if (!found.ok || found.result.slots.length === 0) return;
        const slot = pick(found.result.slots);
        const pencilled = chance(0.12);
        const booked = call<{ appointment: Appointment }>(
          'dispatcher',
          'homeServices.scheduling.book',
          {
            customerId: customer.id,
            serviceId: service.id,
            startsAt: slot.startsAt,
            channel: pick(['phone', 'phone', 'phone', 'counter', 'online']),
            priority: urgent ? 'urgent' : chance(0.15) ? 'high' : chance(0.1) ? 'low' : 'normal',
            confirmed: !pencilled,
            notes: chance(0.2) ? pick(['Gate code 4512', 'Dog in the yard', 'Call before arriving', 'Park in the visitors bay']) : undefined,
          },
          { idempotencyKey: newId() },
        );
        if (!booked.ok) return;
        const appointment = booked.result.appointment;
        const start = Date.parse(appointment.startsAt);
        if (pencilled) {
          schedule(bookedAt + 5 * HOUR, () => {
            const a = fresh<{ appointment: Appointment }>('homeServices.scheduling.get', appointment.id).appointment;
            if (a.status === 'requested') call('dispatcher', 'homeServices.scheduling.confirm', { id: a.id, version: a.version });
          });
        }
        // The future keeps part of its work in the tray for the dispatcher to plan.
        const leaveUnassigned = start > now && chance(0.35);
        if (!leaveUnassigned) {
          schedule(Math.min(bookedAt + (1 + random() * 6) * HOUR, start - 90 * MINUTE), () => assignOrCancel(appointment));
        }
        const roll = random();
        if (roll < 0.07) {
          // Some customers cancel; those who call the evening before pay the late fee.
          const cancelAt = chance(0.4) ? start - (4 + random() * 14) * HOUR : bookedAt + (start - bookedAt) * random() * 0.5;
          schedule(cancelAt, () => {
            const a = fresh<{ appointment: Appointment }>('homeServices.scheduling.get', appointment.id).appointment;
            call('dispatcher', 'homeServices.scheduling.cancel', {
              id: a.id,
              version: a.version,
              reasonCode: pick(['customer_request', 'customer_request', 'weather', 'other']),
              note: pick(['Fixed it themselves', 'Away on business', 'Will call again next month']),
            });
          });
          return;
        }
        if (roll < 0.11) {
          schedule(bookedAt + (start - bookedAt) * 0.6, () => {
            const a = fresh<{ appointment: Appointment }>('homeServices.scheduling.get', appointment.id).appointment;
            const later = call<{ slots: { startsAt: string }[] }>('dispatcher', 'homeServices.scheduling.availability', {
              customerId: customer.id,
              serviceId: service.id,
              from: new Date(start + 24 * HOUR).toISOString(),
              days: 3,
              limit: 1,
              ignoreAppointmentId: a.id,
            });
            if (!later.ok || !later.result.slots[0]) return;
            const moved = call<{ appointment: Appointment; unassigned: number }>('dispatcher', 'homeServices.scheduling.reschedule', {
              id: a.id,
              version: a.version,
              startsAt: later.result.slots[0].startsAt,
              reasonCode: 'customer_request',
            });
            if (!moved.ok) return;
            // Moved off its technician's day: back to the dispatcher, who hands it out again.
            if (moved.result.unassigned > 0 || moved.result.appointment.jobState === 'unassigned') {
              schedule(bookedAt + (start - bookedAt) * 0.6 + 30 * MINUTE, () => assignOrCancel(moved.result.appointment));
            }
            playVisit(moved.result.appointment, customer, 'done');
          });
          return;
        }
        let fate: 'done' | 'noShow' | 'missed' | 'wrongPin' = roll < 0.14 ? 'noShow' : 'done';
        if (fate === 'done' && offset < -3 && missedLeft > 0 && chance(0.02)) {
          fate = 'missed';
          missedLeft -= 1;
        } else if (fate === 'done' && offset < -3 && wrongPinLeft > 0 && customer.lat !== null && chance(0.08)) {
          fate = 'wrongPin';
          wrongPinLeft -= 1;
        }
        playVisit(appointment, customer, fate);
        if (fate === 'missed' && missedLeft === 1) {
          // The first missed visit did happen: the supervisor records it the next morning with the customer's word.
          schedule(Date.parse(appointment.endsAt) + 18 * HOUR, () => {
            const visits = must<{ rows: Visit[] }>('supervisor', 'homeServices.visits.list', { status: 'missed', search: appointment.number });
            const visit = visits.rows[0];
            if (!visit) return;
            call('supervisor', 'homeServices.visits.correct', {
              visitId: visit.id,
              version: visit.version,
              reasonCode: 'visit_happened',
              reason: 'Customer confirmed the visit by phone; the technician’s phone was flat',
              checkInAt: new Date(start + 5 * MINUTE).toISOString(),
              checkOutAt: new Date(start + (appointment.durationMinutes + 5) * MINUTE).toISOString(),
            });
          });
        }
      });
    }
  }

  // A technician calls in sick ten days ago: his day goes back to the tray and is handed out again.
  const sickDay = dayOf(-10);
  if (dayjs.utc(sickDay).day() !== 0) {
    const sick = technicians[2]!;
    schedule(localInstant(sickDay, '06:45'), () => {
      const { unassignedJobIds } = must<{ unassignedJobIds: string[] }>('dispatcher', 'homeServices.timeOff.add', {
        technicianId: sick.id,
        startsAt: new Date(localInstant(sickDay, '00:00')).toISOString(),
        endsAt: new Date(localInstant(dayOf(-9), '00:00')).toISOString(),
        reason: 'Sick (called in at 06:40)',
      });
      for (const jobId of unassignedJobIds) {
        schedule(localInstant(sickDay, '07:10'), () => {
          const job = fresh<Job>('homeServices.dispatch.get', jobId);
          assignOrCancel(fresh<{ appointment: Appointment }>('homeServices.scheduling.get', job.appointmentId).appointment);
        });
      }
    });
  }
  // Leave planned for next week.
  schedule(now - 5 * 24 * HOUR, () => {
    must('dispatcher', 'homeServices.timeOff.add', {
      technicianId: technicians[5]!.id,
      startsAt: new Date(localInstant(dayOf(8), '00:00')).toISOString(),
      endsAt: new Date(localInstant(dayOf(11), '00:00')).toISOString(),
      reason: 'Annual leave',
    });
  });
  // A weekly deep clean for one customer, started three weeks ago, eight visits in all.
  const seriesStart = dayOf(-21 - ((dayjs.utc(dayOf(-21)).day() + 4) % 7));
  const cleaner = technicians.find((t) => t.skills.includes('cleaning'))!;
  const regular = customers[3]!;
  // Booked well ahead, before the other work of those mornings.
  schedule(localInstant(seriesStart, '08:00') - 12 * 24 * HOUR, () => {
    const deepClean = services.find((s) => s.sku === 'CLN-DEEP')!;
    const booked = call<{ series: Appointment[] }>(
      'dispatcher',
      'homeServices.scheduling.book',
      {
        customerId: regular.id,
        serviceId: deepClean.id,
        startsAt: new Date(localInstant(seriesStart, '09:00')).toISOString(),
        technicianId: cleaner.id,
        channel: 'counter',
        recurrence: { frequency: 'weekly', interval: 1, count: 8 },
        notes: 'Every Wednesday; key with the neighbour at no. 12',
      },
      { idempotencyKey: newId() },
    );
    if (booked.ok) for (const occurrence of booked.result.series) playVisit(occurrence, regular, 'done');
  });

  // Run the steps in time order; a step may schedule later ones, so the queue stays sorted.
  try {
    while (queue.length > 0) {
      let next = 0;
      for (let i = 1; i < queue.length; i += 1) {
        const a = queue[i]!;
        const b = queue[next]!;
        if (a.at < b.at || (a.at === b.at && a.seq < b.seq)) next = i;
      }
      const [step] = queue.splice(next, 1);
      kernel.clock = () => new Date(step!.at);
      step!.run();
    }
  } finally {
    kernel.clock = realClock;
  }
  if (refused.size > 0) kernel.log.info(`Field demo: steps refused along the way: ${[...refused].map(([k, n]) => `${n}× ${k}`).join('; ')}`);
}
