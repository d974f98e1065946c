import { randomBytes } from 'node:crypto';
import { AppError } from '../../../src-shared/errors';
import { hasTable, sqlAll, sqlGet, sqlRun, type SqliteDb } from '../db/store';
import { sha256 } from '../util/hash';
import { newId } from '../util/ids';
import type { Principal } from '../rpc/context';
import type { Kernel } from '../rpc/kernel';
import { idleMinutes, sessionHours } from './settings';
import type { Settings } from '../settings/settings';

interface SessionRow {
  id: string;
  user_id: string;
  expires_at: string;
  last_seen_at: string;
  ended_at: string | null;
}

/** Refreshing last_seen on every call would turn every read into a write; once a minute is enough. */
const TOUCH_INTERVAL_MS = 60_000;

export function loadPrincipal(db: SqliteDb, userId: string, sessionId: string | null): Principal | null {
  const user = sqlGet<{ id: string; username: string; display_name: string; role_id: string; key: string; active: number }>(
    db,
    'SELECT u.id, u.username, u.display_name, u.role_id, r.key, u.active FROM users u JOIN roles r ON r.id = u.role_id WHERE u.id = ?',
    userId,
  );
  if (!user || !user.active) return null;
  const permissions = sqlAll<{ permission: string }>(db, 'SELECT permission FROM role_permissions WHERE role_id = ?', user.role_id);
  return {
    userId: user.id,
    username: user.username,
    displayName: user.display_name,
    roleKey: user.key,
    permissions: new Set(permissions.map((p) => p.permission)),
    sessionId,
  };
}

/**
 * Signed-in users' principals, per store connection, as of an auth_epoch value. Every change to
 * users, roles or role permissions moves the epoch (triggers, whichever connection wrote it), so a
 * cached principal is only used while nothing it was built from has changed.
 */
const principals = new WeakMap<SqliteDb, { epoch: number; byUser: Map<string, Principal | null> }>();

function cachedPrincipal(db: SqliteDb, userId: string, sessionId: string, epoch: number | null): Principal | null {
  // A store opened with an older migration list (tests of old stores) has no epoch: no cache.
  if (epoch === null) return loadPrincipal(db, userId, sessionId);
  let cache = principals.get(db);
  if (!cache || cache.epoch !== epoch) {
    cache = { epoch, byUser: new Map() };
    principals.set(db, cache);
  }
  let principal = cache.byUser.get(userId);
  if (principal === undefined) {
    principal = loadPrincipal(db, userId, null);
    cache.byUser.set(userId, principal);
  }
  return principal && { ...principal, sessionId };
}

/** Resolves a bearer token to its principal, or answers UNAUTHENTICATED when one is required. */
export function authenticate(kernel: Kernel, token: string | null, required: boolean): Principal | null {
  if (!token) {
    if (required) throw new AppError('UNAUTHENTICATED', 'Sign in first');
    return null;
  }
  // The auth epoch and the idle limit come in the same statement: each statement outside a
  // transaction opens and closes a read transaction of its own, which costs more than the lookup.
  const epochColumn = hasTable(kernel.db, 'auth_epoch') ? '(SELECT n FROM auth_epoch WHERE id = 1)' : 'NULL';
  const session = sqlGet<SessionRow & { auth_epoch: number | null; idle_json: string | null }>(
    kernel.db,
    `SELECT id, user_id, expires_at, last_seen_at, ended_at, ${epochColumn} AS auth_epoch,
       (SELECT value_json FROM settings WHERE key = ?) AS idle_json
     FROM sessions WHERE token_hash = ?`,
    idleMinutes.key,
    sha256(token),
  );
  const now = kernel.clock();
  const idleLimit = kernel.settings.fromStored(idleMinutes, session?.idle_json ?? null) * 60_000;
  const expired =
    !session ||
    session.ended_at !== null ||
    Date.parse(session.expires_at) <= now.getTime() ||
    now.getTime() - Date.parse(session.last_seen_at) > idleLimit;
  if (expired) {
    if (required) throw new AppError('UNAUTHENTICATED', 'Your session has ended; sign in again');
    return null;
  }
  const principal = cachedPrincipal(kernel.db, session.user_id, session.id, session.auth_epoch);
  if (!principal) throw new AppError('UNAUTHENTICATED', 'This user has been deactivated');
  if (now.getTime() - Date.parse(session.last_seen_at) > TOUCH_INTERVAL_MS) touchSession(kernel.db, session.id, now.toISOString());
  return principal;
}

/**
 * Refreshes last_seen without ever waiting for the write lock: while a job (an import, a billing
 * run) holds it for a chunk, waiting here would freeze a read-only call — and the window — for that
 * long. A touch that finds the lock taken is simply tried again on the next call.
 */
function touchSession(db: SqliteDb, sessionId: string, at: string): void {
  if (db.inTransaction) {
    sqlRun(db, 'UPDATE sessions SET last_seen_at = ? WHERE id = ?', at, sessionId);
    return;
  }
  const waitMs = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    sqlRun(db, 'UPDATE sessions SET last_seen_at = ? WHERE id = ?', at, sessionId);
  } catch (err) {
    if (!(err instanceof Error && 'code' in err && String((err as { code: unknown }).code).startsWith('SQLITE_BUSY'))) throw err;
  } finally {
    db.pragma(`busy_timeout = ${waitMs}`);
  }
}

export function createSession(db: SqliteDb, settings: Settings, userId: string, now: Date): { id: string; token: string; expiresAt: string } {
  const token = randomBytes(32).toString('base64url');
  const id = newId();
  const expiresAt = new Date(now.getTime() + settings.get(sessionHours) * 3_600_000).toISOString();
  sqlRun(
    db,
    'INSERT INTO sessions (id, token_hash, user_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)',
    id,
    sha256(token),
    userId,
    now.toISOString(),
    expiresAt,
    now.toISOString(),
  );
  return { id, token, expiresAt };
}

export function endSessionsOf(db: SqliteDb, userId: string, at: string): void {
  sqlRun(db, 'UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL', at, userId);
}
