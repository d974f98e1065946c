import { z } from 'zod';
import { AppError } from '../../../../src-shared/errors';
import { packageTypeCreateInput, type PackageType } from '../../../../src-shared/contracts/home-services/packages';
import type { Ctx } from '../../../core/rpc/context';
import { localDateOf } from '../../../reporting/periods';
import { defineMasterDataType } from '../../../sync/master-data-types';
import { sqlGet, sqlRun } from '../../energy/billing/sql';
import { FIRST_SALE_ACTION, TYPE_ENTITY } from './names';
import { findPackageType, findTypeRow } from './queries';
import { insertType, writeTypeTerms } from './service';
import type { HsPackageTypesTable } from './tables';

/**
 * Package types as HQ-owned master data. HQ names a package by its code and sends what the
 * branch's package form holds, except that services are named by SKU (HQ does not know the
 * branch's ids), plus whether it is on sale. Once HQ has sent one, HQ owns every package type here
 * (`ownership: 'type'`): creating, editing, withdrawing or putting one back on sale at the branch
 * answers FORBIDDEN "owned by HQ". Selling one stays allowed, although the first sale journals the
 * type (it freezes its terms): that is operation, not an edit.
 *
 * A type the branch already has under that code is taken over, not duplicated. Terms customers
 * bought here are frozen (`first_sold_at`, enforced by triggers): HQ changing the terms of a package
 * sold here is held back as a sync exception (publish a new code), while its name, description and
 * on-sale status still apply. HQ deleting a package withdraws it from sale; packages sold stay valid.
 */
const { code: _code, services: _services, ...fields } = packageTypeCreateInput.shape;

const SKU = z.string().trim().toUpperCase().min(2).max(20);

export const packageTypeMasterData = z.strictObject({
  ...fields,
  services: z
    .array(z.strictObject({ sku: SKU, sessions: z.number().int().min(1).max(500).optional() }))
    .min(1, 'Choose at least one service')
    .max(20)
    .refine((s) => new Set(s.map((x) => x.sku)).size === s.length, 'Each service once'),
  status: z.enum(['on_sale', 'withdrawn']).default('on_sale'),
});
export type PackageTypeMasterData = z.output<typeof packageTypeMasterData>;

type TypeInput = z.output<typeof packageTypeCreateInput>;

const CODE = /^[A-Z0-9-]{2,20}$/;

const refuse = (code: string, message: string) => new AppError('VALIDATION', `HQ's package ${code}: ${message}`);

/** The terms a sale freezes, in one comparable shape (the trigger's columns and the services). */
function termsOf(t: Pick<PackageType, 'priceMinor' | 'poolKind' | 'poolSessions' | 'validityKind' | 'validityDays' | 'validUntil' | 'purchaseLimit' | 'lateCancelConsumes' | 'noShowConsumes'>, services: { serviceId: string; sessions: number | null }[]) {
  return {
    price: t.priceMinor,
    'pool size': t.poolKind === 'shared_pool' ? `${t.poolSessions} in a shared pool` : 'per service',
    validity: t.validityKind === 'fixed_date' ? `until ${t.validUntil}` : `${t.validityDays} ${t.validityKind}`,
    'purchase limit': t.purchaseLimit ?? null,
    'late cancellation rule': t.lateCancelConsumes,
    'no-show rule': t.noShowConsumes,
    services: services
      .map((s) => `${s.serviceId}×${t.poolKind === 'shared_pool' ? '-' : (s.sessions ?? '-')}`)
      .sort()
      .join(','),
  };
}

function inputTerms(input: TypeInput) {
  return termsOf(
    {
      priceMinor: input.priceMinor,
      poolKind: input.poolKind,
      poolSessions: input.poolSessions ?? null,
      validityKind: input.validityKind,
      validityDays: input.validityDays ?? null,
      validUntil: input.validUntil ?? null,
      purchaseLimit: input.purchaseLimit ?? null,
      lateCancelConsumes: input.lateCancelConsumes,
      noShowConsumes: input.noShowConsumes,
    },
    input.services.map((s) => ({ serviceId: s.serviceId, sessions: s.sessions ?? null })),
  );
}

const rowTerms = (type: PackageType) => termsOf(type, type.services);

/** The names of the terms that differ ("price, services"), or none. */
function changedTerms(a: ReturnType<typeof termsOf>, b: ReturnType<typeof termsOf>): string[] {
  return (Object.keys(a) as (keyof typeof a)[]).filter((k) => a[k] !== b[k]);
}

