import { appendEvent } from '../../src-main/core/audit/journal';
import { sqlGet, writeTransaction } from '../../src-main/core/db/store';
import { newId } from '../../src-main/core/util/ids';
import { runSync } from '../../src-main/sync/engine';
import { openTestApp, type TestApp } from '../support/app';
import { startTestHq, type Backend } from '../sync/support/hq';
import { startPostgres, type PgCluster } from '../sync/support/postgres';
import type { BenchResult } from './types';

/**
 * Uploading a branch journal of 100,000 events to HQ over loopback, once with HQ on SQLite and
 * once on PostgreSQL (durable settings, as deployed). The timed part is one sync run as the branch
 * does it: its own check of the whole chain, every upload batch, HQ's checks and consolidation.
 * Target ≤ 30 s each.
 */
const TARGET_MS = 30_000;

/** Reading-sized events (an after-image like a meter reading's), appended straight to the journal. */
function fillJournal(t: TestApp, count: number): void {
  const { id: branchId } = t.kernel.branch();
  const chunk = 5_000;
  for (let done = 0; done < count; done += chunk) {
    writeTransaction(t.kernel.db, () => {
      for (let i = done; i < Math.min(count, done + chunk); i += 1) {
        const at = new Date(Date.UTC(2026, 0, 1) + i * 30_000).toISOString();
        const id = newId();
        appendEvent(
          t.kernel.db,
          { branchId, at, actorId: 'bench', actorName: 'Bench Reader', sessionId: null, shiftId: null, procedure: 'energy.meterReadings.create', approvalId: null },
          {
            entity: 'meterReading',
            entityId: id,
            action: 'created',
            after: {
              id,
              accountId: `A${i % 5000}`,
              meterId: `M${i % 5000}`,
              routeId: `R${i % 20}`,
              register: '1',
              value: 10_000 + i,
              originalValue: null,
              readDate: at.slice(0, 10),
              readType: i % 17 === 0 ? 'estimated' : 'actual',
              purpose: 'regular',
              skipCode: null,
              remark: null,
              consumption: 12.5 + (i % 40),
              previousValue: 9_990 + i,
              previousReadDate: '2025-12-31',
              status: i % 23 === 0 ? 'exception' : 'posted',
              resolution: null,
              exceptions: [],
              reviewReason: null,
              readerId: 'bench',
              source: 'import',
              createdAt: at,
              version: 0,
            },
          },
        );
      }
    });
  }
}

async function uploadOnce(backend: Backend, pg: PgCluster | null, events: number): Promise<BenchResult> {
  const t = openTestApp({ timeZone: 'UTC', validateOutputs: false });
  const hq = await startTestHq(backend, pg);
  try {
    fillJournal(t, events);
    const { configVersion } = t.ok<{ configVersion: number }>('admin', 'sync.status', {});
    t.ok('admin', 'sync.configure', { hqUrl: hq.url, token: await hq.register(t), enabled: true, version: configVersion });
    const head = sqlGet<{ seq: number }>(t.kernel.db, 'SELECT max(seq) AS seq FROM audit_events')!.seq;

    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const result = await runSync(t.kernel, { trigger: 'manual', timeoutMs: 120_000 });
    const cpu = process.cpuUsage(cpuBefore);
    const ms = performance.now() - started;

    const held = (await hq.events(t.kernel.branch().id)).length;
    const ok = result.outcome === 'succeeded' && result.confirmedSeq === head && held === head;
    return {
      name: `upload of ${events.toLocaleString('en')} journal events to HQ on ${backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'} over loopback`,
      ms,
      details: `${ok ? 'all held once' : `NOT COMPLETE (${result.outcome}: ${result.message}; HQ holds ${held} of ${head})`}, ${Math.round((head / ms) * 1000).toLocaleString('en')} events/s; target ≤ ${TARGET_MS / 1000} s ${ms <= TARGET_MS ? 'met' : 'MISSED'}; CPU of branch and HQ server (this process) ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`,
    };
  } finally {
    await hq.close();
    await t.close();
  }
}

export async function benchSync(events = 100_000, backends: readonly Backend[] = ['sqlite', 'postgres']): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  if (backends.includes('sqlite')) results.push(await uploadOnce('sqlite', null, events));
  if (backends.includes('postgres')) {
    const pg = await startPostgres({ durable: true });
    try {
      results.push(await uploadOnce('postgres', pg, events));
    } finally {
      await pg.stop();
    }
  }
  return results;
}
