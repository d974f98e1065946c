import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { ROLE_KEYS, permissionKey } from '../../src-shared/permissions';
import { DEFAULT_ROLES } from '../../src-main/core/auth/default-roles';
import { DEMO_USERS } from '../../src-main/demo';
import { sqlAll, sqlGet } from '../../src-main/core/db/store';
import { openTestApp, type TestApp } from '../support/app';
import { exemptFromSamples, samples } from '../support/samples';

/**
 * Tests driven by the procedure catalogue: they cover every procedure registered today and every
 * one added later, without being edited.
 */
let t: TestApp;
beforeAll(() => {
  t = openTestApp();
});
afterAll(async () => {
  await t.close();
});

const procedures = () => t.kernel.registry.all().filter((r) => !r.contract.internal);
const mutations = () => t.kernel.registry.all().filter((r) => r.contract.kind === 'mutation');

function fingerprint(): string {
  const tables = sqlAll<{ name: string }>(t.kernel.db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('sessions') ORDER BY name`);
  const h = createHash('sha256');
  for (const { name } of tables) h.update(name).update(JSON.stringify(sqlAll(t.kernel.db, `SELECT * FROM "${name}"`)));
  return h.digest('hex');
}
const headSeq = () => sqlGet<{ s: number | null }>(t.kernel.db, 'SELECT max(seq) AS s FROM audit_events')!.s ?? 0;

describe('every procedure × every seeded role', () => {
  it('is allowed or refused exactly as the permission matrix says', () => {
    const username = (role: string) => DEMO_USERS.find((u) => u.roleKey === role)!.username;
    let checked = 0;
    for (const role of ROLE_KEYS) {
      const granted = new Set<string>(DEFAULT_ROLES.find((r) => r.key === role)!.permissions);
      for (const { contract } of procedures()) {
        // An unknown field passes authorization but fails validation, so nothing ever runs here.
        const answer = t.call(username(role), contract.name, { __probe: 1 });
        expect(answer.ok, contract.name).toBe(false);
        if (answer.ok) continue;
        const access = contract.access;
        const allowed = access.kind !== 'permission' || granted.has(permissionKey(access.fn, access.verb));
        expect([contract.name, role, answer.error.code]).toEqual([contract.name, role, allowed ? 'VALIDATION' : 'FORBIDDEN']);
        checked += 1;
      }
    }
    expect(checked).toBe(ROLE_KEYS.length * procedures().length);
  });
});

describe('every mutation', () => {
  it('has a sample call (add one to tests/support/samples.ts with each new mutation)', () => {
    const missing = mutations()
      .map((m) => m.contract.name)
      .filter((name) => !samples[name] && !exemptFromSamples[name]);
    expect(missing).toEqual([]);
  });

  it('appends its audit events in the same transaction as its data, and none when it fails', { timeout: 600_000 }, async () => {
    for (const m of mutations()) {
      const sample = samples[m.contract.name];
      if (!sample) continue;
      const call = sample(t);
      // Jobs started by earlier samples write from their workers; let them finish first.
      await t.kernel.jobs.idle();
      // Sign in first: the fault below must hit the sampled call, not the login it would trigger.
      if (call.as && m.contract.name !== 'auth.login') t.login(call.as);

      // 1. A fault after the handler: nothing of the call may remain, journal included.
      const before = fingerprint();
      const seqBefore = headSeq();
      t.kernel.faults = {
        afterHandler: () => {
          throw new Error('injected fault');
        },
      };
      const failed = t.call(call.as, m.contract.name, call.input, call.meta);
      t.kernel.faults = undefined;
      expect([m.contract.name, failed.ok ? 'ok' : failed.error.code]).toEqual([m.contract.name, 'INTERNAL']);
      expect(headSeq(), m.contract.name).toBe(seqBefore);
      expect(fingerprint(), `${m.contract.name} left data behind after a failure`).toBe(before);

      // 2. The same call for real: it commits with at least one event of its own.
      const seq = headSeq();
      const answer = t.call(call.as, m.contract.name, call.input, call.meta);
      expect([m.contract.name, answer.ok ? 'ok' : answer.error]).toEqual([m.contract.name, 'ok']);
      const events = sqlAll<{ procedure: string }>(t.kernel.db, 'SELECT procedure FROM audit_events WHERE seq > ?', seq);
      expect(events.length, m.contract.name).toBeGreaterThan(0);
      expect(events.every((e) => e.procedure === m.contract.name)).toBe(true);
    }
  });
});

describe('every procedure under generated input', () => {
  const hostile = fc.oneof(
    fc.anything(),
    fc.dictionary(fc.string(), fc.anything()),
    fc.record({
      id: fc.oneof(fc.string({ maxLength: 5000 }), fc.integer(), fc.constant(null)),
      version: fc.oneof(fc.integer(), fc.double(), fc.string()),
      limit: fc.oneof(fc.integer({ min: -1e9, max: 1e9 }), fc.constant(Number.MAX_SAFE_INTEGER)),
      cursor: fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 50 })),
      from: fc.oneof(fc.string(), fc.constant('2026-02-30'), fc.constant('9999-99-99')),
      search: fc.oneof(fc.string({ unit: 'binary', maxLength: 100 }), fc.constant("'; DROP TABLE users; --"), fc.constant('%_\\')),
    }, { requiredKeys: [] }),
    fc.constantFrom('a'.repeat(100_001), '𝔘\u202e'.repeat(40_000), '\u0000'.repeat(1000)).map((s) => ({ name: s, username: s, search: s, id: s })),
  );

  it('never answers INTERNAL and leaves the server working', { timeout: 900_000 }, () => {
    const names = procedures().map((p) => p.contract.name).filter((n) => n !== 'auth.logout');
    for (const name of names) {
      fc.assert(
        fc.property(hostile, (input) => {
          const answer = t.call('admin', name, input);
          if (!answer.ok && answer.error.code === 'INTERNAL') throw new Error(`${name} answered INTERNAL for ${JSON.stringify(input).slice(0, 300)}`);
        }),
        { numRuns: 200 },
      );
    }
    expect(t.call('admin', 'system.status', {}).ok).toBe(true);
    expect(t.ok<{ ok: boolean }>('admin', 'audit.verify', {}).ok).toBe(true);
  });
});
