import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { openTestApp, tempDir, type TestApp } from '../support/app';
import { startCheckpointer } from '../../src-main/core/db/checkpointer';
import { WAL_BACKSTOP_PAGES } from '../../src-main/core/db/store';
import type { BenchResult } from './types';

/** Something the bench times one step at a time, in rounds interleaved with the others. */
interface Contender {
  step(i: number): void;
}

/**
 * The limit: raw better-sqlite3 inserts of a reading-sized row with a SHA-256 chain, one
 * transaction per insert (as the pipeline commits each call on its own). Optionally with the app's
 * background checkpointer, to show how much of the pipeline's gain from it a bare table gets too.
 */
async function rawChain(checkpointInBackground: boolean): Promise<Contender & { batch(count: number): void; close(): Promise<void> }> {
  const db = new Database(path.join(tempDir('plug1-bench-raw-'), 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const checkpoints = checkpointInBackground ? startCheckpointer(db, console) : null;
  if (checkpoints) {
    db.pragma(`wal_autocheckpoint = ${WAL_BACKSTOP_PAGES}`);
    await checkpoints.ready;
  }
  db.exec('CREATE TABLE events (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, body TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL) STRICT');
  db.exec('CREATE TABLE readings (id TEXT PRIMARY KEY, meter_id TEXT NOT NULL, value INTEGER NOT NULL, read_date TEXT NOT NULL) STRICT');
  const head = db.prepare('SELECT hash FROM events ORDER BY seq DESC LIMIT 1');
  const insertEvent = db.prepare('INSERT INTO events (id, body, prev_hash, hash) VALUES (?, ?, ?, ?)');
  const insertReading = db.prepare('INSERT INTO readings (id, meter_id, value, read_date) VALUES (?, ?, ?, ?)');
  const one = (i: number) => {
    const prev = (head.get() as { hash: string } | undefined)?.hash ?? '0'.repeat(64);
    const body = JSON.stringify({ entity: 'meterReading', id: `r${i}`, meterId: `m${i % 1000}`, value: 1000 + i, readDate: '2026-11-01', status: 'posted', consumption: 123, exceptions: [] });
    insertReading.run(`r${i}`, `m${i % 1000}`, 1000 + i, '2026-11-01');
    insertEvent.run(`e${i}`, body, prev, createHash('sha256').update(prev).update(body).digest('hex'));
  };
  const perTransaction = db.transaction(one);
  return {
    step: (i) => perTransaction.immediate(i),
    /** The same inserts all in one transaction, for reference (on a fresh table). */
    batch(count) {
      db.transaction(() => {
        for (let i = 0; i < count; i += 1) one(-1 - i);
      })();
    },
    async close() {
      await checkpoints?.stop();
      db.close();
    },
  };
}

/**
 * Times `count` steps of each contender in `rounds` interleaved rounds, the order rotating each
 * round. This machine's speed drifts by tens of percent within seconds (shared and noisy), so
 * timing one contender after the other measured the drift as much as the code; interleaved, both
 * sides of a ratio see the same machine.
 */
function interleaved(contenders: readonly Contender[], count: number, rounds = 10): number[] {
  const ms = contenders.map(() => 0);
  const perRound = Math.ceil(count / rounds);
  for (let round = 0; round < rounds; round += 1) {
    const from = round * perRound;
    const to = Math.min(count, from + perRound);
    for (let k = 0; k < contenders.length; k += 1) {
      const c = (k + round) % contenders.length;
      const started = performance.now();
      for (let i = from; i < to; i += 1) contenders[c]!.step(i);
      ms[c]! += performance.now() - started;
    }
  }
  return ms;
}

/** A route of meters to read, created through the pipeline (not timed). */
export function seedMeters(t: TestApp, meters: number): { meterIds: string[]; routeId: string } {
  const route = t.ok<{ id: string }>('admin', 'energy.routes.create', { code: 'B1', name: 'Bench route' });
  const meterIds: string[] = [];
  for (let i = 0; i < meters; i += 1) {
    const account = t.ok<{ id: string }>('admin', 'energy.accounts.create', { accountNo: `B${100000 + i}`, name: `Bench ${i}`, address: `${i} Bench Street`, routeId: route.id, sequence: i });
    const meter = t.ok<{ id: string }>('admin', 'energy.meters.create', { serial: `BM${100000 + i}`, dials: 6, accountId: account.id, installedOn: '2025-01-01', initialRead: 1000 });
    meterIds.push(meter.id);
  }
  return { meterIds, routeId: route.id };
}

/**
 * The `i`th read of a monthly read cycle over `meterIds` (the way meters are read): each meter once
 * a month from February 2025, about 30 units a month as in the month before, so most reads post
 * and a few trip the high/low check — the mix a reading clerk sees, not a stream of exceptions.
 */
export function monthlyRead(meterIds: readonly string[], i: number): { meterId: string; readDate: string; value: number } {
  const month = 1 + Math.floor(i / meterIds.length);
  const year = 2025 + Math.floor(month / 12);
  return {
    meterId: meterIds[i % meterIds.length]!,
    readDate: `${year}-${String((month % 12) + 1).padStart(2, '0')}-01`,
    value: 1000 + month * 30 + (i % 7),
  };
}

/**
 * A second limit: raw better-sqlite3 writing the rows the pipeline writes — a reading and its
 * chained journal event — into the app's own tables, with their indexes and foreign keys, one
 * transaction each. The gap between this and the first limit is the schema's cost; the gap between
 * this and the pipeline is what authorization, validation, VEE and the audit stamp cost.
 */
function rawSameRows(t: TestApp, meterIds: string[], count: number): number {
  const db = t.kernel.db;
  const meters = db.prepare('SELECT m.id, a.id AS account_id, a.route_id FROM meters m JOIN accounts a ON a.id = m.account_id WHERE m.id = ?');
  const targets = meterIds.map((id) => meters.get(id) as { id: string; account_id: string; route_id: string });
  const readerId = (db.prepare("SELECT id FROM users WHERE username = 'reader'").get() as { id: string }).id;
  const branchId = t.kernel.branch().id;
  const head = db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1');
  const insertReading = db.prepare(`INSERT INTO meter_readings (id, branch_id, meter_id, account_id, route_id, register, value,
    read_date, read_type, purpose, consumption, previous_value, previous_read_date, status, exceptions_json, reader_id, source,
    version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, '1', ?, ?, 'actual', 'regular', 30, 1000, '2025-01-01', 'posted', '[]', ?, 'manual', 0, ?, ?)`);
  const insertEvent = db.prepare(`INSERT INTO audit_events (seq, id, branch_id, at, actor_id, actor_name, procedure, entity, entity_id,
    action, after_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, 'Ray Reader', 'energy.meterReadings.create', 'meterReading', ?, 'created', ?, ?, ?)`);
  const one = (i: number) => {
    const target = targets[i % targets.length]!;
    const day = 1 + Math.floor(i / targets.length);
    const id = `raw${i}`;
    const at = new Date().toISOString();
    const readDate = `2030-04-${String(day).padStart(2, '0')}`;
    insertReading.run(id, branchId, target.id, target.account_id, target.route_id, 1000 + day * 30, readDate, readerId, at, at);
    const prev = head.get() as { seq: number; hash: string };
    const after = JSON.stringify({ id, meterId: target.id, value: 1000 + day * 30, readDate, status: 'posted', consumption: 30, exceptions: [] });
    insertEvent.run(prev.seq + 1, `rawevent${i}`, branchId, at, readerId, id, after, prev.hash, createHash('sha256').update(prev.hash).update(after).digest('hex'));
  };
  const tx = db.transaction(one);
  const started = performance.now();
  for (let i = 0; i < count; i += 1) tx.immediate(i);
  return performance.now() - started;
}

export async function benchPipeline(count = 5000): Promise<BenchResult[]> {
  const batchOnly = await rawChain(false);
  const batchStarted = performance.now();
  batchOnly.batch(count);
  const rawBatch = performance.now() - batchStarted;
  await batchOnly.close();

  const raw = await rawChain(false);
  // The app's configuration: WAL checkpoints on a background thread (see core/db/checkpointer.ts).
  const t = openTestApp({ timeZone: 'UTC', validateOutputs: false, checkpointer: true });
  const { meterIds } = seedMeters(t, 1000);
  t.login('reader');
  await t.checkpoints!.ready;
  const pipeline: Contender = {
    step(i) {
      const r = t.call('reader', 'energy.meterReadings.create', monthlyRead(meterIds, i));
      if (!r.ok) throw new Error(`bench create failed: ${r.error.message}`);
    },
  };
  const [rawPerTx, pipelineMs] = interleaved([raw, pipeline], count) as [number, number];
  await raw.close();
  // After the pipeline: its rows are dated 2030, past every read the pipeline makes.
  const rawSameMs = rawSameRows(t, meterIds, count);
  await t.close();

  // On its own: interleaved, its checkpointer thread and the app's would compete for the second core.
  const rawBackground = await rawChain(true);
  const [rawPerTxBackground] = interleaved([rawBackground], count) as [number];
  await rawBackground.close();

  const perSec = (ms: number) => Math.round((count / ms) * 1000);
  return [
    { name: 'raw better-sqlite3 insert + SHA-256 chain, one transaction each (the limit; timed in rounds interleaved with the pipeline)', ms: rawPerTx, details: `${perSec(rawPerTx)}/s` },
    { name: 'raw better-sqlite3 insert + SHA-256 chain, all in one transaction', ms: rawBatch, details: `${perSec(rawBatch)}/s` },
    {
      name: 'raw better-sqlite3 insert + SHA-256 chain, one transaction each, WAL checkpoints on a background thread as the app runs them',
      ms: rawPerTxBackground,
      details: `${perSec(rawPerTxBackground)}/s`,
    },
    {
      name: 'raw better-sqlite3 writing the same reading + journal rows into the app schema (indexes, foreign keys), one transaction each',
      ms: rawSameMs,
      details: `${perSec(rawSameMs)}/s`,
    },
    {
      name: 'energy.meterReadings.create through the full pipeline',
      ms: pipelineMs,
      details:
        `${perSec(pipelineMs)}/s = ${((rawPerTx / pipelineMs) * 100).toFixed(0)}% of raw per-transaction (target ≥ 25%), ` +
        `${((rawPerTxBackground / pipelineMs) * 100).toFixed(0)}% of raw with the same background checkpointer, ` +
        `${((rawSameMs / pipelineMs) * 100).toFixed(0)}% of raw on the app schema, ${((rawBatch / pipelineMs) * 100).toFixed(0)}% of raw batched`,
    },
  ];
}
