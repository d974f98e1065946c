import type { JournalRow } from '../../../src-shared/contracts/sync';
import { startHq, type RunningHq } from '../../../src-hq';
import { registerBranch } from '../../../src-hq/branches';
import { publishMasterData, type PublishInput } from '../../../src-hq/master-data';
import { tempDir, type TestApp } from '../../support/app';
import type { PgCluster } from './postgres';

export type Backend = 'sqlite' | 'postgres';

export const ADMIN_TOKEN = 'hqa_test-administrator-token-0123456789';

export interface TestHq {
  running: RunningHq;
  url: string;
  backend: Backend;
  /** Registers the test branch at HQ and answers its token. */
  register(t: TestApp): Promise<string>;
  publish(input: PublishInput): Promise<number[]>;
  /** Every event HQ holds for a branch, in seq order. */
  events(branchId: string): Promise<JournalRow[]>;
  admin<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
  /** Stops the server (HQ down); `start` brings it back on the same port and database. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

let databases = 0;

/** An HQ server on a free port, on a fresh SQLite file or a fresh PostgreSQL database. */
export async function startTestHq(backend: Backend, pg: PgCluster | null, config: { clock?: () => Date } = {}): Promise<TestHq> {
  let databaseUrl: string | undefined;
  if (backend === 'postgres') {
    if (!pg) throw new Error('PostgreSQL cluster not started');
    databases += 1;
    databaseUrl = await pg.createDatabase(`hq_${process.pid}_${databases}`);
  }
  const options = {
    databaseUrl,
    dataDir: backend === 'sqlite' ? tempDir('plug1-hq-') : undefined,
    adminToken: ADMIN_TOKEN,
    clock: config.clock,
    log: { info: () => {}, error: (m: string, ...rest: unknown[]) => console.error(m, ...rest) },
  };
  let running: RunningHq | null = await startHq({ ...options, port: 0 });
  const port = Number(new URL(running.url).port);
  const live = () => {
    if (!running) throw new Error('HQ is stopped');
    return running;
  };
  return {
    get running() {
      return live();
    },
    url: running.url,
    backend,
    async register(t) {
      const branch = t.kernel.branch();
      return (await registerBranch(live().hq, { id: branch.id, name: branch.name, timeZone: branch.timeZone })).token;
    },
    async publish(input) {
      return (await publishMasterData(live().hq, input, 'test')).versions;
    },
    async events(branchId) {
      const rows = await live().hq.db.selectFrom('events').selectAll().where('branch_id', '=', branchId).orderBy('seq').execute();
      return rows.map(({ local_date: _d, received_at: _r, ...row }) => row);
    },
    async admin<T>(method: 'GET' | 'POST', path: string, body?: unknown) {
      const res = await fetch(`${live().url}${path}`, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const answer = (await res.json()) as { ok: boolean; result?: T; error?: { message: string } };
      if (!answer.ok) throw new Error(`${method} ${path}: ${res.status} ${answer.error?.message}`);
      return answer.result as T;
    },
    async stop() {
      await live().close();
      running = null;
    },
    async start() {
      running = await startHq({ ...options, port });
    },
    async close() {
      await running?.close();
      running = null;
    },
  };
}
