import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlGet, sqlRun } from '../core/db/store';
import { newId } from '../core/util/ids';
import type { JobFile } from '../../src-shared/bridge';
import type { RpcResult } from '../../src-shared/rpc';
import { openTestApp, type TestApp } from '../../tests/support/app';
import { registerIpcTransport, rendererUrlMatcher, type InvokeEventLike, type IpcMainLike } from './ipc';

/** The packaged renderer's address (src-main/electron/renderer-protocol.ts). */
const RENDERER_URL = 'plug1://app/index.html';

type Listener = (event: InvokeEventLike, ...args: unknown[]) => unknown;

/** Stands in for Electron's ipcMain: invoking a channel runs its handler like ipcRenderer.invoke would. */
class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  async invoke<T>(frameUrl: string | null, channel: string, ...args: unknown[]): Promise<RpcResult<T>> {
    const listener = this.handlers.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    return (await listener({ senderFrame: frameUrl === null ? null : { url: frameUrl } }, ...args)) as RpcResult<T>;
  }
}

let t: TestApp;
let ipc: FakeIpcMain;
let unregister: () => void;

beforeAll(() => {
  t = openTestApp();
  ipc = new FakeIpcMain();
  unregister = registerIpcTransport(ipc, t.kernel, (event) => rendererUrlMatcher(RENDERER_URL)(event.senderFrame?.url));
});

afterAll(async () => {
  unregister();
  await t?.close();
});

describe('rpc over IPC', () => {
  it('runs the same pipeline as every other transport', async () => {
    const login = await ipc.invoke<{ token: string }>(`${RENDERER_URL}#/login`, 'rpc', 'auth.login', { username: 'reader', password: 'demo1234' });
    expect(login.ok).toBe(true);
    const token = login.ok ? login.result.token : '';

    const jobs = await ipc.invoke(RENDERER_URL, 'rpc', 'jobs.list', { activeOnly: false }, { token });
    expect(jobs).toEqual({ ok: true, result: [] });

    const anonymous = await ipc.invoke(RENDERER_URL, 'rpc', 'jobs.list', { activeOnly: false });
    expect(anonymous.ok === false && anonymous.error.code).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['another web page', 'https://evil.example/index.html'],
    ['a local HTML file', 'file:///C:/Users/Public/index.html'],
    ['another host of our scheme', 'plug1://other/index.html'],
    ['a frame that is gone', null],
  ])('refuses calls from %s', async (_what, frameUrl) => {
    const answer = await ipc.invoke(frameUrl, 'rpc', 'auth.login', { username: 'admin', password: 'demo1234' });
    expect(answer.ok === false && answer.error.code).toBe('FORBIDDEN');
  });

  it('answers NOT_FOUND for a name that is not a procedure name', async () => {
    for (const name of [42, null, { toString: () => 'auth.login' }, '__proto__', 'auth.login; drop']) {
      const answer = await ipc.invoke(RENDERER_URL, 'rpc', name, {});
      expect(answer.ok === false && answer.error.code).toBe('NOT_FOUND');
    }
  });

  it('ignores call options of the wrong shape instead of passing them on', async () => {
    const token = t.login('reader');
    const wrongToken = await ipc.invoke(RENDERER_URL, 'rpc', 'jobs.list', {}, { token: [token] });
    expect(wrongToken.ok === false && wrongToken.error.code).toBe('UNAUTHENTICATED');

    const oddMeta = await ipc.invoke(RENDERER_URL, 'rpc', 'jobs.list', {}, { token, meta: { approvalId: 7, idempotencyKey: {} } });
    expect(oddMeta.ok).toBe(true);
  });
});

describe('jobs.file over IPC', () => {
  function finishedExport(username: string, file: { name: string; mime: string; path: string }): string {
    const user = sqlGet<{ id: string }>(t.kernel.db, 'SELECT id FROM users WHERE username = ?', username)!;
    const id = newId();
    sqlRun(
      t.kernel.db,
      `INSERT INTO jobs (id, branch_id, kind, title, state, progress, input_json, result_json, created_by, created_at, finished_at)
       VALUES (?, ?, 'test.export', 'Test export', 'succeeded', 1, '{}', ?, ?, ?, ?)`,
      id,
      t.kernel.branch().id,
      JSON.stringify({ file }),
      user.id,
      new Date().toISOString(),
      new Date().toISOString(),
    );
    return id;
  }

  it('hands the exporting user the bytes, name and type of the file', async () => {
    fs.mkdirSync(path.join(t.dataDir, 'exports'), { recursive: true });
    fs.writeFileSync(path.join(t.dataDir, 'exports', 'readings.csv'), 'meter,value\nM-1,120\n');
    const jobId = finishedExport('supervisor', { name: 'readings.csv', mime: 'text/csv', path: 'exports/readings.csv' });

    const answer = await ipc.invoke<JobFile>(RENDERER_URL, 'jobs.file', jobId, t.login('supervisor'));
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    expect(answer.result.name).toBe('readings.csv');
    expect(answer.result.mime).toBe('text/csv');
    expect(Buffer.from(answer.result.bytes).toString('utf8')).toBe('meter,value\nM-1,120\n');
  });

  it('refuses other users, missing sessions, unknown jobs and foreign frames', async () => {
    fs.writeFileSync(path.join(t.dataDir, 'exports', 'mine.csv'), 'x');
    const jobId = finishedExport('supervisor', { name: 'mine.csv', mime: 'text/csv', path: 'exports/mine.csv' });
    const code = async (frame: string, id: unknown, token: unknown) => {
      const answer = await ipc.invoke(frame, 'jobs.file', id, token);
      return answer.ok ? 'ok' : answer.error.code;
    };
    expect(await code(RENDERER_URL, jobId, t.login('reader'))).toBe('FORBIDDEN');
    expect(await code(RENDERER_URL, jobId, null)).toBe('UNAUTHENTICATED');
    expect(await code(RENDERER_URL, 'no-such-job', t.login('supervisor'))).toBe('NOT_FOUND');
    expect(await code(RENDERER_URL, { id: jobId }, t.login('supervisor'))).toBe('VALIDATION');
    expect(await code('https://evil.example/', jobId, t.login('supervisor'))).toBe('FORBIDDEN');
  });

  it('never serves a file from outside the data folder', async () => {
    const jobId = finishedExport('supervisor', { name: 'passwd', mime: 'text/plain', path: '../../../../etc/passwd' });
    const answer = await ipc.invoke(RENDERER_URL, 'jobs.file', jobId, t.login('supervisor'));
    expect(answer.ok).toBe(false);
  });
});

describe('which URLs count as our renderer', () => {
  it('matches the dev server by origin, whatever the route', () => {
    const isRenderer = rendererUrlMatcher('http://localhost:5173/');
    expect(isRenderer('http://localhost:5173/#/energy/meter-readings')).toBe(true);
    expect(isRenderer('http://localhost:5174/')).toBe(false);
    expect(isRenderer('http://127.0.0.1:5173/')).toBe(false);
  });

  it('matches a file: renderer only on its own document', () => {
    const isRenderer = rendererUrlMatcher('file:///opt/plug1/resources/app.asar/out/renderer/index.html');
    expect(isRenderer('file:///opt/plug1/resources/app.asar/out/renderer/index.html#/audit')).toBe(true);
    expect(isRenderer('file:///tmp/index.html')).toBe(false);
  });

  it('refuses what is not a URL', () => {
    const isRenderer = rendererUrlMatcher(RENDERER_URL);
    expect(isRenderer('not a url')).toBe(false);
    expect(isRenderer(undefined)).toBe(false);
  });
});
