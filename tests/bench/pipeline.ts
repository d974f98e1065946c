import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { openTestApp, tempDir, type TestApp } from '../support/app';
import { startCheckpointer } from '../../src-main/core/db/checkpointer';
import { WAL_BACKSTOP_PAGES } from '../../src-main/core/db/store';
import type { BenchResult } from './types';

/**
 * The limit: raw better-sqlite3 inserts of a reading-sized row with a SHA-256 chain, one
 * transaction per insert (as the pipeline commits each call on its own), and the same in one
 * big transaction for reference.
 */
async function rawChainedInserts(count: number, perTransaction: boolean, checkpointInBackground = false): Promise<number> {
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
  const started = performance.now();
  if (perTransaction) {
    const tx = db.transaction(one);
    for (let i = 0; i < count; i += 1) tx.immediate(i);
  } else {
    db.transaction(() => {
      for (let i = 0; i < count; i += 1) one(i);
    })();
  }
  const ms = performance.now() - started;
  await checkpoints?.stop();
  db.close();
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
  const rawPerTx = await rawChainedInserts(count, true);
  const rawBatch = await rawChainedInserts(count, false);
  const rawPerTxBackground = await rawChainedInserts(count, true, true);

  // The app's configuration: WAL checkpoints on a background thread (see core/db/checkpointer.ts).
  const t = openTestApp({ timeZone: 'UTC', validateOutputs: false, checkpointer: true });
  const meters = 1000;
  const { meterIds } = seedMeters(t, meters);
  t.login('reader');
  await t.checkpoints!.ready;
  const started = performance.now();
  for (let i = 0; i < count; i += 1) {
    const r = t.call('reader', 'energy.meterReadings.create', monthlyRead(meterIds, i));
    if (!r.ok) throw new Error(`bench create failed: ${r.error.message}`);
  }
  const pipelineMs = performance.now() - started;
  const rawSameMs = rawSameRows(t, meterIds, count);
  await t.close();

  const perSec = (ms: number) => Math.round((count / ms) * 1000);
  return [
    { name: 'raw better-sqlite3 insert + SHA-256 chain, one transaction each (the limit)', ms: rawPerTx, details: `${perSec(rawPerTx)}/s` },
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
      details: `${perSec(pipelineMs)}/s = ${((rawPerTx / pipelineMs) * 100).toFixed(0)}% of raw per-transaction (target ≥ 25%), ${((rawSameMs / pipelineMs) * 100).toFixed(0)}% of raw on the app schema, ${((rawBatch / pipelineMs) * 100).toFixed(0)}% of raw batched`,
    },
  ];
}
