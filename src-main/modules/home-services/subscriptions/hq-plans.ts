import { z } from 'zod';
import { AppError } from '../../../../src-shared/errors';
import { plansCreate } from '../../../../src-shared/contracts/home-services/subscriptions';
import type { Ctx } from '../../../core/rpc/context';
import { newId } from '../../../core/util/ids';
import { defineMasterDataType } from '../../../sync/master-data-types';
import { hqActorId } from '../../../sync/kernel-master-data';
import { sqlAll, sqlGet, sqlRun } from '../../energy/billing/sql';
import { PLAN_ENTITY, today } from './billing';
import { findPlan, findPlanRow, versionServiceIds } from './queries';
import { insertVersion } from './service';
import type { HsPlansTable, HsPlanVersionsTable } from './tables';

/**
 * Subscription plans as HQ-owned master data. HQ names a plan by its code and sends its name,
 * description, whether it is active or retired, and its versions, each with its services by SKU.
 * Once HQ has sent one, HQ owns every plan here (`ownership: 'type'`): creating a plan, adding a
 * version, retiring or reinstating one at the branch answers FORBIDDEN "owned by HQ".
 *
 * Versions are append-only, as at the branch: a period is billed with the version in effect on its
 * first day and subscriptions keep the price they were billed. So the branch adds the versions it
 * lacks and confirms those it has; a version it has with other terms, or one it lacks dated before
 * its latest (it would change what periods already billed were based on), is held back as a sync
 * exception instead. Versions the branch has and HQ no longer lists stay. A plan the branch already
 * has under the code is taken over; HQ deleting a plan retires it (subscriptions continue).
 */
const { name, description, effectiveFrom, billingPeriod, priceMinor, includedVisits, overAllowance, overagePriceMinor } = plansCreate.input.shape;

const SKU = z.string().trim().toUpperCase().min(2).max(20);

const planVersionMasterData = z.strictObject({
  effectiveFrom,
  billingPeriod,
  priceMinor,
  includedVisits,
  overAllowance,
  overagePriceMinor,
  services: z
    .array(SKU)
    .min(1, 'A plan version covers at least one service')
    .max(30)
    .refine((s) => new Set(s).size === s.length, 'Each service once'),
});

export const planMasterData = z.strictObject({
  name,
  description,
  status: z.enum(['active', 'retired']).default('active'),
  versions: z
    .array(planVersionMasterData)
    .min(1, 'A plan has at least one version')
    .max(200)
    .refine((v) => new Set(v.map((x) => x.effectiveFrom)).size === v.length, 'One version per effective date'),
});
export type PlanMasterData = z.output<typeof planMasterData>;
type VersionData = z.output<typeof planVersionMasterData>;

const CODE = /^[A-Z0-9-]{2,20}$/;

const refuse = (code: string, message: string) => new AppError('VALIDATION', `HQ's plan ${code}: ${message}`);

interface Service {
  id: string;
  sku: string;
  name: string;
  active: number;
}

/** A version's terms in one comparable shape, with the names a message uses. */
const termsOf = (v: { billingPeriod: string; priceMinor: number; includedVisits: number; overAllowance: string; overagePriceMinor: number | null }, serviceIds: readonly string[]) => ({
  'billing period': v.billingPeriod,
  price: v.priceMinor,
  'included visits': v.includedVisits,
  'beyond the allowance': v.overAllowance,
  'price beyond the allowance': v.overagePriceMinor,
  services: [...serviceIds].sort().join(','),
});

const rowTerms = (ctx: Ctx, v: HsPlanVersionsTable) =>
  termsOf(
    { billingPeriod: v.billing_period, priceMinor: v.price_minor, includedVisits: v.included_visits, overAllowance: v.over_allowance, overagePriceMinor: v.overage_price_minor },
    versionServiceIds(ctx.db, v.id),
  );

function changedTerms(a: ReturnType<typeof termsOf>, b: ReturnType<typeof termsOf>): string[] {
  return (Object.keys(a) as (keyof typeof a)[]).filter((k) => a[k] !== b[k]);
}

function resolveServices(ctx: Ctx, code: string, v: VersionData): Service[] {
  return v.services.map((sku) => {
    const service = sqlGet<Service>(ctx.db, 'SELECT id, sku, name, active FROM hs_services WHERE sku = ?', sku);
    if (!service) throw refuse(code, `the version from ${v.effectiveFrom} covers the service ${sku}, which is not in this branch's catalogue (publish the service first)`);
    return service;
  });
}

