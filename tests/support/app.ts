import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../src-main/app';
import { dispatch } from '../../src-main/core/rpc/pipeline';
import type { Kernel } from '../../src-main/core/rpc/kernel';
import type { CallMeta, RpcResult } from '../../src-shared/rpc';
import { DEMO_PASSWORD, DEMO_USERS } from '../../src-main/demo';
import { startCheckpointer, type Checkpointer } from '../../src-main/core/db/checkpointer';

export type DemoUsername = (typeof DEMO_USERS)[number]['username'];

export interface TestApp {
  app: App;
  kernel: Kernel;
  dataDir: string;
  /** The background WAL checkpointer, when the options asked for one. */
  checkpoints: Checkpointer | null;
  /** Session token of a seeded user (logged in once, then cached). */
  login(username: DemoUsername | string, password?: string): string;
  /** Calls a procedure as a seeded user through the full pipeline, as a transport would. */
  call(username: DemoUsername | string | null, procedure: string, input: unknown, meta?: CallMeta): RpcResult<unknown>;
  /** Like call, but throws on an error answer and returns the result. */
  ok<T = unknown>(username: DemoUsername | string | null, procedure: string, input: unknown, meta?: CallMeta): T;
  close(): Promise<void>;
}

export function tempDir(prefix = 'plug1-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * A real store in a temp folder with one user per role (the demo users, password demo1234) and
 * nothing else. Output schemas are checked on every answer unless validateOutputs is false.
 */
export function openTestApp(
  options: { clock?: () => Date; dataDir?: string; timeZone?: string; validateOutputs?: boolean; checkpointer?: boolean } = {},
): TestApp {
  const dataDir = options.dataDir ?? tempDir();
  // Benchmarks pass validateOutputs: false to measure the pipeline as the app runs it.
  const app = createApp({ dataDir, validateOutputs: options.validateOutputs ?? true, clock: options.clock, log: { info: () => {}, error: () => {} } });
  const { kernel } = app;
  // Benchmarks also pass checkpointer: true to write as the app does, with WAL checkpoints on a
  // background thread; tests leave it off rather than start a thread per test store.
  const checkpoints = options.checkpointer ? startCheckpointer(kernel.db, kernel.log) : null;
  if (kernel.branch().id === 'unset') {
    const seeded = dispatch(kernel, 'system.seedDemo', {
      branchName: 'Test Branch',
      timeZone: options.timeZone ?? 'Africa/Johannesburg',
      password: DEMO_PASSWORD,
      users: DEMO_USERS,
    });
    if (!seeded.ok) throw new Error(`seeding failed: ${seeded.error.message}`);
  }
  const tokens = new Map<string, string>();
  const login = (username: string, password = DEMO_PASSWORD): string => {
    const cached = tokens.get(username);
    if (cached) return cached;
    const r = dispatch(kernel, 'auth.login', { username, password });
    if (!r.ok) throw new Error(`login ${username} failed: ${r.error.message}`);
    const token = (r.result as { token: string }).token;
    tokens.set(username, token);
    return token;
  };
  const call = (username: string | null, procedure: string, input: unknown, meta?: CallMeta) =>
    dispatch(kernel, procedure, input, { token: username ? login(username) : null, meta });
  return {
    app,
    kernel,
    dataDir,
    checkpoints,
    login,
    call,
    ok<T>(username: string | null, procedure: string, input: unknown, meta?: CallMeta): T {
      const r = call(username, procedure, input, meta);
      if (!r.ok) throw new Error(`${procedure} as ${username}: ${r.error.code} ${r.error.message} ${JSON.stringify(r.error.details ?? {})}`);
      return r.result as T;
    },
    async close() {
      await checkpoints?.stop();
      await app.close();
    },
  };
}
