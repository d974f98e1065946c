import { AppError, ruleViolation } from '../../../src-shared/errors';
import * as K from '../../../src-shared/contracts/kernel';
import type { SessionUser, User } from '../../../src-shared/contracts/kernel';
import { sqlAll, sqlGet, sqlRun, type SqliteDb } from '../db/store';
import type { UsersTable } from '../db/schema';
import { newId } from '../util/ids';
import type { Ctx } from '../rpc/context';
import { readBranch } from '../rpc/kernel';
import type { Registry } from '../rpc/registry';
import { CommitThenFail } from '../rpc/pipeline';
import { hashPassword, verifyPassword } from './passwords';
import { createSession, endSessionsOf, loadPrincipal } from './sessions';
import { lockoutMinutes, maxFailedLogins } from './settings';
import { DEFAULT_ROLES } from './default-roles';

type UserRow = UsersTable & { role_key: string; role_name: string };

const USER_SELECT = `SELECT u.*, r.key AS role_key, r.name AS role_name FROM users u JOIN roles r ON r.id = u.role_id`;

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    roleKey: row.role_key,
    roleName: row.role_name,
    active: row.active === 1,
    lockedUntil: row.locked_until,
    lastLoginAt: row.last_login_at,
    version: row.version,
  };
}

/** The audit image of a user: never the password hash. */
const userImage = (u: User) => ({ username: u.username, displayName: u.displayName, roleKey: u.roleKey, active: u.active, lockedUntil: u.lockedUntil });

export const findUser = (db: SqliteDb, id: string): UserRow | undefined => sqlGet<UserRow>(db, `${USER_SELECT} WHERE u.id = ?`, id);

function sessionUser(db: SqliteDb, userId: string): SessionUser {
  const row = findUser(db, userId)!;
  const permissions = sqlAll<{ permission: string }>(db, 'SELECT permission FROM role_permissions WHERE role_id = ?', row.role_id);
  return { ...toUser(row), permissions: permissions.map((p) => p.permission).sort() };
}

const userCount = (db: SqliteDb): number => sqlGet<{ n: number }>(db, 'SELECT count(*) AS n FROM users')!.n;

/** Creates the default roles of a new branch. */
export function seedRoles(ctx: Ctx): void {
  for (const role of DEFAULT_ROLES) {
    const id = newId();
    sqlRun(ctx.db, 'INSERT INTO roles (id, branch_id, key, name, description, created_at) VALUES (?, ?, ?, ?, ?, ?)', id, ctx.branch.id, role.key, role.name, role.description, ctx.nowIso);
    const insert = ctx.db.prepare('INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)');
    for (const p of role.permissions) insert.run(id, p);
    ctx.audit({ entity: 'role', entityId: id, action: 'created', after: { key: role.key, name: role.name, permissions: role.permissions } });
  }
}

export function createBranch(ctx: Ctx, input: { branchName: string; timeZone: string; demo: boolean }): void {
  if (userCount(ctx.db) > 0) throw new AppError('FORBIDDEN', 'This branch is already set up; sign in instead');
  try {
    new Intl.DateTimeFormat('en', { timeZone: input.timeZone });
  } catch {
    throw new AppError('VALIDATION', `Unknown time zone ${input.timeZone}`, { issues: [{ path: 'timeZone', message: 'Pick a time zone from the list' }] });
  }
  const id = newId();
  sqlRun(ctx.db, 'INSERT INTO branch (id, name, time_zone, week_start, demo, created_at) VALUES (?, ?, ?, 1, ?, ?)', id, input.branchName, input.timeZone, input.demo ? 1 : 0, ctx.nowIso);
  ctx.branch = readBranch(ctx.db);
  ctx.audit({ entity: 'branch', entityId: id, action: 'created', after: { name: input.branchName, timeZone: input.timeZone, demo: input.demo } });
  seedRoles(ctx);
}

