import { AppError, conflict } from '../../../src-shared/errors';
import * as K from '../../../src-shared/contracts/kernel';
import { sqlAll, sqlGet, sqlRun } from '../db/store';
import type { Registry } from '../rpc/registry';
import { findSetting, settingDefinitions } from './settings';
import { markBranchChanged, readBranch } from '../rpc/kernel';
import type { BranchInfo } from '../rpc/context';

const profileOf = (b: BranchInfo): K.BranchProfile => ({ id: b.id, name: b.name, timeZone: b.timeZone, weekStart: b.weekStart });

export function registerSettings(registry: Registry): void {
  registry
    .add(K.settingsList, (ctx) => {
      const stored = new Map(
        sqlAll<{ key: string; value_json: string; version: number }>(ctx.db, 'SELECT key, value_json, version FROM settings').map((r) => [r.key, r]),
      );
      return settingDefinitions().map((def) => {
        const row = stored.get(def.key);
        return { key: def.key, value: ctx.settings.get(def), description: def.description, version: row?.version ?? 0 };
      });
    })
    .add(K.branchGet, (ctx) => profileOf(readBranch(ctx.db)))
    .add(K.branchUpdate, (ctx, input) => {
      const before = readBranch(ctx.db);
      if (before.id === 'unset') throw new AppError('NOT_FOUND', 'The branch has not been set up yet');
      const after = { ...profileOf(before), name: input.name, timeZone: input.timeZone, weekStart: input.weekStart };
      const changed = after.name !== before.name || after.timeZone !== before.timeZone || after.weekStart !== before.weekStart;
      if (!changed) throw new AppError('VALIDATION', 'Nothing to change: the branch already has this name, time zone and week start', { issues: [{ path: 'name', message: 'Unchanged' }] });
      sqlRun(ctx.db, 'UPDATE branch SET name = ?, time_zone = ?, week_start = ? WHERE id = ?', after.name, after.timeZone, after.weekStart, before.id);
      ctx.audit({ entity: 'branch', entityId: before.id, action: 'updated', before: profileOf(before), after, reason: input.reason });
      markBranchChanged(ctx.db);
      return after;
    })
    .add(K.settingsUpdate, (ctx, input) => {
      const def = findSetting(input.key);
      if (!def) throw new AppError('NOT_FOUND', `There is no setting ${input.key}`);
      const parsed = def.schema.safeParse(input.value);
      if (!parsed.success) {
        throw new AppError('VALIDATION', `value: ${parsed.error.issues[0]?.message ?? 'not allowed'}`, {
          issues: parsed.error.issues.map((i) => ({ path: ['value', ...i.path.map(String)].join('.'), message: i.message })),
        });
      }
      const row = sqlGet<{ value_json: string; version: number }>(ctx.db, 'SELECT value_json, version FROM settings WHERE key = ?', def.key);
      if ((row?.version ?? 0) !== input.version) throw conflict('Someone changed this setting meanwhile; reload and try again');
      const before = ctx.settings.get(def);
      if (row) {
        sqlRun(ctx.db, 'UPDATE settings SET value_json = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE key = ?', JSON.stringify(parsed.data), ctx.nowIso, ctx.user().userId, def.key);
      } else {
        sqlRun(ctx.db, 'INSERT INTO settings (key, value_json, version, updated_at, updated_by) VALUES (?, ?, 1, ?, ?)', def.key, JSON.stringify(parsed.data), ctx.nowIso, ctx.user().userId);
      }
      ctx.audit({ entity: 'setting', entityId: def.key, action: 'changed', before: { value: before }, after: { value: parsed.data } });
      return { key: def.key, value: parsed.data, description: def.description, version: (row?.version ?? 0) + 1 };
    });
}
