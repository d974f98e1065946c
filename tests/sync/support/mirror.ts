import { expect } from 'vitest';
import { sqlAll } from '../../../src-main/core/db/store';
import { eventDigest } from '../../../src-main/core/audit/journal';
import type { JournalRow } from '../../../src-shared/contracts/sync';
import type { TestApp } from '../../support/app';
import type { TestHq } from './hq';

/**
 * What "HQ holds every event exactly once" means: the same events as the branch journal, in the
 * same order, byte for byte, and a chain HQ can recompute on its own.
 */
export async function expectHqMirrorsBranch(hq: TestHq, t: TestApp): Promise<void> {
  const branchRows = sqlAll<JournalRow>(t.kernel.db, 'SELECT * FROM audit_events ORDER BY seq');
  const hqRows = await hq.events(t.kernel.branch().id);
  expect(hqRows.length).toBe(branchRows.length);
  expect(hqRows).toEqual(branchRows);
  let prev = '0'.repeat(64);
  for (const row of hqRows) {
    const { hash, ...body } = row;
    expect(row.prev_hash).toBe(prev);
    expect(eventDigest(body)).toBe(hash);
    prev = hash;
  }
}
