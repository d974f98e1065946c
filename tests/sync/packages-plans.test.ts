import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlAll } from '../../src-main/core/db/store';
import type { Service } from '../../src-shared/contracts/home-services/master-data';
import type { PackageType, SaleReceipt } from '../../src-shared/contracts/home-services/packages';
import type { Plan } from '../../src-shared/contracts/home-services/subscriptions';
import type { SyncException, SyncStatus } from '../../src-shared/contracts/sync';
import type { TestApp } from '../support/app';
import { callAs, freshCustomer, idempotencyKey, okAs, type FieldFixture } from '../support/home-services';
import { ensureShift, fixture, packageType } from '../support/samples/packages';
import { plan, subscribe } from '../support/samples/subscriptions';
import { connect, openBranch, syncOnce } from './support/branch';
import { startTestHq, type TestHq } from './support/hq';

/**
 * Home-services package types and subscription plans as master data owned by HQ: HQ publishes a
 * package and a plan by code, the branch sells and subscribes on HQ's terms after sync, and can no
 * longer create or change either itself. Terms customers bought here stay frozen: HQ changing them
 * is held back. (HQ's side of master data is the same log for every type; it is tested on
 * PostgreSQL by master-data.test.ts and tariffs.test.ts.)
 */
let t: TestApp;
let hq: TestHq;
let f: FieldFixture;
let ownType: PackageType;
let ownPlan: Plan;
let today: string;
beforeAll(async () => {
  t = openBranch();
  f = fixture(t);
  ensureShift(t);
  today = new Intl.DateTimeFormat('en-CA', { timeZone: t.kernel.branch().timeZone }).format(t.kernel.clock());
  // The branch's own package and plan from before HQ took them over.
  ownType = packageType(t, { code: 'REPAIR-5', name: 'Repairs ×5 (branch)' });
  ownPlan = plan(t, { code: 'CARE', name: 'Care (branch)', effectiveFrom: today, priceMinor: 29_900 });
  hq = await startTestHq('sqlite', null);
  connect(t, hq.url, await hq.register(t));
});
afterAll(async () => {
  await hq?.close();
  await t?.close();
});

const types = () => okAs<PackageType[]>(t, 'cashier', 'homeServices.packages.types.list', {});
const typeByCode = (code: string) => types().find((x) => x.code === code)!;
const plans = () => okAs<Plan[]>(t, 'cashier', 'homeServices.subscriptions.plans.list', { includeRetired: true });
const planByCode = (code: string) => plans().find((p) => p.code === code)!;
const heldBack = () => t.ok<{ rows: SyncException[] }>('admin', 'sync.exceptions', {}).rows.filter((e) => e.kind === 'masterData.unapplied' && e.status === 'open');
const masterCursor = () => t.ok<SyncStatus>('admin', 'sync.status', {}).masterCursor;
const sell = (packageTypeId: string) =>
  callAs(t, 'cashier', 'homeServices.packages.sell', { customerId: freshCustomer(t, 'north').id, packageTypeId, tender: 'card' }, { idempotencyKey: idempotencyKey() });

/** HQ's repair package: six repairs for 1,200.00, valid 120 days. HQ names services by SKU. */
const hqRepair = (over: Record<string, unknown> = {}) => ({
  name: 'Repairs ×6 (HQ)',
  description: 'Six leak repairs',
  priceMinor: 120_000,
  poolKind: 'per_service',
  services: [{ sku: f.services.repair.sku, sessions: 6 }],
  validityKind: 'days_from_purchase',
  validityDays: 120,
  ...over,
});
const hqPool = (over: Record<string, unknown> = {}) => ({
  name: 'Home care pool',
  priceMinor: 200_000,
  poolKind: 'shared_pool',
  poolSessions: 8,
  services: [{ sku: f.services.repair.sku }, { sku: f.services.inspect.sku }],
  validityKind: 'days_from_first_use',
  validityDays: 365,
  ...over,
});
const planVersion = (over: Record<string, unknown> = {}) => ({
  effectiveFrom: '2025-01-01',
  billingPeriod: 'monthly',
  priceMinor: 45_000,
  includedVisits: 3,
  overAllowance: 'charge',
  services: [f.services.repair.sku],
  ...over,
});