/** A version the branch adds must be sellable: every service it covers still offered here. */
function addable(code: string, v: VersionData, services: readonly Service[]) {
  const inactive = services.find((s) => s.active !== 1);
  if (inactive) throw refuse(code, `the version from ${v.effectiveFrom} covers the service ${inactive.sku} (${inactive.name}), which is no longer offered here`);
  return {
    effectiveFrom: v.effectiveFrom,
    billingPeriod: v.billingPeriod,
    priceMinor: v.priceMinor,
    includedVisits: v.includedVisits,
    overAllowance: v.overAllowance,
    ...(v.overagePriceMinor !== undefined ? { overagePriceMinor: v.overagePriceMinor } : {}),
    serviceIds: services.map((s) => s.id),
  };
}

export const planMasterDataType = defineMasterDataType({
  entity: PLAN_ENTITY,
  label: 'subscription plan',
  data: planMasterData,
  ownership: 'type',
  upsert(ctx: Ctx, hqCode: string, data: PlanMasterData, localId: string | null): string {
    const code = hqCode.trim().toUpperCase();
    if (!CODE.test(code)) throw refuse(hqCode, 'a plan code is 2–20 letters, digits and dashes');
    const row = (localId ? findPlanRow(ctx.db, localId) : undefined) ?? sqlGet<HsPlansTable>(ctx.db, 'SELECT * FROM hs_plans WHERE code = ?', code);
    const versions = [...data.versions].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
    const resolved = versions.map((v) => ({ data: v, services: resolveServices(ctx, code, v) }));
    const author = () => hqActorId(ctx);

    if (!row) {
      const id = newId();
      sqlRun(
        ctx.db,
        `INSERT INTO hs_plans (id, branch_id, code, name, description, status, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)`,
        id,
        ctx.branch.id,
        code,
        data.name,
        data.description || null,
        data.status,
        ctx.nowIso,
        ctx.nowIso,
      );
      const by = author();
      for (const v of resolved) insertVersion(ctx, id, addable(code, v.data, v.services), by);
      ctx.audit({ entity: PLAN_ENTITY, entityId: id, action: 'created by HQ', after: findPlan(ctx.db, id, today(ctx))! });
      return id;
    }

    const before = findPlan(ctx.db, row.id, today(ctx))!;
    const here = sqlAll<HsPlanVersionsTable>(ctx.db, 'SELECT * FROM hs_plan_versions WHERE plan_id = ? ORDER BY effective_from', row.id);
    const latest = here.at(-1);
    const toAdd: ReturnType<typeof addable>[] = [];
    for (const v of resolved) {
      const same = here.find((h) => h.effective_from === v.data.effectiveFrom);
      if (same) {
        const changed = changedTerms(rowTerms(ctx, same), termsOf({ ...v.data, overagePriceMinor: v.data.overagePriceMinor ?? null }, v.services.map((s) => s.id)));
        if (changed.length > 0) {
          throw refuse(code, `the version from ${v.data.effectiveFrom} here has another ${changed.join(', ')}; versions are never edited: publish a new version from a later date`);
        }
        continue;
      }
      if (latest && v.data.effectiveFrom < latest.effective_from) {
        throw refuse(
          code,
          `a version from ${v.data.effectiveFrom} would come before the latest one here (${latest.effective_from}) and change what periods already billed were based on; publish a version from a later date`,
        );
      }
      toAdd.push(addable(code, v.data, v.services));
    }
    if (toAdd.length > 0) {
      const by = author();
      for (const v of toAdd) insertVersion(ctx, row.id, v, by);
    }
    sqlRun(
      ctx.db,
      'UPDATE hs_plans SET code = ?, name = ?, description = ?, status = ?, version = version + 1, updated_at = ? WHERE id = ?',
      code,
      data.name,
      data.description || null,
      data.status,
      ctx.nowIso,
      row.id,
    );
    ctx.audit({
      entity: PLAN_ENTITY,
      entityId: row.id,
      action: localId ? 'updated by HQ' : 'taken over by HQ',
      before,
      after: findPlan(ctx.db, row.id, today(ctx))!,
      ...(toAdd.length > 0 ? { reason: `New version${toAdd.length === 1 ? '' : 's'} from ${toAdd.map((v) => v.effectiveFrom).join(', ')}` } : {}),
    });
    return row.id;
  },
  remove(ctx: Ctx, _hqCode: string, localId: string): void {
    const before = findPlan(ctx.db, localId, today(ctx));
    if (!before) return;
    sqlRun(ctx.db, `UPDATE hs_plans SET status = 'retired', version = version + 1, updated_at = ? WHERE id = ?`, ctx.nowIso, localId);
    ctx.audit({ entity: PLAN_ENTITY, entityId: localId, action: 'retired by HQ', before, after: findPlan(ctx.db, localId, today(ctx))! });
  },
});
