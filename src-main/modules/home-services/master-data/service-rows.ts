import { sqlRun } from '../../../core/db/store';
import type { Ctx } from '../../../core/rpc/context';
import { newId } from '../../../core/util/ids';

/**
 * The one writer of a catalogue service's row and its required skills: the branch's own service
 * form and HQ's catalogue both save through it, so the two can never store a service differently.
 */
export interface ServiceFields {
  name: string;
  category: string;
  durationMinutes: number;
  bufferMinutes: number;
  priceMinor: number;
  slotCapacity: number | null;
  active: boolean;
  requiredSkills: readonly { skill: string; minLevel: number }[];
}

function writeServiceSkills(ctx: Ctx, serviceId: string, requiredSkills: ServiceFields['requiredSkills']): void {
  sqlRun(ctx.db, 'DELETE FROM hs_service_skills WHERE service_id = ?', serviceId);
  for (const s of requiredSkills) {
    sqlRun(ctx.db, 'INSERT INTO hs_service_skills (service_id, skill, min_level, branch_id) VALUES (?, ?, ?, ?)', serviceId, s.skill, s.minLevel, ctx.branch.id);
  }
}

/** Adds a service to the catalogue; answers its id. */
export function insertServiceRow(ctx: Ctx, sku: string, fields: ServiceFields): string {
  const id = newId();
  sqlRun(
    ctx.db,
    `INSERT INTO hs_services (id, branch_id, sku, name, category, duration_minutes, buffer_minutes, price_minor, slot_capacity, active, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
    id,
    ctx.branch.id,
    sku,
    fields.name,
    fields.category,
    fields.durationMinutes,
    fields.bufferMinutes,
    fields.priceMinor,
    fields.slotCapacity,
    fields.active ? 1 : 0,
    ctx.nowIso,
    ctx.nowIso,
  );
  writeServiceSkills(ctx, id, fields.requiredSkills);
  return id;
}

/** Rewrites a service's terms (and, from HQ, its SKU's spelling); bookings already made keep theirs. */
export function updateServiceRow(ctx: Ctx, id: string, fields: ServiceFields, sku?: string): void {
  sqlRun(
    ctx.db,
    `UPDATE hs_services SET sku = coalesce(?, sku), name = ?, category = ?, duration_minutes = ?, buffer_minutes = ?, price_minor = ?, slot_capacity = ?, active = ?,
       version = version + 1, updated_at = ? WHERE id = ?`,
    sku ?? null,
    fields.name,
    fields.category,
    fields.durationMinutes,
    fields.bufferMinutes,
    fields.priceMinor,
    fields.slotCapacity,
    fields.active ? 1 : 0,
    ctx.nowIso,
    id,
  );
  writeServiceSkills(ctx, id, fields.requiredSkills);
}
