import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openStore, STORE_FILE, WAL_BACKSTOP_PAGES, type SqliteDb } from '../../src-main/core/db/store';
import { appendEvent, verifyChain } from '../../src-main/core/audit/journal';
import { branchMigrations } from '../../migrations/branch';
import { listRoutes } from '../../src-main/modules/energy/meter-readings/queries';
import { highFactor } from '../../src-main/modules/energy/meter-readings/settings';
import { Settings } from '../../src-main/core/settings/settings';
import { tempDir } from '../support/app';

describe('the branch store', () => {
  it('opens with WAL, foreign keys and a busy timeout, and records each migration with its checksum', () => {
    const dir = tempDir();
    const db = openStore(dir);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    // Checkpoints run on a background thread in the app; a writer checkpoints itself only past this.
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_BACKSTOP_PAGES);
    const rows = db.prepare('SELECT version, checksum FROM schema_migrations ORDER BY version').all() as { version: number; checksum: string }[];
    expect(rows.map((r) => r.version)).toEqual(branchMigrations.map((m) => m.version));
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);
    db.close();
  });

  it('refuses a store written by a newer version and leaves the file untouched', () => {
    const dir = tempDir();
    const db = openStore(dir);
    db.prepare(`INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, 'from the future', 'x', '2030-01-01')`).run(branchMigrations.length + 1);
    db.close();
    const file = path.join(dir, STORE_FILE);
    const before = fs.readFileSync(file);
    expect(() => openStore(dir)).toThrow(/newer version of Plug1 Operations/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a store whose released migration differs from the shipped one', () => {
    const dir = tempDir();
    openStore(dir).close();
    const db = openStore(dir, { migrations: branchMigrations });
    db.prepare(`UPDATE schema_migrations SET checksum = 'tampered' WHERE version = 1`).run();
    db.close();
    expect(() => openStore(dir)).toThrow(/differs from the one this app ships/);
  });

  it('brings an older store forward, applying only what is missing', () => {
    const dir = tempDir();
    openStore(dir, { migrations: branchMigrations.slice(0, 1) }).close();
    const db = openStore(dir);
    const versions = (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version);
    expect(versions).toEqual(branchMigrations.map((m) => m.version));
    db.close();
  });

  it('rebuilds the journal without its unused indexes and keeps every event, its hash and the append-only rule', () => {
    const dir = tempDir();
    const old = openStore(dir, { migrations: branchMigrations.filter((m) => m.version < 12) });
    const stamp = { branchId: 'b1', actorId: 'u1', actorName: 'Ray Reader', sessionId: null, shiftId: null, procedure: 'energy.meterReadings.create', approvalId: null };
    const written = [1, 2, 3].map((n) =>
      old.transaction(() =>
        appendEvent(old, { ...stamp, at: `2026-12-0${n}T08:00:00.000Z` }, { entity: 'meterReading', entityId: `r${n}`, action: 'created', after: { value: 1000 + n, note: 'Ünïcödé' } }),
      )(),
    );
    old.close();

    const db = openStore(dir);
    const rows = db.prepare('SELECT seq, id, at, hash, after_json FROM audit_events ORDER BY seq').all();
    expect(rows).toEqual(written.map((e) => ({ seq: e.seq, id: e.id, at: e.at, hash: e.hash, after_json: e.after_json })));
    expect(verifyChain(db)).toMatchObject({ ok: true, checked: 3, headHash: written[2]!.hash });
    const indexes = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_events' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
    expect(indexes).toEqual(['audit_events_actor', 'audit_events_entity']);
    expect(() => db.prepare(`UPDATE audit_events SET reason = 'edited' WHERE seq = 1`).run()).toThrow(/append-only: UPDATE refused/);
    expect(() => db.prepare('DELETE FROM audit_events WHERE seq = 3').run()).toThrow(/append-only: DELETE refused/);
    // Appending carries on from the copied head.
    const next = db.transaction(() => appendEvent(db, { ...stamp, at: '2026-12-04T08:00:00.000Z' }, { entity: 'meterReading', entityId: 'r4', action: 'created' }))();
    expect(next).toMatchObject({ seq: 4, prev_hash: written[2]!.hash });
    expect(verifyChain(db).ok).toBe(true);
    db.close();
  });

  it('keeps a meter to one standing regular read a day in the index its history is read from', () => {
    const db = openStore(tempDir());
    // Only the index is under test here, not the rows a reading refers to.
    db.pragma('foreign_keys = OFF');
    const insert = db.prepare(`INSERT INTO meter_readings (id, branch_id, meter_id, account_id, register, value, read_date, read_type, purpose,
      consumption, status, reader_id, source, created_at, updated_at)
      VALUES (?, 'b1', 'm1', 'a1', '1', ?, ?, 'actual', ?, 0, ?, 'u1', 'manual', '2026-12-01T08:00:00Z', '2026-12-01T08:00:00Z')`);
    insert.run('r1', 1000, '2026-11-01', 'install', 'posted');
    insert.run('r2', 1030, '2026-12-01', 'regular', 'posted');
    expect(() => insert.run('r3', 1031, '2026-12-01', 'regular', 'exception')).toThrow(/UNIQUE constraint failed/);
    // A removal read the same day is not a second regular read.
    insert.run('r4', 1032, '2026-12-01', 'removal', 'posted');
    // A read sent for re-reading leaves the day free for the re-read.
    db.prepare(`UPDATE meter_readings SET status = 'reread' WHERE id = 'r2'`).run();
    insert.run('r5', 1033, '2026-12-01', 'regular', 'posted');
    expect(() => db.prepare(`UPDATE meter_readings SET status = 'posted' WHERE id = 'r2'`).run()).toThrow(/UNIQUE constraint failed/);
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM meter_readings WHERE meter_id = 'm1' AND status <> 'reread' ORDER BY read_date DESC, id DESC LIMIT 2`).all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('USING INDEX meter_readings_meter');
    const chain = db.prepare(`SELECT id FROM meter_readings WHERE meter_id = 'm1' AND status <> 'reread' ORDER BY read_date DESC, id DESC`).all();
    expect(chain).toEqual([{ id: 'r5' }, { id: 'r4' }, { id: 'r1' }]);
    db.close();
  });

  it('drops the readings’ route index and still lists each route’s progress', () => {
    const dir = tempDir();
    const old = openStore(dir, { migrations: branchMigrations.filter((m) => m.version < 14) });
    // Only the route figures are under test here, not the users a reading refers to.
    old.pragma('foreign_keys = OFF');
    const at = '2026-12-01T08:00:00Z';
    old.prepare(`INSERT INTO routes (id, branch_id, code, name, created_at, updated_at) VALUES ('ro1', 'b1', 'R1', 'River', ?, ?)`).run(at, at);
    old.prepare(`INSERT INTO accounts (id, branch_id, account_no, name, address, route_id, status, category, created_at, updated_at)
      VALUES ('a1', 'b1', 'A1', 'Customer', '1 River Street', 'ro1', 'active', 'residential', ?, ?)`).run(at, at);
    old.prepare(`INSERT INTO meters (id, branch_id, serial, dials, multiplier, account_id, status, installed_on, created_at, updated_at)
      VALUES ('m1', 'b1', 'M1', 5, 1, 'a1', 'installed', '2026-11-01', ?, ?)`).run(at, at);
    const read = old.prepare(`INSERT INTO meter_readings (id, branch_id, meter_id, account_id, route_id, register, value, read_date, read_type,
      purpose, consumption, status, reader_id, source, created_at, updated_at)
      VALUES (?, 'b1', 'm1', 'a1', 'ro1', '1', ?, ?, 'actual', 'regular', 30, ?, 'u1', 'manual', ?, ?)`);
    read.run('r1', 1030, '2026-12-01', 'posted', at, at);
    read.run('r2', 1900, '2026-12-05', 'exception', at, at);
    expect(indexesOf(old, 'meter_readings')).toContain('meter_readings_route');
    old.close();

    const db = openStore(dir);
    expect(indexesOf(db, 'meter_readings')).not.toContain('meter_readings_route');
    expect(listRoutes(db, '2026-12-15')).toEqual([expect.objectContaining({ code: 'R1', meterCount: 1, readCount: 1, exceptionCount: 1 })]);
    expect(listRoutes(db, '2027-01-15', 'ro1')).toEqual([expect.objectContaining({ code: 'R1', meterCount: 1, readCount: 0, exceptionCount: 0 })]);
    db.close();
  });

  it('reads the settings of a store from before the settings cache, and caches them once it is migrated', () => {
    const dir = tempDir();
    const old = openStore(dir, { migrations: branchMigrations.filter((m) => m.version < 15) });
    old.prepare(`INSERT INTO settings (key, value_json, version, updated_at) VALUES (?, '1.7', 1, '2026-12-01T08:00:00Z')`).run(highFactor.key);
    expect(new Settings(old).get(highFactor)).toBe(1.7);
    old.close();

    const db = openStore(dir);
    const settings = new Settings(db);
    expect(settings.get(highFactor)).toBe(1.7);
    db.prepare('UPDATE settings SET value_json = ? WHERE key = ?').run('1.9', highFactor.key);
    expect(settings.get(highFactor)).toBe(1.9);
    db.close();
  });
});

function indexesOf(db: SqliteDb, table: string): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?`).all(table) as { name: string }[]).map((r) => r.name);
}
