import { z } from 'zod';
import { AppError } from '../../../../src-shared/errors';
import { TARIFF_KINDS, tariffTerms, type Tier } from '../../../../src-shared/contracts/energy/billing';
import { newId } from '../../../core/util/ids';
import type { Ctx } from '../../../core/rpc/context';
import { localDateOf } from '../../../reporting/periods';
import { defineMasterDataType } from '../../../sync/master-data-types';
import { hqActorId } from '../../../sync/kernel-master-data';
import { listTariffs } from './queries';
import { sqlAll, sqlGet, sqlRun } from './sql';
import type { TariffsTable } from './tables';

/**
 * Tariffs as HQ-owned master data. HQ names a tariff by its code and sends one version of it:
 * kind, category and the terms from an effective date. Once HQ has sent one, HQ owns every tariff
 * at the branch (`ownership: 'type'`): creating or revising one here answers FORBIDDEN "owned by
 * HQ", and bills use what HQ sent from its effective date.
 *
 * Versions only move forward, as at the branch: a version later than the latest one is added
 * (bills split their period at the change); a version already there with the same date is
 * confirmed, or corrected while it is not in effect yet. Anything that would change what past
 * bills were based on is held back as a sync exception instead of being applied.
 */
export const tariffMasterData = z.strictObject({
  kind: z.enum(TARIFF_KINDS),
  category: z.string().trim().min(2).max(40),
  ...tariffTerms,
});
export type TariffMasterData = z.output<typeof tariffMasterData>;

const CODE = /^[A-Za-z0-9-]{2,20}$/;

const terms = (d: TariffMasterData) => ({
  name: d.name,
  fixed_charge_minor: d.fixedCharge,
  pricing_mode: d.pricingMode,
  tiers_json: JSON.stringify(d.tiers),
  minimum_charge_minor: d.minimumCharge,
  tax_rate_bp: d.taxRateBp,
  unit: d.unit,
});

const sameTerms = (row: TariffsTable, d: TariffMasterData): boolean =>
  Object.entries(terms(d)).every(([k, v]) => (k === 'tiers_json' ? JSON.stringify(JSON.parse(row.tiers_json) as Tier[]) === v : row[k as keyof TariffsTable] === v));

const refuse = (code: string, message: string) => new AppError('VALIDATION', `HQ's tariff ${code}: ${message}`);

export const tariffMasterDataType = defineMasterDataType({
  entity: 'tariff',
  label: 'tariff',
  data: tariffMasterData,
  ownership: 'type',
  upsert(ctx: Ctx, hqCode: string, data: TariffMasterData, localId: string | null): string {
    if (!CODE.test(hqCode)) throw refuse(hqCode, 'a tariff code is 2–20 letters, digits and dashes');
    const code = hqCode.toUpperCase();
    const category = data.category.toLowerCase();
    // Units = value ÷ rate: a free tier would vend unlimited units.
    if (data.kind === 'prepaid' && data.tiers.some((t) => t.rate <= 0)) throw refuse(code, 'every tier of a prepaid tariff needs a rate above zero');
    const today = localDateOf(ctx.now, ctx.branch.timeZone);
    const versions = sqlAll<TariffsTable>(ctx.db, 'SELECT * FROM tariffs WHERE code = ? ORDER BY effective_from', code);
    const latest = versions.at(-1);
    if (latest && (latest.kind !== data.kind || latest.category !== category)) {
      throw refuse(code, `it is a ${latest.kind} ${latest.category} tariff here; a code keeps its kind and category (publish a new code instead)`);
    }
    if (!latest && data.kind === 'postpaid') {
      // Bills find the postpaid tariff by category: two would make it ambiguous.
      const other = sqlGet<{ code: string }>(ctx.db, `SELECT code FROM tariffs WHERE kind = 'postpaid' AND category = ? LIMIT 1`, category);
      if (other) throw refuse(code, `the ${category} category already has the postpaid tariff ${other.code} here; publish that code instead`);
    }
    const after = (id: string) => listTariffs(ctx.db, today).find((t) => t.id === id)!;

    const same = versions.find((v) => v.effective_from === data.effectiveFrom);
    if (same) {
      if (sameTerms(same, data)) {
        ctx.audit({ entity: 'tariff', entityId: same.id, action: 'adopted by HQ', after: after(same.id) });
        return localId ?? same.id;
      }
      if (same.effective_from <= today) {
        throw refuse(code, `the version from ${same.effective_from} is in effect already and bills may use it; publish a version from a later date`);
      }
      const before = after(same.id);
      sqlRun(
        ctx.db,
        `UPDATE tariffs SET name = @name, fixed_charge_minor = @fixed_charge_minor, pricing_mode = @pricing_mode, tiers_json = @tiers_json,
           minimum_charge_minor = @minimum_charge_minor, tax_rate_bp = @tax_rate_bp, unit = @unit, version = version + 1 WHERE id = @id`,
        { ...terms(data), id: same.id },
      );
      ctx.audit({ entity: 'tariff', entityId: same.id, action: 'corrected by HQ', before, after: after(same.id) });
      return localId ?? same.id;
    }
    if (latest && data.effectiveFrom < latest.effective_from) {
      // The same rule as a revision at the branch: a back-dated version would change what bills were based on.
      throw refuse(code, `a new version must start after the latest one here (${latest.effective_from})`);
    }
    const row: TariffsTable = {
      id: newId(),
      branch_id: ctx.branch.id,
      code,
      kind: data.kind,
      category,
      effective_from: data.effectiveFrom,
      ...terms(data),
      created_by: hqActorId(ctx),
      version: 0,
      created_at: ctx.nowIso,
    };
    sqlRun(
      ctx.db,
      `INSERT INTO tariffs (id, branch_id, code, name, kind, category, effective_from, fixed_charge_minor, pricing_mode, tiers_json,
         minimum_charge_minor, tax_rate_bp, unit, created_by, version, created_at)
       VALUES (@id, @branch_id, @code, @name, @kind, @category, @effective_from, @fixed_charge_minor, @pricing_mode, @tiers_json,
         @minimum_charge_minor, @tax_rate_bp, @unit, @created_by, @version, @created_at)`,
      row,
    );
    ctx.audit({
      entity: 'tariff',
      entityId: row.id,
      action: latest ? 'revised by HQ' : 'created by HQ',
      before: latest ? { id: latest.id, effectiveFrom: latest.effective_from } : null,
      after: after(row.id),
    });
    // One local record stands for the code in the ownership list (HQ owns every tariff anyway).
    return localId ?? versions[0]?.id ?? row.id;
  },
});
