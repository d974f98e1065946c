import { sqlRun } from '../../../core/db/store';
import type { Ctx } from '../../../core/rpc/context';

/** Replaces a service's required skills: the branch's own edits and HQ's catalogue both write them. */
export function writeServiceSkills(ctx: Ctx, serviceId: string, requiredSkills: readonly { skill: string; minLevel: number }[]): void {
  sqlRun(ctx.db, 'DELETE FROM hs_service_skills WHERE service_id = ?', serviceId);
  for (const s of requiredSkills) {
    sqlRun(ctx.db, 'INSERT INTO hs_service_skills (service_id, skill, min_level, branch_id) VALUES (?, ?, ?, ?)', serviceId, s.skill, s.minLevel, ctx.branch.id);
  }
}
