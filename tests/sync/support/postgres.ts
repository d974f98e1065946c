import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * A private PostgreSQL cluster for one test file: initdb in a temp folder, started on a free port
 * on 127.0.0.1, removed afterwards. Debian's PostgreSQL refuses to run as root, so when the tests
 * run as root the server runs as the `postgres` user (runuser), in a folder it owns.
 */
export interface PgCluster {
  /** Connection string of the cluster's `postgres` database. */
  url: string;
  /** A fresh empty database; answers its connection string. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

const DEFAULT_BIN = '/usr/lib/postgresql/15/bin';

export const postgresBinDir = (): string => process.env.PG_BIN_DIR ?? DEFAULT_BIN;

export function postgresMissingReason(): string | null {
  const bin = postgresBinDir();
  if (fs.existsSync(path.join(bin, 'initdb')) && fs.existsSync(path.join(bin, 'pg_ctl'))) return null;
  return (
    `PostgreSQL server binaries were not found in ${bin}. The HQ tests run against a real PostgreSQL: ` +
    'install it with `apt-get install postgresql` (Debian 12 ships PostgreSQL 15; .ci/run does this), ' +
    'or point PG_BIN_DIR at the folder holding initdb and pg_ctl.'
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface StartOptions {
  /**
   * Keep fsync and synchronous commit on (benchmarks). Tests turn durability off: a crash of a
   * throwaway cluster loses nothing anyone needs, and it makes each commit much cheaper.
   */
  durable?: boolean;
}

export async function startPostgres(options: StartOptions = {}): Promise<PgCluster> {
  const missing = postgresMissingReason();
  if (missing) throw new Error(missing);
  const bin = postgresBinDir();
  const asRoot = process.getuid?.() === 0;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'plug1-pg-'));
  const dataDir = path.join(root, 'data');
  const logFile = path.join(root, 'server.log');
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    fs.chownSync(root, uid, gid);
  }
  const run = (tool: string, args: string[]) => {
    const command = asRoot ? 'runuser' : path.join(bin, tool);
    const argv = asRoot ? ['-u', 'postgres', '--', path.join(bin, tool), ...args] : args;
    const result = spawnSync(command, argv, { encoding: 'utf8', cwd: root });
    if (result.status !== 0) {
      const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-2000) : '';
      throw new Error(`${tool} failed (${result.status}): ${result.stderr || result.stdout}\n${log}`);
    }
  };

  run('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    `-k ${root}`,
    "-c listen_addresses='127.0.0.1'",
    '-c max_connections=50',
    ...(options.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
  ];
  run('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', settings.join(' '), '-w', '-t', '60', 'start']);

  const base = `postgres://postgres@127.0.0.1:${port}`;
  let stopped = false;
  return {
    url: `${base}/postgres`,
    async createDatabase(name: string) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a plain database name: ${name}`);
      const client = new pg.Client({ connectionString: `${base}/postgres` });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `${base}/${name}`;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
