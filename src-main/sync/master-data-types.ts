import type { z } from 'zod';
import type { AuditInput } from '../core/audit/journal';
import type { Ctx } from '../core/rpc/context';

/**
 * How a module makes one of its entity types HQ-owned master data. Call `defineMasterDataType`
 * beside the module's service (as settings are defined), for example for tariffs:
 *
 *   defineMasterDataType({
 *     entity: 'tariff',                 // the entity name the module's audit events use
 *     label: 'tariff',
 *     data: tariffMasterSchema,         // what HQ sends for one tariff (zod)
 *     ownership: 'type',                // HQ owns every tariff: creating one here is refused too
 *     upsert: (ctx, hqId, data, localId) => { ...insert or update, ctx.audit(...); return localId ?? newId },
 *     remove: (ctx, hqId, localId) => { ...retire it, ctx.audit(...) },
 *   });
 *
 * From then on the sync engine applies HQ's changes through it, in one transaction per batch with
 * their audit events, and the pipeline refuses any other write that journals an HQ-owned record
 * with FORBIDDEN "owned by HQ" — the module's own handlers need no change. A handler that must
 * refuse before doing work can call `assertBranchOwned(ctx, entity, id)` itself.
 */
export interface MasterDataType<T = unknown> {
  /** As the journal names it (`ctx.audit({ entity })`): ownership is checked on that name. */
  entity: string;
  /** For messages: "This <label> is owned by HQ". */
  label: string;
  /** The shape of `data` in HQ's upserts; a change that does not fit is held back, not guessed at. */
  data: z.ZodType<T>;
  /**
   * record: HQ owns the records it sent; the branch may still create its own (local users).
   * type: HQ owns the whole type; nothing of it may be created or changed here.
   */
  ownership: 'record' | 'type';
  /**
   * Journal events on an HQ-owned record that are day-to-day operation, not edits of the master
   * data (a failed sign-in counting against an HQ user); they stay allowed.
   */
  operational?: (event: AuditInput) => boolean;
  /** Creates or updates the local record from HQ's data and audits it; answers its local id. */
  upsert(ctx: Ctx, hqId: string, data: T, localId: string | null): string;
  /** Withdraws it (deactivate, reset to default) and audits it. Without it, HQ cannot delete this type here. */
  remove?(ctx: Ctx, hqId: string, localId: string): void;
}

const types = new Map<string, MasterDataType>();

export function defineMasterDataType<T>(def: MasterDataType<T>): MasterDataType<T> {
  const existing = types.get(def.entity);
  if (existing && existing !== (def as unknown as MasterDataType)) throw new Error(`Master data type ${def.entity} defined twice`);
  types.set(def.entity, def as unknown as MasterDataType);
  return def;
}

export const masterDataType = (entity: string): MasterDataType | undefined => types.get(entity);

export const masterDataTypes = (): MasterDataType[] => [...types.values()].sort((a, b) => a.entity.localeCompare(b.entity));

/** The procedure that applies HQ's batches: the only writer allowed to touch HQ-owned records. */
export const APPLY_MASTER_DATA = 'sync.applyMasterData';
