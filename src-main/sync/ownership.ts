import { AppError } from '../../src-shared/errors';
import type { AuditInput } from '../core/audit/journal';
import { hasTable, sqlAll, sqlGet, type SqliteDb } from '../core/db/store';
import type { Ctx } from '../core/rpc/context';
import { APPLY_MASTER_DATA, masterDataType } from './master-data-types';

/**
 * Master data is read-only at the branch once HQ owns it. The check is generic: every write
 * journals the record it touches, so checking each audit event catches every handler of every
 * module, including those written after this one.
 */
export function ownedByHq(db: SqliteDb, entity: string, entityId: string): boolean {
  if (!hasTable(db, 'hq_owned')) return false;
  return sqlGet(db, 'SELECT 1 FROM hq_owned WHERE entity = ? AND entity_id IN (?, ?)', entity, entityId, '*') !== undefined;
}

/** Refuses with FORBIDDEN "owned by HQ" unless the record may be changed here. */
export function assertBranchOwned(ctx: Pick<Ctx, 'db' | 'procedure'>, entity: string, entityId: string): void {
  if (ctx.procedure === APPLY_MASTER_DATA) return;
  if (!ownedByHq(ctx.db, entity, entityId)) return;
  const label = masterDataType(entity)?.label ?? entity;
  throw new AppError('FORBIDDEN', `This ${label} is owned by HQ: change it at HQ, and the change reaches this branch with the next sync`, {
    entity,
    entityId,
    ownedBy: 'HQ',
  });
}

/** The pipeline calls this for every audit event a handler appends, before appending it. */
export function guardAuditedWrite(ctx: Pick<Ctx, 'db' | 'procedure'>, event: AuditInput): void {
  const type = masterDataType(event.entity);
  // Only registered master-data types can ever be HQ's: bills, payments, readings and the like
  // skip the lookup, which a billing run's post would otherwise pay once per bill.
  if (!type || type.operational?.(event)) return;
  assertBranchOwned(ctx, event.entity, event.entityId);
}

export interface OwnedRecord {
  entity: string;
  label: string;
  entityId: string;
  masterVersion: number;
  since: string;
}

export function ownedRecords(db: SqliteDb, entity?: string): OwnedRecord[] {
  if (!hasTable(db, 'hq_owned')) return [];
  return sqlAll<{ entity: string; entity_id: string; master_version: number; since: string }>(
    db,
    'SELECT entity, entity_id, master_version, since FROM hq_owned WHERE (? IS NULL OR entity = ?) ORDER BY entity, entity_id',
    entity ?? null,
    entity ?? null,
  ).map((r) => ({ entity: r.entity, label: masterDataType(r.entity)?.label ?? r.entity, entityId: r.entity_id, masterVersion: r.master_version, since: r.since }));
}
