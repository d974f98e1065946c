import type { z } from 'zod';
import { AppError } from '../../../../src-shared/errors';
import * as C from '../../../../src-shared/contracts/home-services/master-data';
import { sqlGet, sqlRun } from '../../../core/db/store';
import type { Ctx } from '../../../core/rpc/context';
import { defineMasterDataType } from '../../../sync/master-data-types';
import { findService } from './queries';
import { insertServiceRow, updateServiceRow } from './service-rows';

/**
 * The service catalogue as HQ-owned master data. HQ names a service by its SKU and sends what the
 * branch's service form holds (name, category, duration, buffer, price, required skills, slot
 * capacity, active). Once HQ has sent one, HQ owns the whole catalogue (`ownership: 'type'`):
 * adding or changing a service here answers FORBIDDEN "owned by HQ". A service the branch already
 * has under that SKU is taken over, not duplicated; bookings already made keep the duration and
 * price they were made with, as with an edit at the branch. HQ withdrawing a service deactivates it.
 */
export const serviceMasterData = C.servicesUpdate.input.omit({ id: true, version: true });
export type ServiceMasterData = z.output<typeof serviceMasterData>;

const SKU = /^[A-Z0-9-]{2,20}$/;
const ENTITY = 'hsService';

export const serviceMasterDataType = defineMasterDataType({
  entity: ENTITY,
  label: 'service',
  data: serviceMasterData,
  ownership: 'type',
  upsert(ctx: Ctx, hqSku: string, data: ServiceMasterData, localId: string | null): string {
    const sku = hqSku.trim().toUpperCase();
    if (!SKU.test(sku)) throw new AppError('VALIDATION', `HQ's service ${hqSku}: a SKU is 2–20 letters, digits and dashes`);
    const row =
      (localId ? sqlGet<{ id: string }>(ctx.db, 'SELECT id FROM hs_services WHERE id = ?', localId) : undefined) ??
      sqlGet<{ id: string }>(ctx.db, 'SELECT id FROM hs_services WHERE sku = ?', sku);
    if (row) {
      const before = findService(ctx.db, row.id)!;
      updateServiceRow(ctx, row.id, data, sku);
      ctx.audit({ entity: ENTITY, entityId: row.id, action: 'updated by HQ', before, after: findService(ctx.db, row.id)! });
      return row.id;
    }
    const id = insertServiceRow(ctx, sku, data);
    ctx.audit({ entity: ENTITY, entityId: id, action: 'created by HQ', after: findService(ctx.db, id)! });
    return id;
  },
  remove(ctx: Ctx, _hqSku: string, localId: string): void {
    const before = findService(ctx.db, localId);
    if (!before) return;
    sqlRun(ctx.db, 'UPDATE hs_services SET active = 0, version = version + 1, updated_at = ? WHERE id = ?', ctx.nowIso, localId);
    ctx.audit({ entity: ENTITY, entityId: localId, action: 'withdrawn by HQ', before, after: findService(ctx.db, localId)! });
  },
});
