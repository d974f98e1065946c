import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src-main/demo';
import { sqliteMinutesBetween } from '../../src-hq/consolidate';

/**
 * HQ works out a visit's minutes on site in JavaScript (it may run on PostgreSQL); the branch's
 * visits report does it in SQLite. Both must give the same whole minutes, half minutes included,
 * or HQ's minutes on site would drift from the branch's by one here and there.
 */
describe('minutes on site at HQ', () => {
  it('rounds as SQLite round((julianday(out) - julianday(in)) * 1440) does', () => {
    const db = new Database(':memory:');
    const inSqlite = db.prepare<[string, string], { m: number | null }>('SELECT round((julianday(?) - julianday(?)) * 1440) AS m');
    const random = seededRandom(42);
    const start = Date.parse('2026-03-01T06:00:00.000Z');
    const cases: [string, string][] = [
      ['2026-03-10T08:00:00.000Z', '2026-03-10T08:30:30.000Z'],
      ['2026-03-10T08:00:00.000Z', '2026-03-10T08:00:29.999Z'],
      ['2026-03-10T08:00:00.000Z', '2026-03-10T09:59:30.000Z'],
      ['2026-03-10T23:59:45.000Z', '2026-03-11T00:00:15.000Z'],
    ];
    for (let i = 0; i < 3000; i += 1) {
      const from = start + Math.floor(random() * 30 * 86_400_000);
      // Whole half minutes and arbitrary milliseconds alike.
      const span = i % 2 ? Math.floor(random() * 480) * 30_000 : Math.floor(random() * 8 * 3_600_000);
      cases.push([new Date(from).toISOString(), new Date(from + span).toISOString()]);
    }
    for (const [from, to] of cases) expect([from, to, sqliteMinutesBetween(from, to)]).toEqual([from, to, inSqlite.get(to, from)!.m]);
    db.close();
  });
});
