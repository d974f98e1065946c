import { AppError, conflict, notFound } from '../src-shared/errors';
import { GENESIS_HASH } from '../src-main/core/audit/journal';
import { newId } from '../src-main/core/util/ids';
import type { Hq } from './hq';
import type { BranchesTable } from './db/schema';
import { issueToken, tokenHash } from './tokens';

export interface BranchSummary {
  id: string;
  name: string;
  timeZone: string;
  active: boolean;
  headSeq: number;
  headHash: string;
  headAt: string | null;
  lastContactAt: string | null;
  clockOffsetMs: number | null;
  tokenIssuedAt: string;
  openExceptions: number;
}

const toSummary = (row: BranchesTable, openExceptions: number): BranchSummary => ({
  id: row.id,
  name: row.name,
  timeZone: row.time_zone,
  active: row.active === 1,
  headSeq: row.head_seq,
  headHash: row.head_hash,
  headAt: row.head_at,
  lastContactAt: row.last_contact_at,
  clockOffsetMs: row.clock_offset_ms,
  tokenIssuedAt: row.token_issued_at,
  openExceptions,
});

function checkTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new AppError('VALIDATION', `Unknown time zone ${timeZone}`, { issues: [{ path: 'timeZone', message: 'Use an IANA zone such as Africa/Johannesburg' }] });
  }
}

/**
 * Registers a branch under the id its own store already carries (shown on its Sync screen), so
 * every event it uploads names the branch HQ knows. Answers the branch's token, once.
 */
export async function registerBranch(
  hq: Hq,
  input: { id: string; name: string; timeZone: string; weekStart?: number },
): Promise<{ branch: BranchSummary; token: string }> {
  checkTimeZone(input.timeZone);
  const existing = await hq.db.selectFrom('branches').select('id').where('id', '=', input.id).executeTakeFirst();
  if (existing) throw conflict(`Branch ${input.id} is already registered; rotate its token instead`);
  const token = issueToken('branch');
  const now = hq.clock().toISOString();
  const row: BranchesTable = {
    id: input.id,
    name: input.name,
    time_zone: input.timeZone,
    week_start: input.weekStart ?? 1,
    active: 1,
    token_hash: tokenHash(token),
    token_issued_at: now,
    previous_token_hash: null,
    previous_token_expires_at: null,
    head_seq: 0,
    head_hash: GENESIS_HASH,
    head_at: null,
    last_contact_at: null,
    clock_offset_ms: null,
    created_at: now,
  };
  await hq.db.insertInto('branches').values(row).execute();
  return { branch: toSummary(row, 0), token };
}

/**
 * Issues a new token. The old one stops working at once, or after `graceHours` so the branch
 * keeps syncing until someone enters the new one there.
 */
export async function rotateBranchToken(hq: Hq, id: string, options: { graceHours?: number } = {}): Promise<{ token: string; previousValidUntil: string | null }> {
  const row = await hq.db.selectFrom('branches').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Branch', id);
  const token = issueToken('branch');
  const now = hq.clock();
  const grace = options.graceHours ?? 0;
  const previousValidUntil = grace > 0 ? new Date(now.getTime() + grace * 3_600_000).toISOString() : null;
  await hq.db
    .updateTable('branches')
    .set({
      token_hash: tokenHash(token),
      token_issued_at: now.toISOString(),
      previous_token_hash: previousValidUntil ? row.token_hash : null,
      previous_token_expires_at: previousValidUntil,
    })
    .where('id', '=', id)
    .execute();
  return { token, previousValidUntil };
}

export async function setBranchActive(hq: Hq, id: string, active: boolean): Promise<void> {
  const result = await hq.db.updateTable('branches').set({ active: active ? 1 : 0 }).where('id', '=', id).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound('Branch', id);
}

export async function listBranches(hq: Hq): Promise<BranchSummary[]> {
  const rows = await hq.db.selectFrom('branches').selectAll().orderBy('name').execute();
  const open = await hq.db
    .selectFrom('sync_exceptions')
    .select(['branch_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'open')
    .groupBy('branch_id')
    .execute();
  const openBy = new Map(open.map((o) => [o.branch_id, Number(o.n)]));
  return rows.map((r) => toSummary(r, openBy.get(r.id) ?? 0));
}

export async function getBranch(hq: Hq, id: string): Promise<BranchesTable> {
  const row = await hq.db.selectFrom('branches').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Branch', id);
  return row;
}

/** The branch a bearer token belongs to; every branch call starts here. */
export async function authenticateBranch(hq: Hq, token: string | null): Promise<BranchesTable> {
  if (!token) throw new AppError('UNAUTHENTICATED', 'This call needs the branch token HQ issued');
  const hash = tokenHash(token);
  const row = await hq.db
    .selectFrom('branches')
    .selectAll()
    .where((eb) => eb.or([eb('token_hash', '=', hash), eb('previous_token_hash', '=', hash)]))
    .executeTakeFirst();
  const now = hq.clock().toISOString();
  const valid =
    row !== undefined &&
    (row.token_hash === hash || (row.previous_token_expires_at !== null && row.previous_token_expires_at > now));
  if (!row || !valid) throw new AppError('UNAUTHENTICATED', 'HQ does not accept this branch token (wrong, or rotated); ask HQ for the current one');
  if (row.active !== 1) throw new AppError('FORBIDDEN', `Branch ${row.name} has been deactivated at HQ`);
  return row;
}

/* ---------------- HQ administrators ---------------- */

export async function issueAdminToken(hq: Hq, label: string): Promise<string> {
  const token = issueToken('admin');
  await hq.db
    .insertInto('admin_tokens')
    .values({ id: newId(), label, token_hash: tokenHash(token), created_at: hq.clock().toISOString(), revoked_at: null })
    .execute();
  return token;
}

/** Makes a token chosen outside HQ (an environment variable in a deployment) valid, once. */
export async function ensureAdminToken(hq: Hq, token: string, label: string): Promise<void> {
  const hash = tokenHash(token);
  const known = await hq.db.selectFrom('admin_tokens').select('id').where('token_hash', '=', hash).executeTakeFirst();
  if (known) return;
  await hq.db.insertInto('admin_tokens').values({ id: newId(), label, token_hash: hash, created_at: hq.clock().toISOString(), revoked_at: null }).execute();
}

export async function hasAdminTokens(hq: Hq): Promise<boolean> {
  const row = await hq.db.selectFrom('admin_tokens').select('id').where('revoked_at', 'is', null).executeTakeFirst();
  return row !== undefined;
}

/** Answers the administrator's label (recorded as who published master data or resolved an exception). */
export async function authenticateAdmin(hq: Hq, token: string | null): Promise<string> {
  if (!token) throw new AppError('UNAUTHENTICATED', 'This call needs an HQ administrator token');
  const row = await hq.db
    .selectFrom('admin_tokens')
    .select(['label', 'revoked_at'])
    .where('token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null) throw new AppError('UNAUTHENTICATED', 'HQ does not accept this administrator token');
  return row.label;
}
