/**
 * A branch process that runs one sync and reports each upload it starts; the fault tests kill it
 * with SIGKILL in the middle of an upload. Usage: node --import tsx sync-child.ts <dataDir>
 */
import { createApp } from '../../../src-main/app';
import { runSync } from '../../../src-main/sync/engine';

const dataDir = process.argv[2]!;
const app = createApp({ dataDir, log: { info: () => {}, error: () => {} } });
process.stdout.write('ready\n');
void runSync(app.kernel, { trigger: 'manual', batchSize: 10, timeoutMs: 60_000 }).then((result) => {
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return app.close();
});
