import { permissionKey } from '../../../src-shared/permissions';
import type { ProcedureContract } from '../../../src-shared/rpc';
import { loadPrincipal } from '../auth/sessions';
import { sqlAll, sqlGet, type SqliteDb } from '../db/store';
import type { Principal } from '../rpc/context';
import type { Settings } from '../settings/settings';
import type { RoutineDefinition } from './definitions';
import type { RunMarks } from './schedule';

export interface RoutineStateRow extends RunMarks {
  name: string;
  branch_id: string;
  message: string | null;
  run_as: string | null;
  job_id: string | null;
  requested_by: string | null;
  requested_at: string | null;
  run_owner: string | null;
  run_lease_until: string | null;
  updated_at: string;
}

export const readRoutineState = (db: SqliteDb, name: string): RoutineStateRow | undefined =>
  sqlGet<RoutineStateRow>(db, 'SELECT * FROM routine_state WHERE name = ?', name);

export const readRoutineStates = (db: SqliteDb): Map<string, RoutineStateRow> =>
  new Map(sqlAll<RoutineStateRow>(db, 'SELECT * FROM routine_state').map((r) => [r.name, r]));

export const isEnabled = (def: RoutineDefinition, settings: Settings): boolean =>
  typeof def.enabled === 'boolean' ? def.enabled : settings.get(def.enabled);

/** The permission a user needs to run the procedure; null when any signed-in user (or anyone) may. */
export function requiredPermission(contract: ProcedureContract): string | null {
  return contract.access.kind === 'permission' ? permissionKey(contract.access.fn, contract.access.verb) : null;
}

/**
 * Who a scheduled run runs as. A routine is a user's work done on a timer, not a system superuser:
 * it runs as the earliest-created active user whose role holds the procedure's permission (on a
 * new branch, the administrator who set it up). So the pipeline authorizes it like any call, the
 * journal names a real, accountable actor, jobs it starts belong to that user, and taking the
 * permission away from every role (or deactivating those users) stops the routine: it is then
 * recorded as skipped with the reason, never run under an identity nobody holds. "Run now" runs
 * as the administrator who asked instead.
 */
export function routinePrincipal(db: SqliteDb, permission: string | null): Principal | null {
  const row = permission
    ? sqlGet<{ id: string }>(
        db,
        `SELECT u.id FROM users u JOIN role_permissions rp ON rp.role_id = u.role_id
         WHERE u.active = 1 AND rp.permission = ? ORDER BY u.created_at, u.rowid LIMIT 1`,
        permission,
      )
    : sqlGet<{ id: string }>(db, 'SELECT id FROM users WHERE active = 1 ORDER BY created_at, rowid LIMIT 1');
  return row ? loadPrincipal(db, row.id, null) : null;
}
