/**
 * The HQ server and its administration commands:
 *
 *   npm run hq -- [--port 5190] [--host 127.0.0.1] [--data-dir DIR] [--database-url postgres://…]
 *   npm run hq -- register-branch --id <branch id> --name "North" [--time-zone Africa/Johannesburg] [--week-start 1]
 *   npm run hq -- rotate-token --id <branch id> [--grace-hours 24]
 *   npm run hq -- admin-token [--label "Jane (HQ finance)"]
 *   npm run hq -- publish --file changes.json      (master data: {"changes":[{"entity","entityId","op","data"}]})
 *
 * SQLite in the data folder by default; --database-url (or HQ_DATABASE_URL) for PostgreSQL.
 * HQ_ADMIN_TOKEN, when set, is accepted as an administrator token.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../src-main/core/util/data-dir';
import { isAppErrorShape } from '../src-shared/errors';
import { openHq } from './hq';
import { startHq } from './index';
import { issueAdminToken, registerBranch, rotateBranchToken } from './branches';
import { publishMasterData } from './master-data';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string', default: '5190' },
    host: { type: 'string', default: '127.0.0.1' },
    'data-dir': { type: 'string' },
    'database-url': { type: 'string' },
    id: { type: 'string' },
    name: { type: 'string' },
    'time-zone': { type: 'string', default: 'UTC' },
    'week-start': { type: 'string', default: '1' },
    'grace-hours': { type: 'string', default: '0' },
    label: { type: 'string', default: 'administrator' },
    file: { type: 'string' },
  },
});

const command = positionals[0] ?? 'serve';
const databaseUrl = values['database-url'] ?? process.env.HQ_DATABASE_URL;
const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir('Plug1 Operations HQ'));
const storeOptions = { databaseUrl, dataDir };

function need(name: 'id' | 'name' | 'file'): string {
  const v = values[name];
  if (!v) {
    console.error(`${command} needs --${name}`);
    process.exit(2);
  }
  return v;
}

async function serve(): Promise<void> {
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a number between 0 and 65535 (got ${values.port})`);
  const running = await startHq({ ...storeOptions, port, host: values.host, adminToken: process.env.HQ_ADMIN_TOKEN });
  console.log(`Plug1 Operations HQ is listening on ${running.url} (${running.hq.dialect}: ${running.hq.location})`);
  if (running.firstAdminToken) {
    console.log(`First administrator token (shown once; keep it safe): ${running.firstAdminToken}`);
  }
  const stop = async () => {
    await running.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

async function administer(): Promise<void> {
  const hq = await openHq(storeOptions);
  try {
    switch (command) {
      case 'register-branch': {
        const { branch, token } = await registerBranch(hq, {
          id: need('id'),
          name: need('name'),
          timeZone: values['time-zone']!,
          weekStart: Number(values['week-start']),
        });
        console.log(`Registered ${branch.name} (${branch.id}). Enter this token on the branch's Sync screen (shown once):\n${token}`);
        break;
      }
      case 'rotate-token': {
        const { token, previousValidUntil } = await rotateBranchToken(hq, need('id'), { graceHours: Number(values['grace-hours']) });
        console.log(`New token (shown once):\n${token}`);
        console.log(previousValidUntil ? `The previous token keeps working until ${previousValidUntil}.` : 'The previous token no longer works.');
        break;
      }
      case 'admin-token':
        console.log(`Administrator token for ${values.label} (shown once):\n${await issueAdminToken(hq, values.label!)}`);
        break;
      case 'publish': {
        const input = JSON.parse(fs.readFileSync(need('file'), 'utf8')) as unknown;
        const { versions, head } = await publishMasterData(hq, input as never, values.label!);
        console.log(`Published ${versions.length} change(s); master data is now at version ${head}.`);
        break;
      }
      default:
        console.error(`Unknown command ${command}. Commands: serve, register-branch, rotate-token, admin-token, publish.`);
        process.exitCode = 2;
    }
  } finally {
    await hq.close();
  }
}

(command === 'serve' ? serve() : administer()).catch((err: unknown) => {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE') console.error(`Port ${values.port} is already in use; choose another with --port N.`);
  else if (isAppErrorShape(err)) console.error(`${err.code}: ${err.message}`);
  else console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
