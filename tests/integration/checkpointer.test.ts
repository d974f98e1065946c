import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { openStore, STORE_FILE, type SqliteDb } from '../../src-main/core/db/store';
import { startCheckpointer } from '../../src-main/core/db/checkpointer';
import { tempDir } from '../support/app';

/**
 * What a copy of the database file alone holds: the pages checkpointed out of the WAL so far. A
 * copy taken while a checkpoint is writing can be torn; that counts as "not yet" (-1).
 */
function rowsInDatabaseFile(dir: string): number {
  const copy = path.join(tempDir('plug1-ckpt-copy-'), STORE_FILE);
  fs.copyFileSync(path.join(dir, STORE_FILE), copy);
  try {
    const db = new Database(copy, { readonly: true });
    try {
      const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'readings_probe'`).get();
      return table ? (db.prepare('SELECT count(*) AS n FROM readings_probe').get() as { n: number }).n : 0;
    } finally {
      db.close();
    }
  } catch {
    return -1;
  }
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

describe('the background WAL checkpointer', () => {
  let db: SqliteDb | null = null;
  afterEach(() => {
    db?.close();
    db = null;
  });

  it('copies committed pages into the database file on its own thread, so writers do not', async () => {
    const dir = tempDir();
    db = openStore(dir);
    db.exec('CREATE TABLE readings_probe (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)');
    const insert = db.prepare('INSERT INTO readings_probe (value) VALUES (?)');
    for (let i = 0; i < 300; i += 1) insert.run(i);
    // Far below the writers' backstop: without the thread, every row is still only in the WAL.
    expect(rowsInDatabaseFile(dir)).toBe(0);

    const errors: unknown[] = [];
    const checkpoints = startCheckpointer(db, { info: () => {}, error: (...args) => errors.push(args) }, 20);
    await checkpoints.ready;
    expect(await until(() => rowsInDatabaseFile(dir) === 300)).toBe(true);

    // Writes go on while it runs, and are checkpointed too.
    for (let i = 0; i < 200; i += 1) insert.run(i);
    expect(await until(() => rowsInDatabaseFile(dir) === 500)).toBe(true);

    const { passes } = await checkpoints.stop();
    expect(passes).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    // The store is the app's, not the thread's: it stays open and writable after the stop.
    insert.run(1);
    expect((db.prepare('SELECT count(*) AS n FROM readings_probe').get() as { n: number }).n).toBe(501);
  });
});
