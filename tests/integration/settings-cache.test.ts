import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { STORE_FILE } from '../../src-main/core/db/store';
import { createApp } from '../../src-main/app';
import { dispatch } from '../../src-main/core/rpc/pipeline';
import { highFactor } from '../../src-main/modules/energy/meter-readings/settings';
import { reminderHours } from '../../src-main/modules/home-services/scheduling/settings';
import { openTestApp, type TestApp } from '../support/app';

/**
 * Each connection keeps the settings it read until a setting changes. These tests hold the cache
 * to what an administrator relies on: a changed threshold counts from the very next call, whichever
 * process changed it, and a change that was rolled back never counts.
 */
let t: TestApp;
afterEach(async () => {
  await t?.close();
});

const versionOf = (key: string) => t.ok<{ key: string; version: number }[]>('admin', 'admin.settings.list', {}).find((s) => s.key === key)!.version;
const setHighFactor = (value: number) => t.ok('admin', 'admin.settings.update', { key: highFactor.key, value, version: versionOf(highFactor.key) });

describe('settings a connection has read', () => {
  it('follow a change made through the settings screen and one made by another process', async () => {
    t = openTestApp({ timeZone: 'UTC' });
    const high = () => t.kernel.settings.get(highFactor);
    expect(high()).toBe(2);
    setHighFactor(1.7);
    expect(high()).toBe(1.7);

    // Another process on the same store (sync applying HQ's settings) changes it through its pipeline.
    const token = t.login('admin');
    const other = createApp({ dataDir: t.dataDir, supervisesJobs: false, log: { info: () => {}, error: () => {} } });
    try {
      const answer = dispatch(other.kernel, 'admin.settings.update', { key: highFactor.key, value: 1.5, version: versionOf(highFactor.key) }, { token });
      expect(answer.ok).toBe(true);
    } finally {
      await other.close();
    }
    expect(high()).toBe(1.5);
  });

  it('never keep a change that was rolled back, even once another change is committed after it', () => {
    t = openTestApp({ timeZone: 'UTC' });
    const high = () => t.kernel.settings.get(highFactor);
    setHighFactor(1.5);
    const db = t.kernel.db;
    // A change the transaction sees, then undoes: the cache is filled with it inside.
    const changeThenUndo = () =>
      expect(() =>
        db.transaction(() => {
          db.prepare('UPDATE settings SET value_json = ? WHERE key = ?').run('3', highFactor.key);
          expect(high()).toBe(3);
          throw new Error('undo');
        })(),
      ).toThrow('undo');
    changeThenUndo();
    expect(high()).toBe(1.5);
    // The next change, committed by another connection and read first after the undo, must not be
    // mistaken for the undone one.
    changeThenUndo();
    const other = new Database(path.join(t.dataDir, STORE_FILE));
    try {
      other.prepare('UPDATE settings SET value_json = ? WHERE key = ?').run('4', highFactor.key);
    } finally {
      other.close();
    }
    expect(high()).toBe(4);
  });

  it('hand out a copy, so a caller that changes its list does not change the setting', () => {
    t = openTestApp({ timeZone: 'UTC' });
    const hours = t.kernel.settings.get(reminderHours);
    expect(hours).toEqual([24, 2]);
    hours.push(1);
    hours.sort((a, b) => a - b);
    expect(t.kernel.settings.get(reminderHours)).toEqual([24, 2]);
    expect(t.kernel.settings.getGroup({ hours: reminderHours }).hours).toEqual([24, 2]);
  });
});