describe('package types and plans from HQ', () => {
  it('HQ publishes a package and a plan; after sync the branch sells and subscribes on HQ’s terms', async () => {
    await hq.publish({
      changes: [
        { entity: 'packageType', entityId: 'REPAIR-5', data: hqRepair() },
        { entity: 'packageType', entityId: 'POOL-HQ', data: hqPool() },
        { entity: 'subscriptionPlan', entityId: 'HQ-GOLD', data: { name: 'Gold care', versions: [planVersion()] } },
        // The branch's own plan: HQ confirms its version and adds a later one.
        {
          entity: 'subscriptionPlan',
          entityId: 'care',
          data: { name: 'Care (HQ)', versions: [planVersion({ effectiveFrom: today, priceMinor: 29_900, includedVisits: 2 }), planVersion({ effectiveFrom: '2099-01-01', priceMinor: 31_900, includedVisits: 2 })] },
        },
      ],
    });
    const result = await syncOnce(t);
    expect([result.outcome, result.masterApplied]).toEqual(['succeeded', 4]);

    // The branch's package of the same code is taken over, not duplicated.
    const repair = types().filter((x) => x.code === 'REPAIR-5');
    expect(repair.map((x) => [x.id, x.name, x.priceMinor, x.sessionsTotal, x.validityDays])).toEqual([[ownType.id, 'Repairs ×6 (HQ)', 120_000, 6, 120]]);
    expect(typeByCode('POOL-HQ')).toMatchObject({ poolKind: 'shared_pool', poolSessions: 8, status: 'on_sale' });
    expect(t.ok<{ entityId: string }[]>('cashier', 'sync.ownership', { entity: 'packageType' }).map((o) => o.entityId)).toContain('*');

    // A sale works on HQ's terms, although it journals the type (its terms freeze with it).
    const sale = sell(ownType.id);
    expect(sale.ok ? null : sale.error).toBeNull();
    const receipt = (sale.ok ? sale.result : null) as SaleReceipt;
    expect([receipt.amount, receipt.lines]).toEqual([120_000, [{ label: expect.any(String), sessions: 6 }]]);
    expect(typeByCode('REPAIR-5').firstSoldAt).not.toBeNull();
    const frozen = sqlAll<{ action: string }>(t.kernel.db, `SELECT action FROM audit_events WHERE entity = 'packageType' AND entity_id = ? ORDER BY seq`, ownType.id).map((e) => e.action);
    expect(frozen.slice(-2)).toEqual(['taken over by HQ', 'terms frozen by the first sale']);

    // Subscribing on HQ's plan bills HQ's price; HQ is the author of the versions it sent.
    const gold = planByCode('HQ-GOLD');
    expect(gold.current).toMatchObject({ effectiveFrom: '2025-01-01', priceMinor: 45_000, includedVisits: 3 });
    const { subscription } = subscribe(t, freshCustomer(t, 'north').id, gold.id);
    expect([subscription.planCode, subscription.priceMinor, subscription.includedVisits]).toEqual(['HQ-GOLD', 45_000, 3]);
    const authors = sqlAll<{ created_by: string }>(t.kernel.db, 'SELECT DISTINCT created_by FROM hs_plan_versions WHERE plan_id = ?', gold.id);
    expect(authors).toEqual([{ created_by: 'hq-master-data' }]);

    const care = planByCode('CARE');
    expect([care.id, care.name, care.versions.map((v) => [v.effectiveFrom, v.priceMinor])]).toEqual([
      ownPlan.id,
      'Care (HQ)',
      [
        ['2099-01-01', 31_900],
        [today, 29_900],
      ],
    ]);
  });

  it('refuses package and plan edits at the branch once HQ owns them, and changes nothing', () => {
    const typesBefore = types();
    const plansBefore = plans();
    const pool = typeByCode('POOL-HQ');
    const gold = planByCode('HQ-GOLD');
    const refusals = [
      callAs(t, 'supervisor', 'homeServices.packages.types.create', {
        code: 'LOCAL-1',
        name: 'Local package',
        priceMinor: 1,
        poolKind: 'per_service',
        services: [{ serviceId: f.services.repair.id, sessions: 1 }],
        validityKind: 'days_from_purchase',
        validityDays: 30,
      }),
      callAs(t, 'supervisor', 'homeServices.packages.types.update', {
        id: pool.id,
        version: pool.version,
        name: 'Cheaper pool',
        priceMinor: 1,
        poolKind: 'shared_pool',
        poolSessions: 8,
        services: [{ serviceId: f.services.repair.id }],
        validityKind: 'days_from_first_use',
        validityDays: 365,
      }),
      callAs(t, 'supervisor', 'homeServices.packages.types.setStatus', { id: pool.id, version: pool.version, status: 'withdrawn' }),
      callAs(t, 'supervisor', 'homeServices.subscriptions.plans.create', {
        code: 'LOCAL-P',
        name: 'Local plan',
        effectiveFrom: today,
        billingPeriod: 'monthly',
        priceMinor: 1,
        includedVisits: 1,
        serviceIds: [f.services.repair.id],
      }),
      callAs(t, 'supervisor', 'homeServices.subscriptions.plans.addVersion', {
        id: gold.id,
        version: gold.version,
        effectiveFrom: '2099-06-01',
        billingPeriod: 'monthly',
        priceMinor: 1,
        includedVisits: 1,
        serviceIds: [f.services.repair.id],
      }),
      callAs(t, 'supervisor', 'homeServices.subscriptions.plans.setStatus', { id: gold.id, version: gold.version, status: 'retired' }),
    ];
    expect(refusals.map((r) => (r.ok ? 'ok' : `${r.error.code}: ${/owned by HQ/.test(r.error.message)}`))).toEqual(Array(6).fill('FORBIDDEN: true'));
    expect(refusals[0]!.ok ? '' : refusals[0]!.error.message).toMatch(/package type is owned by HQ/);
    expect(refusals[3]!.ok ? '' : refusals[3]!.error.message).toMatch(/subscription plan is owned by HQ/);
    expect(types()).toEqual(typesBefore);
    expect(plans()).toEqual(plansBefore);
  });

  it('holds back HQ changing the terms of a package sold here, and the branch keeps selling the old terms', async () => {
    const sold = typeByCode('REPAIR-5');
    const pool = typeByCode('POOL-HQ');
    const before = masterCursor();
    const [held] = await hq.publish({
      changes: [
        { entity: 'packageType', entityId: 'REPAIR-5', data: hqRepair({ priceMinor: 150_000 }) },
        // Published after it: waits behind it, the cursor stops before the held change.
        { entity: 'packageType', entityId: 'POOL-HQ', data: hqPool({ name: 'Home care pool (renamed)' }) },
      ],
    });
    const result = await syncOnce(t);
    expect([result.outcome, result.masterApplied]).toEqual(['blocked', 0]);
    expect(masterCursor()).toBe(before);
    expect(held).toBe(before + 1);
    const exceptions = heldBack();
    expect(exceptions).toHaveLength(1);
    expect(exceptions[0]!.message).toMatch(/HQ's package REPAIR-5: it was first sold here on \d{4}-\d{2}-\d{2}; its terms are frozen \(HQ changes its price\): publish a new package code/);
    expect(typeByCode('POOL-HQ').name).toBe(pool.name);

    const sale = sell(sold.id);
    expect(sale.ok ? (sale.result as SaleReceipt).amount : sale.error).toBe(120_000);

    // Skipped at the branch: what came after it applies.
    const exception = exceptions[0]!;
    t.ok('admin', 'sync.resolveException', { id: exception.id, version: exception.version, note: 'HQ publishes a new package code instead', skipChange: true });
    expect((await syncOnce(t)).outcome).toBe('succeeded');
    expect(typeByCode('POOL-HQ').name).toBe('Home care pool (renamed)');
    expect(typeByCode('REPAIR-5').priceMinor).toBe(120_000);
  });

  it('applies a new name and description of a sold package: only its terms are frozen', async () => {
    await hq.publish({ changes: [{ entity: 'packageType', entityId: 'REPAIR-5', data: hqRepair({ name: 'Six repairs', description: 'Renamed by HQ' }) }] });
    expect((await syncOnce(t)).outcome).toBe('succeeded');
    expect(typeByCode('REPAIR-5')).toMatchObject({ name: 'Six repairs', description: 'Renamed by HQ', priceMinor: 120_000, status: 'on_sale' });
  });

  it('holds back a plan version HQ edited and a package naming a SKU the branch does not have', async () => {
    await hq.publish({ changes: [{ entity: 'subscriptionPlan', entityId: 'HQ-GOLD', data: { name: 'Gold care', versions: [planVersion({ priceMinor: 40_000 })] } }] });
    expect((await syncOnce(t)).outcome).toBe('blocked');
    const [version] = heldBack();
    expect(version!.message).toMatch(/HQ's plan HQ-GOLD: the version from 2025-01-01 here has another price; versions are never edited: publish a new version/);
    expect(planByCode('HQ-GOLD').current!.priceMinor).toBe(45_000);
    t.ok('admin', 'sync.resolveException', { id: version!.id, version: version!.version, note: 'Published as a new version', skipChange: true });

    // A version slipped in before the latest one here would change what later periods were based on.
    const care = planByCode('CARE');
    await hq.publish({ changes: [{ entity: 'subscriptionPlan', entityId: 'CARE', data: { name: 'Care (HQ)', versions: [planVersion({ effectiveFrom: '2098-01-01', priceMinor: 30_900 })] } }] });
    expect((await syncOnce(t)).outcome).toBe('blocked');
    const [backDated] = heldBack();
    expect(backDated!.message).toMatch(/HQ's plan CARE: a version from 2098-01-01 would come before the latest one here \(2099-01-01\)/);
    expect(planByCode('CARE').versions).toEqual(care.versions);
    t.ok('admin', 'sync.resolveException', { id: backDated!.id, version: backDated!.version, note: 'Published from 2100 instead', skipChange: true });

    await hq.publish({ changes: [{ entity: 'packageType', entityId: 'GHOST', data: hqRepair({ services: [{ sku: 'NO-SUCH-SKU', sessions: 1 }] }) }] });
    expect((await syncOnce(t)).outcome).toBe('blocked');
    const [sku] = heldBack();
    expect(sku!.message).toMatch(/HQ's package GHOST: its service NO-SUCH-SKU is not in this branch's catalogue/);
    expect(types().some((x) => x.code === 'GHOST')).toBe(false);
    t.ok('admin', 'sync.resolveException', { id: sku!.id, version: sku!.version, note: 'Typo at HQ', skipChange: true });

    // A service the branch no longer offers cannot be in a package put on sale here.
    const camera = t.ok<Service[]>('admin', 'homeServices.services.list', {}).find((x) => x.id === f.services.camera.id)!;
    const { name, category, durationMinutes, bufferMinutes, priceMinor, slotCapacity } = camera;
    const requiredSkills = camera.requiredSkills.map((r) => ({ skill: r.skill, minLevel: r.minLevel }));
    t.ok('admin', 'homeServices.services.update', { id: camera.id, version: camera.version, active: false, name, category, durationMinutes, bufferMinutes, priceMinor, slotCapacity, requiredSkills });
    await hq.publish({ changes: [{ entity: 'packageType', entityId: 'CAMERA-2', data: hqRepair({ services: [{ sku: camera.sku, sessions: 2 }] }) }] });
    expect((await syncOnce(t)).outcome).toBe('blocked');
    const [inactive] = heldBack();
    expect(inactive!.message).toMatch(new RegExp(`HQ's package CAMERA-2: its service ${camera.sku} \\(Drain camera survey\\) is no longer offered here`));
    t.ok('admin', 'sync.resolveException', { id: inactive!.id, version: inactive!.version, note: 'HQ withdraws it', skipChange: true });
  });

  it('withdraws a package and retires a plan HQ deletes; what was sold continues', async () => {
    const gold = planByCode('HQ-GOLD');
    await hq.publish({
      changes: [
        { entity: 'packageType', entityId: 'REPAIR-5', op: 'delete' },
        { entity: 'subscriptionPlan', entityId: 'HQ-GOLD', op: 'delete' },
      ],
    });
    expect((await syncOnce(t)).outcome).toBe('succeeded');
    expect(typeByCode('REPAIR-5').status).toBe('withdrawn');
    const refused = sell(typeByCode('REPAIR-5').id);
    expect(refused.ok ? 'sold' : refused.error.details?.rule).toBe('package.withdrawn');
    expect(planByCode('HQ-GOLD')).toMatchObject({ status: 'retired', activeSubscriptions: gold.activeSubscriptions });
    expect(gold.activeSubscriptions).toBe(1);
    expect(plans().filter((p) => p.status === 'active').some((p) => p.code === 'HQ-GOLD')).toBe(false);
  });
});
