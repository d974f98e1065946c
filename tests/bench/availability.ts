import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../../src-main/app';
import { loadPrincipal } from '../../src-main/core/auth/sessions';
import { sqlGet, sqlRun, writeTransaction, type SqliteDb } from '../../src-main/core/db/store';
import { dispatch } from '../../src-main/core/rpc/pipeline';
import { newId } from '../../src-main/core/util/ids';
import { DEMO_PASSWORD, DEMO_USERS, seededRandom } from '../../src-main/demo';
import type { BenchResult } from './types';

/**
 * Availability search over 50 technicians × 30 days with 5,000 existing bookings (target ≤ 100 ms):
 * the full pipeline call `homeServices.scheduling.availability` — loading technicians, time off and
 * held bookings, building every technician's free time and scanning the slot grid — timed warm
 * (median of several runs) for the first free slot and for a scan of the whole 30 days.
 *
 * The 5,000 bookings are written straight into the tables in one transaction: they are the bench's
 * fixture, not what is measured (booking them one by one through the pipeline takes minutes on this
 * machine). The store's double-booking trigger still guards them.
 */
const TECHNICIANS = 50;
const DAYS = 30;
const BOOKINGS = 5_000;
const RUNS = 7;
const TARGET_MS = 100;
const TZ = 'Africa/Johannesburg';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The bench store: 50 technicians, 5,000 bookings over 30 days; answers a timed search. */
export interface AvailabilityStore {
  search(limit: number): { ms: number; cpuMs: number; slots: { startsAt: string }[] };
  held: { n: number; pooled: number };
  db: SqliteDb;
  close(): Promise<void>;
}

export function prepareAvailabilityStore(): AvailabilityStore {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plug1-bench-availability-'));
  // Monday 07:00 local: the search window starts at 09:00 (two hours' notice) and runs 30 days.
  const now = new Date('2026-03-02T05:00:00Z');
  const app = createApp({ dataDir, clock: () => now, log: { info: () => {}, error: () => {} } });
  {
    const { kernel } = app;
    const seeded = dispatch(kernel, 'system.seedDemo', { branchName: 'Bench Branch', timeZone: TZ, password: DEMO_PASSWORD, users: DEMO_USERS });
    if (!seeded.ok) throw new Error(seeded.error.message);
    const userIds = (seeded.result as { userIds: Record<string, string> }).userIds;
    const admin = loadPrincipal(kernel.db, userIds.admin!, null);
    const dispatcher = loadPrincipal(kernel.db, userIds.dispatcher!, null);
    const run = <T>(principal: typeof admin, procedure: string, input: unknown): T => {
      const answer = dispatch(kernel, procedure, input, { principal });
      if (!answer.ok) throw new Error(`${procedure}: ${answer.error.message}`);
      return answer.result as T;
    };
    const random = seededRandom(5005);

    const zones = ['N', 'S', 'E', 'W'].map((code) => run<{ id: string }>(admin, 'homeServices.zones.create', { code, name: `Zone ${code}` }).id);
    const weekdays = [1, 2, 3, 4, 5, 6];
    const hours = weekdays.map((weekday) => ({ weekday, start: '08:00', end: '17:00' }));
    const breaks = weekdays.map((weekday) => ({ weekday, start: '12:30', end: '13:00' }));
    const technicians: string[] = [];
    for (let i = 0; i < TECHNICIANS; i += 1) {
      technicians.push(
        run<{ id: string }>(admin, 'homeServices.technicians.create', {
          code: `T${i}`,
          name: `Technician ${i}`,
          skills: [{ skill: 'plumbing', level: 1 + (i % 3) }],
          zoneIds: zones,
          hours,
          breaks,
          homeLat: -26.1 + random() * 0.1,
          homeLng: 28 + random() * 0.1,
        }).id,
      );
    }
    const service = run<{ id: string }>(admin, 'homeServices.services.create', {
      sku: 'PLB-REPAIR',
      name: 'Leak repair',
      category: 'plumbing',
      durationMinutes: 60,
      bufferMinutes: 10,
      priceMinor: 65_000,
      requiredSkills: [{ skill: 'plumbing', minLevel: 1 }],
    }).id;
    const customer = run<{ id: string }>(dispatcher, 'homeServices.customers.create', { name: 'Bench Customer', address: '1 Bench Road', lat: -26.05, lng: 28.05, zoneId: zones[0] }).id;

    // 5,000 one-hour bookings at 08:00, 10:00, 13:00 and 15:00 on the technicians' working days (some
    // left out at random), about one in twenty still waiting in the unassigned pool.
    writeTransaction(kernel.db, () => {
      let made = 0;
      for (let day = 0; made < BOOKINGS && day < DAYS + 10; day += 1) {
        const date = new Date(Date.UTC(2026, 2, 2 + day));
        if (date.getUTCDay() === 0) continue;
        const localDate = date.toISOString().slice(0, 10);
        for (const [t, technicianId] of technicians.entries()) {
          for (const hour of [8, 10, 13, 15]) {
            if (made >= BOOKINGS || random() < 0.15) continue;
            const start = new Date(`${localDate}T${String(hour).padStart(2, '0')}:00:00+02:00`);
            const pooled = (made + t) % 20 === 0;
            const id = newId();
            sqlRun(
              kernel.db,
              `INSERT INTO hs_appointments (id, branch_id, number, customer_id, service_id, starts_at, ends_at, local_date, duration_minutes, buffer_minutes,
                 price_minor, status, channel, booked_by, version, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, 60, 10, 65000, 'confirmed', 'phone', ?, 0, ?, ?)`,
              id,
              kernel.branch().id,
              made + 1,
              customer,
              service,
              start.toISOString(),
              new Date(start.getTime() + 3_600_000).toISOString(),
              localDate,
              userIds.dispatcher,
              now.toISOString(),
              now.toISOString(),
            );
            sqlRun(
              kernel.db,
              `INSERT INTO hs_jobs (id, branch_id, appointment_id, technician_id, state, priority, sla_due_at, version, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, 'normal', ?, 0, ?, ?)`,
              newId(),
              kernel.branch().id,
              id,
              pooled ? null : technicianId,
              pooled ? 'unassigned' : 'assigned',
              new Date(start.getTime() + 48 * 3_600_000).toISOString(),
              now.toISOString(),
              now.toISOString(),
            );
            made += 1;
          }
        }
      }
    });
    const held = sqlGet<{ n: number; pooled: number }>(kernel.db, `SELECT count(*) AS n, sum(j.state = 'unassigned') AS pooled FROM hs_appointments a JOIN hs_jobs j ON j.appointment_id = a.id`)!;

    const search = (limit: number) => {
      const started = performance.now();
      const cpu = process.cpuUsage();
      const answer = dispatch(kernel, 'homeServices.scheduling.availability', { serviceId: service, customerId: customer, days: DAYS, limit }, { principal: dispatcher });
      const used = process.cpuUsage(cpu);
      const ms = performance.now() - started;
      if (!answer.ok) throw new Error(answer.error.message);
      // CPU time beside wall time: on this shared machine the wall clock also counts other people's work.
      return { ms, cpuMs: (used.user + used.system) / 1000, slots: (answer.result as { slots: { startsAt: string }[] }).slots };
    };
    const close = async () => {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    };
    return { search, held, close, db: kernel.db };
  }
}

