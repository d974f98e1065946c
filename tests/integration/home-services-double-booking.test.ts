import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RpcResult } from '../../src-shared/rpc';
import type { Appointment } from '../../src-shared/contracts/home-services/scheduling';
import type { Customer } from '../../src-shared/contracts/home-services/master-data';
import { sqlAll } from '../../src-main/core/db/store';
import { openTestApp, type TestApp } from '../support/app';
import { fieldFixture, okAs, type FieldFixture } from '../support/home-services';

/*
 * The double-booking race: two clerks, each at their own app instance with its own connection to
 * the same store file, book the same slot at the same moment. Exactly one succeeds; the other is
 * answered CONFLICT with the next free slots. Several rounds, so one lucky ordering proves nothing.
 */
const CLOCK = '2026-03-02T05:00:00.000Z';
let t: TestApp;
let f: FieldFixture;
let second: Customer;

beforeAll(() => {
  t = openTestApp({ clock: () => new Date(CLOCK) });
  f = fieldFixture(t);
  second = okAs<Customer>(t, 'dispatcher', 'homeServices.customers.create', { name: 'South Neighbour', address: '2 South Street', zoneId: f.zones.south.id, lat: -26.13, lng: 28.05 });
});
afterAll(async () => {
  await t.close();
});

type Answer = RpcResult<{ appointment: Appointment }>;

function desk(rounds: { input: unknown; idempotencyKey: string }[], barrier: SharedArrayBuffer): Promise<Answer[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.resolve('tests/support/home-services-race-desk.cjs'), {
      workerData: { dataDir: t.dataDir, clock: CLOCK, barrier, rounds },
    });
    worker.once('message', (answers: Answer[]) => resolve(answers));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`desk exited with ${code}`));
    });
  });
}

describe('two clerks booking the same slot at once', () => {
  it('lets exactly one through and answers the other CONFLICT with the next free slots', async () => {
    // South-zone repairs: only the all-rounder can do them, so each slot holds exactly one booking.
    const slots = ['09:00', '11:00', '14:00', '16:00'].map((time) => new Date(`2026-03-03T${time}:00+02:00`).toISOString());
    const round = (customerId: string, desk: string) =>
      slots.map((startsAt, i) => ({ input: { customerId, serviceId: f.services.repair.id, startsAt }, idempotencyKey: `race-${desk}-${i}` }));
    const barrier = new SharedArrayBuffer(4 * slots.length);
    const [left, right] = await Promise.all([desk(round(f.customers.south.id, 'left'), barrier), desk(round(second.id, 'right'), barrier)]);

    slots.forEach((startsAt, i) => {
      const pair = [left[i]!, right[i]!];
      const won = pair.filter((a) => a.ok);
      const lost = pair.filter((a) => !a.ok);
      expect(won, `round ${i}`).toHaveLength(1);
      expect(lost, `round ${i}`).toHaveLength(1);
      const loser = lost[0]!;
      if (loser.ok) return;
      expect(loser.error.code).toBe('CONFLICT');
      const next = loser.error.details?.nextSlots as { startsAt: string }[];
      expect(next.length).toBeGreaterThan(0);
      expect(next.every((s) => s.startsAt > startsAt)).toBe(true);
      const winner = won[0]!;
      if (winner.ok) expect(winner.result.appointment.startsAt).toBe(startsAt);
    });

    const booked = sqlAll<{ starts_at: string }>(t.kernel.db, `SELECT starts_at FROM hs_appointments WHERE status = 'confirmed' ORDER BY starts_at`);
    expect(booked.map((b) => b.starts_at)).toEqual(slots);
    expect(okAs<{ ok: boolean }>(t, 'auditor', 'audit.verify', {}).ok).toBe(true);
  });
});