export function insertUser(
  ctx: Ctx,
  input: { username: string; displayName: string; roleKey: string; password: string; demoCredential?: boolean },
): User {
  const role = sqlGet<{ id: string }>(ctx.db, 'SELECT id FROM roles WHERE key = ?', input.roleKey);
  if (!role) throw new AppError('VALIDATION', `Unknown role ${input.roleKey}`, { issues: [{ path: 'roleKey', message: 'Pick a role from the list' }] });
  if (sqlGet(ctx.db, 'SELECT 1 FROM users WHERE username = ?', input.username)) {
    throw new AppError('CONFLICT', `The username ${input.username} is taken`, { issues: [{ path: 'username', message: 'Already taken' }] });
  }
  const id = newId();
  sqlRun(
    ctx.db,
    `INSERT INTO users (id, branch_id, username, display_name, role_id, password_hash, demo_credential, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    id,
    ctx.branch.id,
    input.username,
    input.displayName,
    role.id,
    hashPassword(input.password),
    input.demoCredential ? 1 : 0,
    ctx.nowIso,
    ctx.nowIso,
  );
  const user = toUser(findUser(ctx.db, id)!);
  ctx.audit({ entity: 'user', entityId: id, action: 'created', after: userImage(user) });
  return user;
}

function login(ctx: Ctx, input: { username: string; password: string }) {
  const row = sqlGet<UserRow>(ctx.db, `${USER_SELECT} WHERE u.username = ?`, input.username);
  const refuse = () => new AppError('UNAUTHENTICATED', 'Wrong username or password');
  if (!row) throw refuse();
  if (!row.active) throw new AppError('UNAUTHENTICATED', 'This user has been deactivated; ask an administrator');
  if (row.locked_until && Date.parse(row.locked_until) > ctx.now.getTime()) {
    throw new AppError('UNAUTHENTICATED', `Too many failed sign-ins: locked until ${row.locked_until}; an administrator can unlock sooner`, {
      lockedUntil: row.locked_until,
    });
  }
  if (!verifyPassword(input.password, row.password_hash)) {
    const failures = row.failed_attempts + 1;
    const lock = failures >= ctx.settings.get(maxFailedLogins);
    const lockedUntil = lock ? new Date(ctx.now.getTime() + ctx.settings.get(lockoutMinutes) * 60_000).toISOString() : null;
    sqlRun(ctx.db, 'UPDATE users SET failed_attempts = ?, locked_until = ? WHERE id = ?', lock ? 0 : failures, lockedUntil, row.id);
    ctx.audit({ entity: 'user', entityId: row.id, action: lock ? 'locked' : 'sign-in failed', after: { failedAttempts: failures, lockedUntil } });
    // The failure count must survive even though the call fails.
    throw new CommitThenFail(lock ? new AppError('UNAUTHENTICATED', `Too many failed sign-ins: locked until ${lockedUntil}`, { lockedUntil }) : refuse());
  }
  if (row.demo_credential === 1 && !ctx.branch.demo) {
    throw new AppError('UNAUTHENTICATED', 'Demo credentials only work in a demo store');
  }
  sqlRun(ctx.db, 'UPDATE users SET failed_attempts = 0, locked_until = NULL, last_login_at = ? WHERE id = ?', ctx.nowIso, row.id);
  const session = createSession(ctx.db, ctx.settings, row.id, ctx.now);
  ctx.principal = loadPrincipal(ctx.db, row.id, session.id);
  ctx.audit({ entity: 'session', entityId: session.id, action: 'signed in', after: { userId: row.id, expiresAt: session.expiresAt } });
  return { token: session.token, expiresAt: session.expiresAt, user: sessionUser(ctx.db, row.id) };
}

export function registerAuth(registry: Registry): void {
  registry
    .add(K.systemStatus, (ctx) => ({
      needsSetup: userCount(ctx.db) === 0,
      demo: ctx.branch.demo,
      branchId: ctx.branch.id,
      branchName: ctx.branch.name,
      timeZone: ctx.branch.timeZone,
      appVersion: process.env.npm_package_version ?? '0.1.0',
    }))
    .add(K.authSetup, (ctx, input) => {
      createBranch(ctx, { branchName: input.branchName, timeZone: input.timeZone, demo: false });
      const user = insertUser(ctx, { ...input, roleKey: 'administrator' });
      return { userId: user.id };
    })
    .add(K.authLogin, login)
    .add(K.authLogout, (ctx) => {
      const { sessionId } = ctx.user();
      if (sessionId) {
        sqlRun(ctx.db, 'UPDATE sessions SET ended_at = ? WHERE id = ?', ctx.nowIso, sessionId);
        ctx.audit({ entity: 'session', entityId: sessionId, action: 'signed out' });
      }
      return { ok: true as const };
    })
    .add(K.authMe, (ctx) => sessionUser(ctx.db, ctx.user().userId))
    .add(K.authChangePassword, (ctx, input) => {
      const me = findUser(ctx.db, ctx.user().userId)!;
      if (!verifyPassword(input.currentPassword, me.password_hash)) {
        throw new AppError('VALIDATION', 'The current password is wrong', { issues: [{ path: 'currentPassword', message: 'Wrong password' }] });
      }
      if (input.currentPassword === input.newPassword) throw ruleViolation('password.unchanged', 'Choose a password different from the current one');
      sqlRun(ctx.db, 'UPDATE users SET password_hash = ?, demo_credential = 0, version = version + 1, updated_at = ? WHERE id = ?', hashPassword(input.newPassword), ctx.nowIso, me.id);
      ctx.audit({ entity: 'user', entityId: me.id, action: 'password changed' });
      return { ok: true as const };
    });
}

export { endSessionsOf };
