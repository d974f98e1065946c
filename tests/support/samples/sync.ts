import type { SyncException, SyncStatus } from '../../../src-shared/contracts/sync';
import { recordSyncException } from '../../../src-main/sync/exceptions';
import { applySeal } from '../../../src-main/sync/apply';
import type { Sample } from '../samples';
import type { TestApp } from '../app';

/**
 * One valid call per sync mutation. Nothing listens at HQ_ADDRESS: "Sync now" starts its job,
 * which fails fast and records the failure, as it would with HQ down.
 */
const HQ_ADDRESS = 'http://127.0.0.1:9';

const status = (t: TestApp) => t.ok<SyncStatus>('admin', 'sync.status', {});

function connected(t: TestApp): void {
  const s = status(t);
  if (s.hqUrl && s.hasToken && s.enabled) return;
  t.ok('admin', 'sync.configure', { hqUrl: HQ_ADDRESS, token: 'hqb_sample-token-0123456789', enabled: true, version: s.configVersion });
}

export const syncSamples: Record<string, Sample> = {
  'sync.configure': (t) => ({
    as: 'admin',
    input: { hqUrl: HQ_ADDRESS, token: 'hqb_sample-token-0123456789', enabled: true, version: status(t).configVersion },
  }),
  'sync.now': (t) => {
    connected(t);
    return { as: 'supervisor', input: {} };
  },
  'sync.resolveException': (t) => {
    recordSyncException(t.kernel.db, {
      branchId: t.kernel.branch().id,
      source: 'hq',
      kind: 'event.rejected',
      dedupeKey: `sample:${Date.now()}`,
      seq: 1,
      eventId: 'sample',
      message: 'HQ refused event 1: sample',
      at: new Date().toISOString(),
    });
    const open = t.ok<{ rows: SyncException[] }>('admin', 'sync.exceptions', {}).rows[0]!;
    return { as: 'admin', input: { id: open.id, version: open.version, note: 'Checked with HQ: resend' } };
  },
  // A setting no other sample changes: once HQ owns it, edits here are refused.
  'sync.applyMasterData': (t) => {
    const { masterCursor } = status(t);
    return {
      as: null,
      input: {
        seal: applySeal(),
        after: masterCursor,
        changes: [{ version: masterCursor + 1, entity: 'setting', entityId: 'sync.clockDriftWarningSeconds', op: 'upsert', data: { value: 300 } }],
      },
    };
  },
};
