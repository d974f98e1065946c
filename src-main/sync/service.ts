import { AppError, conflict, notFound, ruleViolation } from '../../src-shared/errors';
import * as C from '../../src-shared/contracts/sync';
import { sqlGet, sqlRun } from '../core/db/store';
import type { JobRunners } from '../core/jobs/types';
import type { Registry } from '../core/rpc/registry';
import type { Ctx } from '../core/rpc/context';
import { applyMasterBatch } from './apply';
import { runSync } from './engine';
import { findSyncException, listSyncExceptions } from './exceptions';
import { ownedRecords } from './ownership';
import { schedulerFor } from './scheduler';
import { ensureSyncState, readSyncState, syncStatus } from './state';
import './kernel-master-data';

export const SYNC_JOB = 'sync.run';

/** After the call commits, let this process's scheduler (if it runs one) look again at once. */
const wakeScheduler = (ctx: Ctx) => setImmediate(() => schedulerFor(ctx.db)?.wake());

export function registerSync(registry: Registry, jobs: JobRunners): void {
  jobs.set(SYNC_JOB, async (job) => {
    const result = await runSync(job.kernel, { trigger: 'manual', onProgress: (fraction, message) => job.progress(fraction, message) });
    // Stopped at an exception (or not run at all) is no success to whoever clicked "Sync now".
    if (result.outcome !== 'succeeded') throw new Error(result.message);
    job.progress(1, result.message);
    return result;
  });

  registry
    .add(C.syncStatus, (ctx) => syncStatus(ctx.db, ctx.settings, ctx.branch.id, ctx.now))
    .add(C.syncExceptions, (ctx, input) => listSyncExceptions(ctx.db, input.status, input.limit, input.cursor))
    .add(C.syncOwnership, (ctx, input) => ownedRecords(ctx.db, input.entity))
    .add(C.syncNow, (ctx) => {
      const state = readSyncState(ctx.db, ctx.branch.id, ctx.nowIso);
      if (!state.hq_url || !state.token) throw ruleViolation('sync.notConnected', 'Connect to HQ first: enter its address and this branch’s token');
      if (state.enabled !== 1) throw ruleViolation('sync.disabled', 'Sync is turned off; turn it on first');
      // A second click while a sync job is still going joins it instead of queueing another.
      const going = sqlGet<{ id: string }>(ctx.db, "SELECT id FROM jobs WHERE kind = ? AND state IN ('queued', 'running') ORDER BY created_at DESC LIMIT 1", SYNC_JOB);
      const jobId = going?.id ?? ctx.jobs.start(SYNC_JOB, 'Sync to HQ', {});
      ctx.audit({ entity: 'sync', entityId: ctx.branch.id, action: 'sync requested', after: { jobId } });
      return { jobId };
    })
    .add(C.syncConfigure, (ctx, input) => {
      const state = ensureSyncState(ctx.db, ctx.branch.id, ctx.nowIso);
      if (state.version !== input.version) throw conflict('Someone changed the sync settings meanwhile; reload and try again');
      const token = input.token ?? state.token;
      if (input.enabled && (!input.hqUrl || !token)) {
        throw ruleViolation('sync.incomplete', 'Sync needs both the HQ address and this branch’s token before it can be turned on', {
          issues: [{ path: input.hqUrl ? 'token' : 'hqUrl', message: 'Required to turn sync on' }],
        });
      }
      const hqChanged = (input.hqUrl ?? null) !== state.hq_url;
      sqlRun(
        ctx.db,
        `UPDATE sync_state SET hq_url = ?, token = ?, enabled = ?, version = version + 1, next_attempt_at = NULL, consecutive_failures = 0,
           master_cursor = CASE WHEN ? THEN 0 ELSE master_cursor END, updated_at = ? WHERE id = 1`,
        input.hqUrl,
        token,
        input.enabled ? 1 : 0,
        // Another HQ numbers its master data afresh: start its download from the beginning.
        hqChanged && state.hq_url !== null ? 1 : 0,
        ctx.nowIso,
      );
      ctx.audit({
        entity: 'syncConfig',
        entityId: ctx.branch.id,
        action: 'configured',
        // Never the token itself: the journal travels to HQ and is read by auditors.
        before: { hqUrl: state.hq_url, enabled: state.enabled === 1, hasToken: state.token !== null },
        after: { hqUrl: input.hqUrl, enabled: input.enabled, hasToken: token !== null, tokenChanged: input.token !== undefined && input.token !== state.token },
      });
      wakeScheduler(ctx);
      return syncStatus(ctx.db, ctx.settings, ctx.branch.id, ctx.now);
    })
    .add(C.syncResolveException, (ctx, input) => {
      const before = findSyncException(ctx.db, input.id);
      if (!before) throw notFound('Sync exception', input.id);
      if (before.version !== input.version) throw conflict('This exception changed meanwhile (it may have recurred); reload and try again');
      if (before.status !== 'open') throw ruleViolation('syncException.notOpen', 'This exception is already resolved');
      let skipped: number | null = null;
      if (input.skipChange) {
        const change = C.masterChangeSchema.safeParse(before.details);
        if (before.kind !== 'masterData.unapplied' || !change.success) {
          throw new AppError('VALIDATION', 'Only master data that could not be applied can be skipped', { issues: [{ path: 'skipChange', message: 'Not for this exception' }] });
        }
        skipped = change.data.version;
        sqlRun(ctx.db, 'UPDATE sync_state SET master_cursor = max(master_cursor, ?), updated_at = ? WHERE id = 1', skipped, ctx.nowIso);
      }
      sqlRun(
        ctx.db,
        `UPDATE sync_exceptions SET status = 'resolved', resolved_by = ?, resolved_at = ?, resolution_note = ?, version = version + 1 WHERE id = ?`,
        ctx.user().userId,
        ctx.nowIso,
        input.note,
        input.id,
      );
      const after = findSyncException(ctx.db, input.id)!;
      ctx.audit({
        entity: 'syncException',
        entityId: input.id,
        action: skipped === null ? 'resolved' : 'resolved, master-data change skipped',
        before: { status: before.status, kind: before.kind, message: before.message },
        after: { status: after.status, skippedMasterVersion: skipped },
        reason: input.note,
      });
      wakeScheduler(ctx);
      return after;
    })
    .add(C.syncApplyMasterData, (ctx, input) => applyMasterBatch(ctx, input));
}