/**
 * HQ's data as the branch's own form would send it: services by id. A SKU this branch does not
 * have is refused; one it no longer offers is refused unless the package covers it here already
 * (terms HQ merely confirms stay valid when a service is withdrawn later).
 */
function toInput(ctx: Ctx, code: string, data: PackageTypeMasterData, existing: PackageType | undefined): TypeInput {
  const services = data.services.map((s) => {
    const service = sqlGet<{ id: string; name: string; active: number }>(ctx.db, 'SELECT id, name, active FROM hs_services WHERE sku = ?', s.sku);
    if (!service) throw refuse(code, `its service ${s.sku} is not in this branch's catalogue (publish the service first)`);
    if (service.active !== 1 && !existing?.services.some((x) => x.serviceId === service.id)) {
      throw refuse(code, `its service ${s.sku} (${service.name}) is no longer offered here`);
    }
    return { serviceId: service.id, ...(s.sessions !== undefined ? { sessions: s.sessions } : {}) };
  });
  const { status: _status, services: _s, ...rest } = data;
  // The branch form's own shape rules (a pool has a size, a fixed date no number of days, ...).
  const parsed = packageTypeCreateInput.safeParse({ ...rest, code, services });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw refuse(code, `${issue.path.join('.') || 'data'}: ${issue.message}`);
  }
  return parsed.data;
}

/** New terms (a new package, or terms changed before the first sale) must be sellable today. */
function checkSellable(ctx: Ctx, code: string, input: TypeInput, status: string): void {
  if (status === 'on_sale' && input.validityKind === 'fixed_date' && input.validUntil! < localDateOf(ctx.now, ctx.branch.timeZone)) {
    throw refuse(code, `it is valid until ${input.validUntil}, which has passed here: nobody could use it`);
  }
}

export const packageTypeMasterDataType = defineMasterDataType({
  entity: TYPE_ENTITY,
  label: 'package type',
  data: packageTypeMasterData,
  ownership: 'type',
  // The first sale stamps the type (its terms freeze): the counter's work, not an edit of HQ's data.
  operational: (event) => event.action === FIRST_SALE_ACTION,
  upsert(ctx: Ctx, hqCode: string, data: PackageTypeMasterData, localId: string | null): string {
    const code = hqCode.trim().toUpperCase();
    if (!CODE.test(code)) throw refuse(hqCode, 'a package code is 2–20 letters, digits and dashes');
    const row =
      (localId ? findTypeRow(ctx.db, localId) : undefined) ?? sqlGet<HsPackageTypesTable>(ctx.db, 'SELECT * FROM hs_package_types WHERE code = ?', code);
    const before = row ? findPackageType(ctx.db, row.id)! : undefined;
    const input = toInput(ctx, code, data, before);

    if (!row || !before) {
      checkSellable(ctx, code, input, data.status);
      const id = insertType(ctx, input, data.status);
      ctx.audit({ entity: TYPE_ENTITY, entityId: id, action: 'created by HQ', after: findPackageType(ctx.db, id)! });
      return id;
    }

    const changed = changedTerms(rowTerms(before), inputTerms(input));
    if (changed.length > 0) {
      if (row.first_sold_at !== null) {
        throw refuse(
          code,
          `it was first sold here on ${localDateOf(row.first_sold_at, ctx.branch.timeZone)}; its terms are frozen (HQ changes its ${changed.join(', ')}): publish a new package code`,
        );
      }
      checkSellable(ctx, code, input, data.status);
      writeTypeTerms(ctx, row.id, input);
    }
    sqlRun(
      ctx.db,
      'UPDATE hs_package_types SET code = ?, name = ?, description = ?, status = ?, version = version + 1, updated_at = ? WHERE id = ?',
      code,
      input.name,
      input.description || null,
      data.status,
      ctx.nowIso,
      row.id,
    );
    ctx.audit({ entity: TYPE_ENTITY, entityId: row.id, action: localId ? 'updated by HQ' : 'taken over by HQ', before, after: findPackageType(ctx.db, row.id)! });
    return row.id;
  },
  remove(ctx: Ctx, _hqCode: string, localId: string): void {
    const before = findPackageType(ctx.db, localId);
    if (!before) return;
    sqlRun(ctx.db, `UPDATE hs_package_types SET status = 'withdrawn', version = version + 1, updated_at = ? WHERE id = ?`, ctx.nowIso, localId);
    ctx.audit({ entity: TYPE_ENTITY, entityId: localId, action: 'withdrawn from sale by HQ', before, after: findPackageType(ctx.db, localId)! });
  },
});
