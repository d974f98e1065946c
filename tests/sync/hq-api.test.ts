import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/app';
import { ADMIN_TOKEN, startTestHq, type TestHq } from './support/hq';

/** HQ's own surface: its command line, who may call what, and hostile input. */
const root = path.resolve(__dirname, '../..');
const run = promisify(execFile);
const hqCli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src-hq/main.ts', ...args], { cwd: root, env: { ...process.env, HQ_ADMIN_TOKEN: '' } });

describe('npm run hq', () => {
  it('registers a branch, rotates its token, publishes master data, and serves them', async () => {
    const dataDir = tempDir('plug1-hq-cli-');
    const registered = await hqCli('register-branch', '--data-dir', dataDir, '--id', '01CLIBRANCH', '--name', 'North', '--time-zone', 'Africa/Johannesburg');
    const first = /hqb_[\w-]+/.exec(registered.stdout)![0];
    const rotated = await hqCli('rotate-token', '--data-dir', dataDir, '--id', '01CLIBRANCH', '--grace-hours', '1');
    const second = /hqb_[\w-]+/.exec(rotated.stdout)![0];
    expect(rotated.stdout).toMatch(/previous token keeps working until/);
    const file = path.join(dataDir, 'changes.json');
    fs.writeFileSync(file, JSON.stringify({ changes: [{ entity: 'setting', entityId: 'auth.lockoutMinutes', data: { value: 30 } }] }));
    expect((await hqCli('publish', '--data-dir', dataDir, '--file', file)).stdout).toMatch(/Published 1 change/);

    const server = spawn(process.execPath, ['--import', 'tsx', 'src-hq/main.ts', '--data-dir', dataDir, '--port', '0'], { cwd: root, env: { ...process.env, HQ_ADMIN_TOKEN: '' } });
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        server.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        server.once('exit', (code) => reject(new Error(`HQ exited with ${code}: ${out}`)));
      });
      await new Promise((r) => setTimeout(r, 200));
      // The first start of an HQ without administrators prints one administrator token, once.
      expect(out).toMatch(/First administrator token \(shown once; keep it safe\): hqa_/);
      for (const token of [first, second]) {
        const hello = (await (await fetch(`${url}/sync/hello`, { headers: { authorization: `Bearer ${token}` } })).json()) as { result: { branchName: string; masterHead: number } };
        expect(hello.result).toMatchObject({ branchName: 'North', masterHead: 1 });
      }
    } finally {
      server.kill('SIGTERM');
    }
    // Five fresh processes, each compiling the server: slow on a busy machine.
  }, 240_000);
});

describe('HQ API', () => {
  let hq: TestHq;
  let branchToken: string;
  beforeAll(async () => {
    hq = await startTestHq('sqlite', null);
    branchToken = (await hq.admin<{ token: string }>('POST', '/admin/branches', { id: '01APIBRANCH', name: 'API branch', timeZone: 'UTC' })).token;
  });
  afterAll(async () => {
    await hq?.close();
  });

  const call = async (method: string, path: string, token: string | null, body?: string) => {
    const res = await fetch(`${hq.url}${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {}, body });
    return { status: res.status, body: (await res.json()) as { ok: boolean; error?: { code: string } } };
  };

  it('answers every call without the right token with 401, and keeps branches out of administration', async () => {
    for (const [method, p] of [
      ['GET', '/sync/hello'],
      ['POST', '/sync/upload'],
      ['GET', '/sync/master-data'],
      ['GET', '/admin/branches'],
      ['POST', '/admin/master-data'],
      ['GET', '/admin/reports/journal.activity?from=2026-01-01&to=2026-01-31'],
    ] as const) {
      expect([p, (await call(method, p, null)).status]).toEqual([p, 401]);
      if (p.startsWith('/admin')) expect([p, (await call(method, p, branchToken)).status]).toEqual([p, 401]);
    }
    expect((await call('GET', '/sync/hello', ADMIN_TOKEN)).status).toBe(401);
    expect((await call('GET', '/nowhere', branchToken)).status).toBe(404);
  });

  it('never answers 500 to hostile input, and keeps working', async () => {
    for (const query of ['after=-1', 'after=abc&limit=1e9', 'limit=-5']) {
      expect((await call('GET', `/sync/master-data?${query}`, branchToken)).status).toBe(422);
    }
    expect((await call('GET', '/admin/reports/journal.activity?from=2026-13-01&to=x', ADMIN_TOKEN)).status).toBe(422);
    const bodies = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.json(),
      fc.anything().map((v) => JSON.stringify(v) ?? 'null'),
      fc.record({ branchId: fc.constantFrom('01APIBRANCH', 'x', ''), events: fc.array(fc.anything(), { maxLength: 5 }), head: fc.anything() }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
    );
    const targets = [
      ['POST', '/sync/upload', branchToken],
      ['POST', '/admin/master-data', ADMIN_TOKEN],
      ['POST', '/admin/branches', ADMIN_TOKEN],
      ['POST', '/admin/branches/01APIBRANCH/rotate-token', ADMIN_TOKEN],
      ['POST', '/admin/exceptions/nothing/resolve', ADMIN_TOKEN],
    ] as const;
    for (const [method, p, token] of targets) {
      await fc.assert(
        fc.asyncProperty(bodies, async (body) => {
          const answer = await call(method, p, token, body);
          if (answer.status >= 500) throw new Error(`${p} answered ${answer.status} for ${body.slice(0, 200)}`);
        }),
        { numRuns: 60 },
      );
    }
    // The rotations above left the branch with a new token; HQ itself is unharmed.
    const { token } = await hq.admin<{ token: string }>('POST', '/admin/branches/01APIBRANCH/rotate-token', {});
    expect((await call('GET', '/sync/hello', token)).status).toBe(200);
    expect((await call('GET', '/health', null)).body).toEqual({ ok: true, result: { ok: true, database: 'sqlite' } });
  });
});
