import { AppError, conflict, notFound, ruleViolation } from '../../../src-shared/errors';
import * as K from '../../../src-shared/contracts/kernel';
import { FUNCTIONS, VERBS } from '../../../src-shared/permissions';
import { sqlAll, sqlGet, sqlRun, type SqliteDb } from '../db/store';
import type { RolesTable, UsersTable } from '../db/schema';
import type { Registry } from '../rpc/registry';
import { hashPassword } from './passwords';
import { endSessionsOf } from './sessions';
import { findUser, insertUser, toUser } from './service';

function listUsers(db: SqliteDb, search: string | undefined, includeInactive: boolean) {
  const like = `%${search ?? ''}%`;
  return sqlAll<UsersTable & { role_key: string; role_name: string }>(
    db,
    `SELECT u.*, r.key AS role_key, r.name AS role_name FROM users u JOIN roles r ON r.id = u.role_id
     WHERE (u.username LIKE ? OR u.display_name LIKE ?) ${includeInactive ? '' : 'AND u.active = 1'}
     ORDER BY u.active DESC, u.display_name`,
    like,
    like,
  ).map(toUser);
}

function toRole(db: SqliteDb, row: RolesTable): K.Role {
  const permissions = sqlAll<{ permission: string }>(db, 'SELECT permission FROM role_permissions WHERE role_id = ? ORDER BY permission', row.id);
  const users = sqlGet<{ n: number }>(db, 'SELECT count(*) AS n FROM users WHERE role_id = ? AND active = 1', row.id)!;
  return { id: row.id, key: row.key, name: row.name, description: row.description, permissions: permissions.map((p) => p.permission), userCount: users.n, version: row.version };
}

const activeAdministrators = (db: SqliteDb): number =>
  sqlGet<{ n: number }>(
    db,
    `SELECT count(*) AS n FROM users u JOIN role_permissions p ON p.role_id = u.role_id
     WHERE u.active = 1 AND p.permission = 'admin.users:admin'`,
  )!.n;

export function registerUserAdmin(registry: Registry): void {
  registry
    .add(K.usersList, (ctx, input) => listUsers(ctx.db, input.search, input.includeInactive))
    .add(K.usersCreate, (ctx, input) => insertUser(ctx, input))
    .add(K.usersUpdate, (ctx, input) => {
      const row = findUser(ctx.db, input.id);
      if (!row) throw notFound('User', input.id);
      if (row.version !== input.version) throw conflict('Someone changed this user meanwhile; reload and try again');
      const before = toUser(row);
      let roleId = row.role_id;
      if (input.roleKey !== undefined) {
        const role = sqlGet<{ id: string }>(ctx.db, 'SELECT id FROM roles WHERE key = ?', input.roleKey);
        if (!role) throw new AppError('VALIDATION', `Unknown role ${input.roleKey}`, { issues: [{ path: 'roleKey', message: 'Pick a role' }] });
        roleId = role.id;
      }
      const active = input.active ?? before.active;
      if (!active && input.id === ctx.user().userId) throw ruleViolation('user.selfDeactivation', 'You cannot deactivate yourself');
      sqlRun(
        ctx.db,
        `UPDATE users SET display_name = ?, role_id = ?, active = ?, locked_until = ?, failed_attempts = ?, version = version + 1, updated_at = ? WHERE id = ?`,
        input.displayName ?? row.display_name,
        roleId,
        active ? 1 : 0,
        input.unlock ? null : row.locked_until,
        input.unlock ? 0 : row.failed_attempts,
        ctx.nowIso,
        row.id,
      );
      // Never leave the branch without someone who can manage users.
      if (activeAdministrators(ctx.db) === 0) throw ruleViolation('user.lastAdministrator', 'At least one active user must keep user administration rights');
      if (!active) endSessionsOf(ctx.db, row.id, ctx.nowIso);
      const after = toUser(findUser(ctx.db, row.id)!);
      const action = before.active && !after.active ? 'deactivated' : !before.active && after.active ? 'activated' : input.unlock ? 'unlocked' : 'updated';
      ctx.audit({ entity: 'user', entityId: row.id, action, before, after });
      return after;
    })
    .add(K.usersResetPassword, (ctx, input) => {
      const row = findUser(ctx.db, input.id);
      if (!row) throw notFound('User', input.id);
      sqlRun(ctx.db, 'UPDATE users SET password_hash = ?, demo_credential = 0, failed_attempts = 0, locked_until = NULL, version = version + 1, updated_at = ? WHERE id = ?', hashPassword(input.password), ctx.nowIso, row.id);
      endSessionsOf(ctx.db, row.id, ctx.nowIso);
      ctx.audit({ entity: 'user', entityId: row.id, action: 'password reset' });
      return { ok: true as const };
    })
    .add(K.rolesList, (ctx) => ({
      roles: sqlAll<RolesTable>(ctx.db, 'SELECT * FROM roles ORDER BY name').map((r) => toRole(ctx.db, r)),
      functions: FUNCTIONS.map((f) => ({ key: f.key, module: f.module, label: f.label })),
      verbs: [...VERBS],
    }))
    .add(K.rolesUpdatePermissions, (ctx, input) => {
      const row = sqlGet<RolesTable>(ctx.db, 'SELECT * FROM roles WHERE id = ?', input.id);
      if (!row) throw notFound('Role', input.id);
      if (row.version !== input.version) throw conflict('Someone changed this role meanwhile; reload and try again');
      const before = toRole(ctx.db, row);
      const next = [...new Set(input.permissions)].sort();
      sqlRun(ctx.db, 'DELETE FROM role_permissions WHERE role_id = ?', row.id);
      const insert = ctx.db.prepare('INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)');
      for (const p of next) insert.run(row.id, p);
      sqlRun(ctx.db, 'UPDATE roles SET version = version + 1 WHERE id = ?', row.id);
      if (activeAdministrators(ctx.db) === 0) throw ruleViolation('role.lastAdministrator', 'At least one active user must keep user administration rights');
      const after = toRole(ctx.db, sqlGet<RolesTable>(ctx.db, 'SELECT * FROM roles WHERE id = ?', row.id)!);
      ctx.audit({
        entity: 'role',
        entityId: row.id,
        action: 'permissions changed',
        before: { permissions: before.permissions },
        after: {
          permissions: after.permissions,
          granted: after.permissions.filter((p) => !before.permissions.includes(p)),
          revoked: before.permissions.filter((p) => !after.permissions.includes(p)),
        },
      });
      return after;
    });
}
