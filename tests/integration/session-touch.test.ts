import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { STORE_FILE } from '../../src-main/core/db/store';
import { openTestApp, type TestApp } from '../support/app';

let t: TestApp;
let other: Database.Database | null = null;
afterEach(async () => {
  if (other?.inTransaction) other.exec('ROLLBACK');
  other?.close();
  other = null;
  await t?.close();
});

it('answers a read at once while a job holds the write lock, even when the session is due a last-seen touch', () => {
  let now = new Date('2026-11-20T08:00:00Z');
  t = openTestApp({ clock: () => now });
  t.login('reader');
  // Another connection (a job worker importing a file) holds the write lock for a chunk.
  other = new Database(path.join(t.dataDir, STORE_FILE));
  other.exec('BEGIN IMMEDIATE');
  now = new Date('2026-11-20T08:05:00Z');

  const started = performance.now();
  const answer = t.call('reader', 'energy.routes.list', {});
  const waited = performance.now() - started;
  expect(answer.ok).toBe(true);
  // Waiting for the lock would take the whole busy timeout (5 s) and then fail the call.
  expect(waited).toBeLessThan(1_000);

  // Once the lock is free the touch lands, so idle expiry still counts from real use.
  other.exec('ROLLBACK');
  expect(t.call('reader', 'energy.routes.list', {}).ok).toBe(true);
  const seen = t.kernel.db.prepare('SELECT MAX(last_seen_at) AS at FROM sessions').get() as { at: string };
  expect(seen.at).toBe('2026-11-20T08:05:00.000Z');
});

it('answers a save that cannot get the write lock in time with a retryable CONFLICT, not an internal error', () => {
  t = openTestApp({ timeZone: 'UTC' });
  t.login('admin');
  other = new Database(path.join(t.dataDir, STORE_FILE));
  other.exec('BEGIN IMMEDIATE');
  const answer = t.call('admin', 'energy.routes.create', { code: 'R99', name: 'Busy route' });
  expect(answer.ok ? null : answer.error).toMatchObject({ code: 'CONFLICT', details: { busy: true } });
  other.exec('ROLLBACK');
  // Once the long work lets go, the same save goes through.
  expect(t.call('admin', 'energy.routes.create', { code: 'R99', name: 'Busy route' }).ok).toBe(true);
});
