import { z } from 'zod';
import { AppError, ruleViolation } from '../../src-shared/errors';
import { ALL_PERMISSION_KEYS } from '../../src-shared/permissions';
import { sqlAll, sqlGet, sqlRun, type SqliteDb } from '../core/db/store';
import type { RolesTable, UsersTable } from '../core/db/schema';
import { endSessionsOf } from '../core/auth/sessions';
import type { AuditInput } from '../core/audit/journal';
import type { Ctx } from '../core/rpc/context';
import { findSetting } from '../core/settings/settings';
import { newId } from '../core/util/ids';
import { defineMasterDataType } from './master-data-types';

/**
 * The kernel's master data HQ can own: settings (thresholds, approval limits), roles and users.
 * Modules add theirs (tariffs, plans, packages, catalogues, targets) the same way.
 */

/* ---------------- settings ---------------- */

export const settingMasterData = defineMasterDataType({
  entity: 'setting',
  label: 'setting',
  data: z.object({ value: z.unknown() }),
  ownership: 'record',
  upsert(ctx, key, data) {
    const def = findSetting(key);
    if (!def) throw new AppError('VALIDATION', `HQ sent the setting ${key}, which this version of the app does not have`);
    const parsed = def.schema.safeParse(data.value);
    if (!parsed.success) throw new AppError('VALIDATION', `HQ's value for ${key} does not fit here: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const before = ctx.settings.get(def);
    sqlRun(
      ctx.db,
      `INSERT INTO settings (key, value_json, version, updated_at, updated_by) VALUES (?, ?, 1, ?, NULL)
       ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, version = version + 1, updated_at = excluded.updated_at, updated_by = NULL`,
      key,
      JSON.stringify(parsed.data),
      ctx.nowIso,
    );
    ctx.audit({ entity: 'setting', entityId: key, action: 'set by HQ', before: { value: before }, after: { value: parsed.data } });
    return key;
  },
  remove(ctx, key) {
    const def = findSetting(key);
    const before = def ? ctx.settings.get(def) : null;
    sqlRun(ctx.db, 'DELETE FROM settings WHERE key = ?', key);
    ctx.audit({ entity: 'setting', entityId: key, action: 'reset to default by HQ', before: { value: before }, after: { value: def?.defaultValue ?? null } });
  },
});

/** A user HQ created without a password yet: no password verifies against this. */
const NO_PASSWORD = '!hq-user-without-password';

/* ---------------- HQ as the author of what it publishes ---------------- */

/** The branch user that stands for HQ where a record names who made it (a tariff's `created_by`). */
export const HQ_ACTOR_ID = 'hq-master-data';
const HQ_ACTOR_USERNAME = 'hq-master-data';

/**
 * Answers the id of HQ's stand-in user, creating it the first time HQ publishes a record that
 * needs an author. It cannot sign in (inactive, no password) and is itself HQ-owned, so nobody
 * at the branch can turn it into an account that acts "as HQ". Only the sync engine calls this.
 */
export function hqActorId(ctx: Ctx): string {
  if (sqlGet(ctx.db, 'SELECT 1 FROM users WHERE id = ?', HQ_ACTOR_ID)) return HQ_ACTOR_ID;
  if (sqlGet(ctx.db, 'SELECT 1 FROM users WHERE username = ?', HQ_ACTOR_USERNAME)) {
    throw new AppError('VALIDATION', `A branch user is named ${HQ_ACTOR_USERNAME}, the name this app gives HQ; rename that user`);
  }
  // Any role will do for an account that cannot sign in; the narrowest one, should it ever matter.
  const role = sqlGet<{ id: string; key: string }>(
    ctx.db,
    'SELECT r.id, r.key FROM roles r ORDER BY (SELECT count(*) FROM role_permissions p WHERE p.role_id = r.id), r.created_at, r.id LIMIT 1',
  );
  if (!role) throw new AppError('VALIDATION', 'This branch has no roles yet');
  sqlRun(
    ctx.db,
    `INSERT INTO users (id, branch_id, username, display_name, role_id, password_hash, active, created_at, updated_at)
     VALUES (?, ?, ?, 'HQ', ?, ?, 0, ?, ?)`,
    HQ_ACTOR_ID,
    ctx.branch.id,
    HQ_ACTOR_USERNAME,
    role.id,
    NO_PASSWORD,
    ctx.nowIso,
    ctx.nowIso,
  );
  sqlRun(
    ctx.db,
    `INSERT INTO hq_owned (entity, entity_id, branch_id, hq_id, master_version, since) VALUES ('user', ?, ?, ?, 0, ?) ON CONFLICT DO NOTHING`,
    HQ_ACTOR_ID,
    ctx.branch.id,
    HQ_ACTOR_ID,
    ctx.nowIso,
  );
  ctx.audit({
    entity: 'user',
    entityId: HQ_ACTOR_ID,
    action: 'created for HQ master data',
    after: { username: HQ_ACTOR_USERNAME, displayName: 'HQ', roleKey: role.key, active: false },
    reason: 'Records HQ publishes name HQ as their author',
  });
  return HQ_ACTOR_ID;
}

/* ---------------- roles and users ---------------- */

const activeAdministrators = (db: SqliteDb): number =>
  sqlGet<{ n: number }>(
    db,
    `SELECT count(*) AS n FROM users u JOIN role_permissions p ON p.role_id = u.role_id
     WHERE u.active = 1 AND p.permission = 'admin.users:admin'`,
  )!.n;

/** HQ may own users and roles, but must not leave a branch where nobody can manage users. */
function keepAnAdministrator(db: SqliteDb): void {
  if (activeAdministrators(db) === 0) {
    throw ruleViolation('masterData.lastAdministrator', 'Applying this would leave the branch without anyone who can manage users');
  }
}

const KNOWN_PERMISSIONS: ReadonlySet<string> = new Set(ALL_PERMISSION_KEYS);

const permissionsOf = (db: SqliteDb, roleId: string): string[] =>
  sqlAll<{ permission: string }>(db, 'SELECT permission FROM role_permissions WHERE role_id = ? ORDER BY permission', roleId).map((p) => p.permission);

export const roleMasterData = defineMasterDataType({
  entity: 'role',
  label: 'role',
  data: z.object({
    name: z.string().trim().min(2).max(80),
    description: z.string().max(300).default(''),
    permissions: z.array(z.string()).max(1000),
  }),
  ownership: 'record',
  // HQ names roles by key; an existing role with that key (the branch's default roles) is adopted.
  upsert(ctx, key, data, localId) {
    // Permissions of functions this version does not have yet are left out rather than refused.
    const permissions = [...new Set(data.permissions.filter((p) => KNOWN_PERMISSIONS.has(p)))].sort();
    const row =
      (localId ? sqlGet<RolesTable>(ctx.db, 'SELECT * FROM roles WHERE id = ?', localId) : undefined) ??
      sqlGet<RolesTable>(ctx.db, 'SELECT * FROM roles WHERE key = ?', key);
    const id = row?.id ?? newId();
    const before = row ? { key: row.key, name: row.name, description: row.description, permissions: permissionsOf(ctx.db, row.id) } : null;
    if (row) {
      sqlRun(ctx.db, 'UPDATE roles SET key = ?, name = ?, description = ?, version = version + 1 WHERE id = ?', key, data.name, data.description, id);
      sqlRun(ctx.db, 'DELETE FROM role_permissions WHERE role_id = ?', id);
    } else {
      sqlRun(ctx.db, 'INSERT INTO roles (id, branch_id, key, name, description, created_at) VALUES (?, ?, ?, ?, ?, ?)', id, ctx.branch.id, key, data.name, data.description, ctx.nowIso);
    }
    const insert = ctx.db.prepare('INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)');
    for (const p of permissions) insert.run(id, p);
    keepAnAdministrator(ctx.db);
    ctx.audit({
      entity: 'role',
      entityId: id,
      action: row ? 'updated by HQ' : 'created by HQ',
      before,
      after: {
        key,
        name: data.name,
        description: data.description,
        permissions,
        granted: permissions.filter((p) => !before?.permissions.includes(p)),
        revoked: (before?.permissions ?? []).filter((p) => !permissions.includes(p)),
      },
    });
    return id;
  },
});

/** A password hash HQ computed (the branch's own scrypt format, parameters inside the string). */
const passwordHash = z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, 'Not a password hash this app can verify');

const userImage = (row: UsersTable, roleKey: string) => ({
  username: row.username,
  displayName: row.display_name,
  roleKey,
  active: row.active === 1,
  lockedUntil: row.locked_until,
});

const roleKeyOf = (db: SqliteDb, roleId: string): string => sqlGet<{ key: string }>(db, 'SELECT key FROM roles WHERE id = ?', roleId)?.key ?? '';

/** Sign-in bookkeeping on an HQ user is operation, not an edit of HQ's data. */
function operationalOnUser(event: AuditInput): boolean {
  if (['sign-in failed', 'locked', 'password changed'].includes(event.action)) return true;
  if (event.action !== 'unlocked') return false;
  // "unlocked" is allowed only when nothing but the lock changed (the same call could rename).
  const strip = (image: unknown) => {
    if (typeof image !== 'object' || image === null) return image;
    const { lockedUntil: _l, version: _v, ...rest } = image as Record<string, unknown>;
    return JSON.stringify(rest);
  };
  return strip(event.before) === strip(event.after);
}

export const userMasterData = defineMasterDataType({
  entity: 'user',
  label: 'user',
  data: z.object({
    username: z.string().trim().min(2).max(40).regex(/^[a-z0-9._-]+$/i),
    displayName: z.string().trim().min(2).max(80),
    roleKey: z.string().min(1).max(40),
    active: z.boolean().default(true),
    /** Set when HQ sets or resets the password; omitted leaves the password as it is. */
    passwordHash: passwordHash.optional(),
  }),
  ownership: 'record',
  operational: operationalOnUser,
  upsert(ctx: Ctx, hqId, data, localId) {
    const role = sqlGet<{ id: string }>(ctx.db, 'SELECT id FROM roles WHERE key = ?', data.roleKey);
    if (!role) throw new AppError('VALIDATION', `HQ gave ${data.username} the role ${data.roleKey}, which this branch does not have (publish the role first)`);
    // An existing local user of the same name is adopted: HQ takes over the person, not a copy.
    const row =
      (localId ? sqlGet<UsersTable>(ctx.db, 'SELECT * FROM users WHERE id = ?', localId) : undefined) ??
      sqlGet<UsersTable>(ctx.db, 'SELECT * FROM users WHERE username = ?', data.username);
    if (row) {
      const before = userImage(row, roleKeyOf(ctx.db, row.role_id));
      sqlRun(
        ctx.db,
        `UPDATE users SET username = ?, display_name = ?, role_id = ?, active = ?,
           password_hash = COALESCE(?, password_hash), demo_credential = CASE WHEN ? IS NULL THEN demo_credential ELSE 0 END,
           version = version + 1, updated_at = ? WHERE id = ?`,
        data.username,
        data.displayName,
        role.id,
        data.active ? 1 : 0,
        data.passwordHash ?? null,
        data.passwordHash ?? null,
        ctx.nowIso,
        row.id,
      );
      if (!data.active || data.passwordHash) endSessionsOf(ctx.db, row.id, ctx.nowIso);
      keepAnAdministrator(ctx.db);
      const after = userImage(sqlGet<UsersTable>(ctx.db, 'SELECT * FROM users WHERE id = ?', row.id)!, data.roleKey);
      const action = before.active && !after.active ? 'deactivated by HQ' : 'updated by HQ';
      ctx.audit({ entity: 'user', entityId: row.id, action, before, after: { ...after, passwordChanged: data.passwordHash !== undefined } });
      return row.id;
    }
    const id = sqlGet(ctx.db, 'SELECT 1 FROM users WHERE id = ?', hqId) ? newId() : hqId;
    sqlRun(
      ctx.db,
      `INSERT INTO users (id, branch_id, username, display_name, role_id, password_hash, active, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      id,
      ctx.branch.id,
      data.username,
      data.displayName,
      role.id,
      data.passwordHash ?? NO_PASSWORD,
      data.active ? 1 : 0,
      ctx.nowIso,
      ctx.nowIso,
    );
    const created = sqlGet<UsersTable>(ctx.db, 'SELECT * FROM users WHERE id = ?', id)!;
    ctx.audit({ entity: 'user', entityId: id, action: 'created by HQ', after: { ...userImage(created, data.roleKey), passwordChanged: data.passwordHash !== undefined } });
    return id;
  },
  remove(ctx, _hqId, localId) {
    const row = sqlGet<UsersTable>(ctx.db, 'SELECT * FROM users WHERE id = ?', localId);
    if (!row) return;
    const before = userImage(row, roleKeyOf(ctx.db, row.role_id));
    sqlRun(ctx.db, 'UPDATE users SET active = 0, version = version + 1, updated_at = ? WHERE id = ?', ctx.nowIso, localId);
    endSessionsOf(ctx.db, localId, ctx.nowIso);
    keepAnAdministrator(ctx.db);
    ctx.audit({ entity: 'user', entityId: localId, action: 'deactivated by HQ', before, after: { ...before, active: false } });
  },
});
