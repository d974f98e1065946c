import { randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError, conflict } from '../../src-shared/errors';
import type { MasterChange } from '../../src-shared/contracts/sync';
import { sqlGet, sqlRun } from '../core/db/store';
import type { Ctx } from '../core/rpc/context';
import { masterDataType, type MasterDataType } from './master-data-types';
import { recordSyncException } from './exceptions';
import { ensureSyncState } from './state';

/**
 * Applies one downloaded batch of master data inside the pipeline's transaction: every change
 * with its audit event, the ownership it establishes, and the cursor, all or nothing. A change
 * this branch cannot apply (an unknown type from a newer HQ, data that does not fit) stops the
 * batch there: the changes before it stay applied, the cursor stops before it, and it waits in
 * the exceptions queue instead of being skipped — master data is never silently dropped.
 */
/** Known only inside this process; the engine hands it to the apply procedure with each batch. */
const SEAL = randomBytes(32).toString('hex');
export const applySeal = (): string => SEAL;

function checkSeal(seal: string): void {
  const given = Buffer.from(seal);
  const expected = Buffer.from(SEAL);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AppError('FORBIDDEN', 'Master data is applied only by the sync engine, as HQ sent it');
  }
}

export interface ApplyResult {
  applied: number;
  cursor: number;
  stoppedAt: number | null;
}

const isConstraintError = (err: unknown): boolean =>
  err instanceof Error && 'code' in err && String((err as { code: unknown }).code).startsWith('SQLITE_CONSTRAINT');

function applyOne(ctx: Ctx, type: MasterDataType, change: MasterChange): void {
  const owned = sqlGet<{ entity_id: string }>(ctx.db, 'SELECT entity_id FROM hq_owned WHERE entity = ? AND hq_id = ?', change.entity, change.entityId);
  if (change.op === 'release') {
    if (!owned) return;
    sqlRun(ctx.db, 'DELETE FROM hq_owned WHERE entity = ? AND hq_id = ?', change.entity, change.entityId);
    ctx.audit({ entity: change.entity, entityId: owned.entity_id, action: 'released by HQ', after: { masterVersion: change.version } });
    return;
  }
  let localId: string;
  if (change.op === 'delete') {
    if (!type.remove) throw new AppError('VALIDATION', `HQ cannot delete a ${type.label} at a branch; it can release it`);
    if (!owned) return;
    type.remove(ctx, change.entityId, owned.entity_id);
    localId = owned.entity_id;
  } else {
    const data = type.data.safeParse(change.data);
    if (!data.success) {
      const issue = data.error.issues[0];
      throw new AppError('VALIDATION', `HQ's ${type.label} ${change.entityId} does not fit here: ${issue ? `${issue.path.join('.') || 'data'}: ${issue.message}` : 'invalid'}`);
    }
    localId = type.upsert(ctx, change.entityId, data.data, owned?.entity_id ?? null);
  }
  sqlRun(
    ctx.db,
    `INSERT INTO hq_owned (entity, entity_id, branch_id, hq_id, master_version, since) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (entity, entity_id) DO UPDATE SET hq_id = excluded.hq_id, master_version = excluded.master_version`,
    change.entity,
    localId,
    ctx.branch.id,
    change.entityId,
    change.version,
    ctx.nowIso,
  );
  if (type.ownership === 'type') {
    sqlRun(
      ctx.db,
      `INSERT INTO hq_owned (entity, entity_id, branch_id, hq_id, master_version, since) VALUES (?, '*', ?, '*', ?, ?)
       ON CONFLICT (entity, entity_id) DO UPDATE SET master_version = excluded.master_version`,
      change.entity,
      ctx.branch.id,
      change.version,
      ctx.nowIso,
    );
  }
}

export function applyMasterBatch(ctx: Ctx, input: { seal: string; after: number; changes: readonly MasterChange[] }): ApplyResult {
  checkSeal(input.seal);
  const { after, changes } = input;
  const state = ensureSyncState(ctx.db, ctx.branch.id, ctx.nowIso);
  if (state.master_cursor !== after) {
    // Another run applied it first (the scheduler and a "Sync now" job racing): nothing to do.
    throw conflict(`Master data is already applied up to version ${state.master_cursor}, not ${after}`, { cursor: state.master_cursor });
  }
  const ordered = [...changes].sort((a, b) => a.version - b.version);
  let cursor = after;
  let applied = 0;
  for (const change of ordered) {
    if (change.version <= cursor) continue;
    const type = masterDataType(change.entity);
    try {
      if (!type) throw new AppError('VALIDATION', `HQ sent ${change.entity} master data, which this version of the app does not know: update the app`);
      // A savepoint per change: a change that fails leaves no trace but its exception.
      ctx.db.transaction(() => applyOne(ctx, type, change))();
    } catch (err) {
      if (!(err instanceof AppError) && !isConstraintError(err)) throw err;
      const message = err instanceof AppError ? err.message : `It conflicts with data at this branch (${(err as Error).message})`;
      recordSyncException(ctx.db, {
        branchId: ctx.branch.id,
        source: 'branch',
        kind: 'masterData.unapplied',
        dedupeKey: `master:${change.version}`,
        seq: null,
        eventId: null,
        message: `Master data version ${change.version} (${change.entity} ${change.entityId}) could not be applied: ${message}`,
        details: change,
        at: ctx.nowIso,
      });
      ctx.audit({
        entity: 'masterData',
        entityId: String(change.version),
        action: 'held back',
        after: { entity: change.entity, entityId: change.entityId, op: change.op },
        reason: message,
      });
      sqlRun(ctx.db, 'UPDATE sync_state SET master_cursor = ?, updated_at = ? WHERE id = 1', cursor, ctx.nowIso);
      return { applied, cursor, stoppedAt: change.version };
    }
    cursor = change.version;
    applied += 1;
  }
  sqlRun(ctx.db, 'UPDATE sync_state SET master_cursor = ?, updated_at = ? WHERE id = 1', cursor, ctx.nowIso);
  return { applied, cursor, stoppedAt: null };
}