export async function benchAvailability(): Promise<BenchResult> {
  const { search, held, close, db } = prepareAvailabilityStore();
  try {
    // The same run's yardstick (this machine is shared and noisy): raw better-sqlite3 reading every
    // booking row once, with no pipeline and no rules.
    const readAll = db.prepare('SELECT * FROM hs_appointments');
    readAll.all();
    const raw = median(
      Array.from({ length: RUNS }, () => {
        const started = performance.now();
        readAll.all();
        return performance.now() - started;
      }),
    );
    const cold = search(1);
    const first = Array.from({ length: RUNS }, () => search(1));
    // Warm the 30-day path too before timing it: on this shared two-core machine the optimising
    // compiler runs starved, and its threads' CPU lands in the first few scans (140 ms CPU where a
    // warm scan takes 30–40 ms). The app runs the search over and over in one process.
    for (let i = 0; i < 3; i += 1) search(500);
    const full = Array.from({ length: RUNS }, () => search(500));
    const fullMs = median(full.map((r) => r.ms));
    const spread = (values: number[]) => `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}`;
    const lastSlot = full[0]!.slots.at(-1)?.startsAt.slice(0, 10) ?? 'none';
    return {
      name: `Availability: ${TECHNICIANS} technicians × ${DAYS} days, ${held.n.toLocaleString('en-US')} bookings`,
      ms: fullMs,
      details:
        `${fullMs <= TARGET_MS ? 'within' : 'OVER'} the ${TARGET_MS} ms target — 30-day scan (${full[0]!.slots.length} slots, last on ${lastSlot}) ` +
        `median ${fullMs.toFixed(1)} ms wall (${spread(full.map((r) => r.ms))}) / ${median(full.map((r) => r.cpuMs)).toFixed(1)} ms CPU (${spread(full.map((r) => r.cpuMs))}); ` +
        `first free slot median ${median(first.map((r) => r.ms)).toFixed(1)} ms wall / ${median(first.map((r) => r.cpuMs)).toFixed(1)} ms CPU ` +
        `(cold ${cold.ms.toFixed(1)} ms); ${held.pooled} bookings in the unassigned pool; yardstick: a raw read of the ${held.n.toLocaleString('en-US')} booking rows ${raw.toFixed(1)} ms`,
    };
  } finally {
    await close();
  }
}
