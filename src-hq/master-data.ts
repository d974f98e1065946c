import { sql } from 'kysely';
import { z } from 'zod';
import { AppError } from '../src-shared/errors';
import { MASTER_OPS, type MasterChange, type MasterDataResponse } from '../src-shared/contracts/sync';
import type { MasterChangesTable } from './db/schema';
import type { Hq } from './hq';
import { parseOrThrow } from './validate';

/**
 * Master data owned by HQ (tariffs, plans, packages, catalogues, users and roles, targets,
 * thresholds) is published as an append-only log of versioned changes. Branches download it by
 * cursor and apply each batch in one transaction; HQ never needs to know how a branch stores it.
 */
export const publishInput = z.strictObject({
  changes: z
    .array(
      z.strictObject({
        entity: z.string().min(1).max(80),
        entityId: z.string().min(1).max(200),
        op: z.enum(MASTER_OPS).default('upsert'),
        data: z.unknown().optional(),
        /** Only this branch (a target, a branch-specific threshold); omitted: every branch. */
        branchId: z.string().min(1).max(64).optional(),
      }),
    )
    .min(1)
    .max(5000),
  note: z.string().max(500).optional(),
});
export type PublishInput = z.input<typeof publishInput>;

export interface PublishedChange extends MasterChange {
  branchId: string | null;
  publishedAt: string;
  publishedBy: string;
  note: string | null;
}

const toChange = (r: MasterChangesTable): MasterChange => ({
  version: r.version,
  entity: r.entity,
  entityId: r.entity_id,
  op: r.op,
  data: r.data_json === null ? null : (JSON.parse(r.data_json) as unknown),
});

export async function publishMasterData(hq: Hq, rawInput: PublishInput, by: string): Promise<{ versions: number[]; head: number }> {
  const input = parseOrThrow(publishInput, rawInput);
  for (const [i, c] of input.changes.entries()) {
    if (c.op === 'upsert' && c.data === undefined) {
      throw new AppError('VALIDATION', `changes.${i}.data: an upsert sends the record's data`, { issues: [{ path: `changes.${i}.data`, message: 'Required for upsert' }] });
    }
  }
  const targets = [...new Set(input.changes.map((c) => c.branchId).filter((b): b is string => b !== undefined))];
  if (targets.length > 0) {
    const known = await hq.db.selectFrom('branches').select('id').where('id', 'in', targets).execute();
    const unknown = targets.filter((t) => !known.some((k) => k.id === t));
    if (unknown.length > 0) throw new AppError('VALIDATION', `Unknown branch ${unknown.join(', ')}`, { issues: [{ path: 'changes', message: 'Register the branch first' }] });
  }
  const now = hq.clock().toISOString();
  return hq.db.transaction().execute(async (trx) => {
    // Taking the head row's lock serialises publishers: versions commit in the order they are
    // numbered, so a branch reading "after N" can never pass a change that commits later.
    const { version: head } = await trx
      .updateTable('master_head')
      .set((eb) => ({ version: eb('version', '+', input.changes.length) }))
      .where('id', '=', 1)
      .returning('version')
      .executeTakeFirstOrThrow();
    const first = head - input.changes.length + 1;
    const rows: MasterChangesTable[] = input.changes.map((c, i) => ({
      version: first + i,
      entity: c.entity,
      entity_id: c.entityId,
      op: c.op,
      data_json: c.data === undefined || c.data === null ? null : JSON.stringify(c.data),
      branch_id: c.branchId ?? null,
      published_at: now,
      published_by: by,
      note: input.note ?? null,
    }));
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('master_changes').values(rows.slice(i, i + 500)).execute();
    return { versions: rows.map((r) => r.version), head };
  });
}

/** What one branch downloads: changes for every branch or for it alone, after its cursor. */
export async function masterChangesFor(hq: Hq, branchId: string, after: number, limit: number): Promise<MasterDataResponse> {
  const rows = await hq.db
    .selectFrom('master_changes')
    .selectAll()
    .where('version', '>', after)
    .where((eb) => eb.or([eb('branch_id', 'is', null), eb('branch_id', '=', branchId)]))
    .orderBy('version')
    .limit(limit)
    .execute();
  return { changes: rows.map(toChange), head: await masterHeadFor(hq, branchId), serverTime: hq.clock().toISOString() };
}

export async function masterHeadFor(hq: Hq, branchId: string): Promise<number> {
  const row = await hq.db
    .selectFrom('master_changes')
    .select(sql<number | null>`max(version)`.as('head'))
    .where((eb) => eb.or([eb('branch_id', 'is', null), eb('branch_id', '=', branchId)]))
    .executeTakeFirst();
  return Number(row?.head ?? 0);
}

export async function listMasterChanges(hq: Hq, filter: { after?: number; limit?: number; entity?: string } = {}): Promise<PublishedChange[]> {
  let q = hq.db
    .selectFrom('master_changes')
    .selectAll()
    .where('version', '>', filter.after ?? 0)
    .orderBy('version')
    .limit(Math.min(filter.limit ?? 500, 5000));
  if (filter.entity) q = q.where('entity', '=', filter.entity);
  return (await q.execute()).map((r) => ({
    ...toChange(r),
    branchId: r.branch_id,
    publishedAt: r.published_at,
    publishedBy: r.published_by,
    note: r.note,
  }));
}
