import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../support/app';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

const root = path.resolve(__dirname, '../..');

function runVerifyCli(dataDir: string): { code: number; output: string } {
  try {
    const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/audit-verify.ts'), '--data-dir', dataDir], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    return { code: 0, output: out };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { code: e.status, output: e.stdout + e.stderr };
  }
}

describe('the audit journal', () => {
  it('refuses UPDATE and DELETE on its rows', () => {
    t = openTestApp();
    expect(() => t.kernel.db.prepare(`UPDATE audit_events SET actor_name = 'mallory' WHERE seq = 1`).run()).toThrow(/append-only/);
    expect(() => t.kernel.db.prepare('DELETE FROM audit_events WHERE seq = 1').run()).toThrow(/append-only/);
  });

  it('chains every event to the one before and verifies from the first event', () => {
    t = openTestApp();
    t.ok('admin', 'admin.users.create', { username: 'nina', displayName: 'Nina N', roleKey: 'cashier', password: 'longenough123' });
    const result = t.ok<{ ok: boolean; checked: number; headSeq: number }>('auditor', 'audit.verify', {});
    expect(result.ok).toBe(true);
    expect(result.checked).toBe(result.headSeq);
    expect(result.checked).toBeGreaterThan(10);
  });

  it('finds a row altered behind the triggers at the right sequence number, via the procedure and the CLI', async () => {
    t = openTestApp();
    t.ok('admin', 'admin.users.create', { username: 'nina', displayName: 'Nina N', roleKey: 'cashier', password: 'longenough123' });
    const target = t.kernel.db.prepare(`SELECT seq FROM audit_events WHERE entity = 'user' AND action = 'created' ORDER BY seq DESC LIMIT 1`).get() as { seq: number };
    expect(runVerifyCli(t.dataDir).code).toBe(0);

    t.kernel.db.exec('DROP TRIGGER audit_events_no_update');
    t.kernel.db.prepare(`UPDATE audit_events SET after_json = '{"roleKey":"administrator"}' WHERE seq = ?`).run(target.seq);
    const result = t.ok<{ ok: boolean; firstBadSeq: number; problem: string }>('auditor', 'audit.verify', {});
    expect(result).toMatchObject({ ok: false, firstBadSeq: target.seq });
    expect(result.problem).toContain('altered');

    const cli = runVerifyCli(t.dataDir);
    expect(cli.code).toBe(1);
    expect(cli.output).toContain(`#${target.seq}`);
  });

  it('notices events deleted from the middle of the chain', () => {
    t = openTestApp();
    t.ok('admin', 'admin.users.create', { username: 'nina', displayName: 'Nina N', roleKey: 'cashier', password: 'longenough123' });
    t.kernel.db.exec('DROP TRIGGER audit_events_no_delete');
    t.kernel.db.prepare('DELETE FROM audit_events WHERE seq = 5').run();
    expect(t.ok('auditor', 'audit.verify', {})).toMatchObject({ ok: false, firstBadSeq: 5 });
  });

  it('lets the auditor read the journal but change nothing', () => {
    t = openTestApp();
    expect(t.call('auditor', 'audit.list', { limit: 5 }).ok).toBe(true);
    expect(t.call('auditor', 'admin.users.create', { username: 'zed', displayName: 'Zed Z', roleKey: 'cashier', password: 'longenough123' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('filters the viewer by entity, user, procedure and the branch\'s calendar days, and pages newest first', () => {
    let now = new Date('2026-12-01T21:30:00Z');
    t = openTestApp({ timeZone: 'Africa/Johannesburg', clock: () => now });
    const users = ['nina', 'omar', 'pia'].map((username) =>
      t.ok<{ id: string }>('admin', 'admin.users.create', { username, displayName: `${username} N`, roleKey: 'cashier', password: 'longenough123' }),
    );
    // 23:30 in Johannesburg on 1 December, then 00:30 on the 2nd: two calendar days an hour apart.
    now = new Date('2026-12-01T22:30:00Z');
    t.ok('admin', 'admin.users.update', { id: users[0]!.id, displayName: 'Nina Renamed', version: 0 });
    const adminId = (t.kernel.db.prepare(`SELECT id FROM users WHERE username = 'admin'`).get() as { id: string }).id;
    type Page = { rows: { seq: number; entity: string; entityId: string; actorId: string; procedure: string; at: string }[]; nextCursor: string | null; total: number };

    const nina = t.ok<Page>('auditor', 'audit.list', { entity: 'user', entityId: users[0]!.id, limit: 10 });
    expect(nina.rows.map((r) => r.procedure)).toEqual(['admin.users.update', 'admin.users.create']);
    expect(nina.total).toBe(2);

    const updates = t.ok<Page>('auditor', 'audit.list', { actorId: adminId, procedure: 'admin.users.update', limit: 10 });
    expect(updates.rows.map((r) => r.entityId)).toEqual([users[0]!.id]);

    const secondDay = t.ok<Page>('auditor', 'audit.list', { actorId: adminId, from: '2026-12-02', to: '2026-12-02', limit: 10 });
    expect(secondDay.rows.map((r) => r.procedure)).toEqual(['admin.users.update']);
    const firstDay = t.ok<Page>('auditor', 'audit.list', { actorId: adminId, from: '2026-12-01', to: '2026-12-01', limit: 10 });
    expect(firstDay.rows.every((r) => r.procedure === 'admin.users.create' && r.at < '2026-12-01T22:00:00.000Z')).toBe(true);
    expect(firstDay.rows.filter((r) => r.entity === 'user')).toHaveLength(3);

    // Pages follow one another without a gap or a repeat, and the total counts the whole filter.
    const all = t.ok<Page>('auditor', 'audit.list', { actorId: adminId, limit: 500 });
    const first = t.ok<Page>('auditor', 'audit.list', { actorId: adminId, limit: 2 });
    const second = t.ok<Page>('auditor', 'audit.list', { actorId: adminId, limit: 2, cursor: first.nextCursor! });
    expect([...first.rows, ...second.rows].map((r) => r.seq)).toEqual(all.rows.slice(0, 4).map((r) => r.seq));
    expect(first.total).toBe(all.rows.length);
    expect(all.rows.every((r) => r.actorId === adminId)).toBe(true);
  });
});
